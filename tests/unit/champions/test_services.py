"""Following and acknowledging: checked against the person's roles, and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mhsip.auditing.models import AuditEvent
from mhsip.champions import services
from mhsip.champions.models import Follow
from tests.factories.champions import AlertFactory
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    provider = ProviderFactory()
    ward = WardFactory(site=SiteFactory(parent=provider))
    other = WardFactory()  # another provider in another network
    return provider, ward, other


def test_following_twice_is_one_follow_and_one_audit_event(places):
    provider, ward, _ = places
    champion = MembershipFactory(role="champion", organisation=provider).user

    first = services.follow(by=champion, ward=ward)
    again = services.follow(by=champion, ward=ward)

    assert first == again
    assert AuditEvent.objects.filter(action="champions.follow").count() == 1


def test_a_champion_of_one_provider_cannot_follow_another(places):
    provider, _, other = places
    champion = MembershipFactory(role="champion", organisation=provider).user

    with pytest.raises(PermissionDenied):
        services.follow(by=champion, ward=other)
    with pytest.raises(PermissionDenied):
        services.follow(by=champion, provider=other.provider)
    assert not Follow.objects.exists()


def test_a_network_lead_may_follow(places):
    provider, ward, _ = places
    lead = MembershipFactory(role="network_lead", organisation=provider.parent).user

    assert services.follow(by=lead, provider=provider).provider == provider


def test_following_needs_a_ward_or_a_provider_not_both(places):
    provider, ward, _ = places
    champion = MembershipFactory(role="champion", organisation=provider).user

    with pytest.raises(TypeError):
        services.follow(by=champion)
    with pytest.raises(TypeError):
        services.follow(by=champion, ward=ward, provider=provider)


def test_unfollowing_what_you_do_not_follow_changes_nothing(places):
    provider, ward, _ = places
    champion = MembershipFactory(role="champion", organisation=provider).user

    assert services.unfollow(by=champion, ward=ward) is False
    assert not AuditEvent.objects.filter(action="champions.unfollow").exists()


def test_only_the_follower_acknowledges_their_alert(places):
    _, ward, _ = places
    alert = AlertFactory(ward=ward)
    someone = MembershipFactory(role="champion", ward=None, organisation=ward.provider).user

    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(by=someone, alert=alert, note="Not mine")


def test_a_note_is_required_and_not_endless(places):
    _, ward, _ = places
    alert = AlertFactory(ward=ward)

    with pytest.raises(ValidationError) as empty:
        services.alert_acknowledge(by=alert.follower, alert=alert, note="   ")
    with pytest.raises(ValidationError) as long:
        services.alert_acknowledge(
            by=alert.follower, alert=alert, note="x" * (services.NOTE_LENGTH + 1)
        )

    assert "Say what you did" in empty.value.message_dict["note"][0]
    assert "2,000 characters" in long.value.message_dict["note"][0]
