"""Joining a network: a person asks for a network role, or a provider asks to join; the
network's lead approves or declines with a note; each decision is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mhsip.auditing.models import AuditEvent
from mhsip.network import services
from mhsip.network.models import JoinRequest, RequestStatus
from mhsip.organisations.models import Membership
from mhsip.organisations.services import membership_grant
from tests.factories.accounts import UserFactory
from tests.factories.organisations import NetworkFactory, ProviderFactory, SiteFactory, WardFactory
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def outsider_provider(world):
    """A provider in another network, with its responsible person."""
    other = NetworkFactory(code="NETY", name="Southern Collaborative")
    provider = ProviderFactory(parent=other, code="RCC", name="Cedar Trust")
    WardFactory(site=SiteFactory(parent=provider), code="RCC01-YEW", name="Yew Ward")
    person = UserFactory(username="cedar_rp")
    membership_grant(
        by=world.users["system_admin"],
        user=person,
        role="responsible_person",
        organisation=provider,
    )
    return provider, person


def test_person_asks_for_a_role_and_the_lead_approves(client, world):
    nurse = UserFactory(username="newcomer", first_name="Nia", last_name="New")
    client.force_login(nurse)
    response = client.post(
        reverse("network:join", args=[world.network.code]),
        {"kind": "person", "role": "champion", "message": "I want to keep watching our wards."},
    )
    assert response.status_code == 302
    request = JoinRequest.objects.get(requested_by=nurse)
    assert request.status == RequestStatus.PENDING
    assert AuditEvent.objects.filter(
        action="network.join_request", object_id=str(request.pk)
    ).exists()

    client.force_login(world.users["network_lead"])
    pending = client.get(reverse("network:requests", args=[world.network.code]))
    assert "Nia New as champion" in pending.content.decode()
    response = client.post(
        reverse("network:request-decide", args=[world.network.code, request.pk]),
        {"decision": "approve", "note": "Welcome"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert Membership.objects.filter(
        user=nurse, role="champion", organisation=world.network
    ).exists()
    assert AuditEvent.objects.filter(
        action="network.join_approve", object_id=str(request.pk)
    ).exists()
    # The new champion is now a member and sees the network's home.
    client.force_login(nurse)
    assert client.get(reverse("network:home", args=[world.network.code])).status_code == 200


def test_lead_declines_with_a_note_the_requester_sees(client, world):
    nurse = UserFactory(username="hopeful")
    request = services.join_request_create(
        by=nurse, network=world.network, kind="person", role="network_lead", message="Please"
    )
    client.force_login(world.users["network_lead"])
    refused = client.post(
        reverse("network:request-decide", args=[world.network.code, request.pk]),
        {"decision": "decline", "note": ""},
    )
    assert refused.status_code == 200
    assert "Say why the request is declined" in refused.content.decode()
    client.post(
        reverse("network:request-decide", args=[world.network.code, request.pk]),
        {"decision": "decline", "note": "We have a lead already"},
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert not Membership.objects.filter(user=nurse, role="network_lead").exists()
    assert AuditEvent.objects.filter(
        action="network.join_decline", object_id=str(request.pk)
    ).exists()
    client.force_login(nurse)
    assert "We have a lead already" in client.get(reverse("network:index")).content.decode()


def test_provider_joins_through_its_responsible_person(client, world, outsider_provider):
    provider, person = outsider_provider
    client.force_login(person)
    client.post(
        reverse("network:join", args=[world.network.code]),
        {
            "kind": "organisation",
            "organisation": str(provider.pk),
            "message": "Cedar would like to join",
        },
    )
    request = JoinRequest.objects.get(organisation=provider)
    services.join_request_decide(by=world.users["network_lead"], request=request, approve=True)
    provider.refresh_from_db()
    assert provider.parent == world.network
    assert AuditEvent.objects.filter(
        action="organisation.move", object_id=str(provider.pk)
    ).exists()
    # The provider's people are members now.
    assert client.get(reverse("network:home", args=[world.network.code])).status_code == 200


def test_only_a_provider_spokesperson_may_ask_for_it(world, outsider_provider):
    provider, _ = outsider_provider
    with pytest.raises(PermissionDenied) as caught:
        services.join_request_create(
            by=world.users["ward_staff"],
            network=world.network,
            kind="organisation",
            organisation=provider,
            message="Join us",
        )
    assert "responsible person" in str(caught.value)
    assert not JoinRequest.objects.exists()


def test_a_provider_already_in_the_network_cannot_ask_again(world):
    with pytest.raises(ValidationError, match="in this network already"):
        services.join_request_create(
            by=world.users["responsible_person"],
            network=world.network,
            kind="organisation",
            organisation=world.providers["A"],
            message="Again",
        )


def test_only_the_networks_lead_decides(client, world):
    request = services.join_request_create(
        by=UserFactory(), network=world.network, kind="person", role="champion", message="Hi"
    )
    for key in ("champion", "qi_lead", "system_admin"):
        client.force_login(world.users[key])
        url = reverse("network:request-decide", args=[world.network.code, request.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 403
        assert client.get(reverse("network:requests", args=[world.network.code])).status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_request_is_decided_once(world):
    request = services.join_request_create(
        by=UserFactory(), network=world.network, kind="person", role="champion", message="Hi"
    )
    services.join_request_decide(by=world.users["network_lead"], request=request, approve=True)
    with pytest.raises(ValidationError, match="decided already"):
        services.join_request_decide(
            by=world.users["network_lead"], request=request, approve=False, note="x"
        )


def test_members_page_lists_providers_and_network_roles(client, world):
    client.force_login(world.users["ward_staff_b"])
    page = client.get(reverse("network:members", args=[world.network.code])).content.decode()
    assert "Ashbrook NHS Foundation Trust" in page
    assert "Birchfield Healthcare" in page
    assert "Nadia Network" in page and "Network improvement lead" in page
    assert "Chidi Champion" in page


def test_network_pages_are_for_members_only(client, world):
    stranger = UserFactory()
    client.force_login(stranger)
    for name in ("network:home", "network:members", "network:library", "network:what-worked-where"):
        assert client.get(reverse(name, args=[world.network.code])).status_code == 403
    # Anyone signed in may ask to join.
    assert client.get(reverse("network:join", args=[world.network.code])).status_code == 200
