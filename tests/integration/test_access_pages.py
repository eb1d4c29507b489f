"""The access matrix (every role against every permission) and "My access"."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from mhsip.authorization.permissions import Permission
from mhsip.authorization.roles import ROLES
from tests.factories.accounts import UserFactory
from tests.factories.organisations import MembershipFactory, ProviderFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_matrix_shows_every_role_and_every_permission(client):
    client.force_login(UserFactory())

    response = client.get(reverse("authorization:access-matrix"))

    assert response.status_code == 200
    content = response.content.decode()
    for role in ROLES.values():
        assert role.display_name in content
        assert escape(role.description) in content
    for permission in Permission:
        assert escape(permission.description) in content
    assert "A ward, a provider or a network" in content  # patient representative


def test_matrix_rows_say_yes_exactly_where_the_role_allows(client):
    client.force_login(UserFactory())

    rows = client.get(reverse("authorization:access-matrix")).context["rows"]

    patient_data = next(row for row in rows if row.permission == Permission.PATIENT_DATA_VIEW)
    allowed = {
        role.key for role, yes in zip(ROLES.values(), patient_data.allowed, strict=True) if yes
    }
    assert allowed == {"ward_staff", "ward_manager", "qi_lead", "responsible_person"}


def test_matrix_needs_signing_in(client):
    response = client.get(reverse("authorization:access-matrix"))

    assert response.status_code == 302


def test_my_access_lists_memberships_and_what_they_allow(client):
    ward = WardFactory(name="Juniper Ward")
    provider = ProviderFactory(name="Hollybank Trust")
    user = UserFactory()
    MembershipFactory(user=user, role="ward_manager", ward=ward)
    MembershipFactory(user=user, role="responsible_person", organisation=provider)
    client.force_login(user)

    response = client.get(reverse("authorization:my-access"))

    content = response.content.decode()
    assert "Ward manager: Juniper Ward" in content
    assert "Responsible person (Use of Force Act): Hollybank Trust" in content
    assert "Enter monthly occupied bed days" in content
    assert reverse("auditing:audit-log") in content
    assert reverse("two-factor-set-up") in content


def test_my_access_with_no_roles_says_who_to_ask(client):
    client.force_login(UserFactory())

    content = client.get(reverse("authorization:my-access")).content.decode()

    assert "You have no roles yet" in content
    assert reverse("two-factor-set-up") not in content
    assert reverse("auditing:audit-log") not in content
