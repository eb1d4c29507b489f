import pytest

from mhsip.authorization.checks import has_permission, organisations_where, wards_where
from mhsip.authorization.permissions import Permission
from mhsip.authorization.roles import ROLES
from tests.factories.accounts import UserFactory
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    provider = ProviderFactory()
    other_provider = ProviderFactory(parent=provider.parent)
    site = SiteFactory(parent=provider)
    return {
        "network": provider.parent,
        "provider": provider,
        "ward": WardFactory(site=site),
        "sibling_ward": WardFactory(site=site),
        "other_ward": WardFactory(site=SiteFactory(parent=other_provider)),
    }


def test_ward_staff_see_patient_data_of_their_ward_only(tree):
    user = MembershipFactory(role="ward_staff", ward=tree["ward"]).user
    assert has_permission(user, Permission.PATIENT_DATA_VIEW, ward=tree["ward"])
    assert not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=tree["sibling_ward"])
    assert list(wards_where(user, Permission.PATIENT_DATA_VIEW)) == [tree["ward"]]


def test_provider_role_reaches_every_ward_of_the_provider(tree):
    user = MembershipFactory(role="qi_lead", organisation=tree["provider"]).user
    wards = set(wards_where(user, Permission.PATIENT_DATA_VIEW))
    assert wards == {tree["ward"], tree["sibling_ward"]}
    assert not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=tree["other_ward"])


def test_network_roles_never_see_patient_data(tree):
    for role in ("network_lead", "champion", "patient_representative"):
        user = MembershipFactory(role=role, organisation=tree["network"]).user
        assert not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=tree["ward"])
        assert not wards_where(user, Permission.PATIENT_DATA_VIEW).exists()
        assert has_permission(
            user, Permission.SUPPRESSED_AGGREGATE_VIEW, organisation=tree["provider"]
        )


def test_no_role_that_reaches_a_network_carries_patient_data():
    for role in ROLES.values():
        if "network" in role.scopes or "everywhere" in role.scopes:
            assert Permission.PATIENT_DATA_VIEW not in role.permissions, role.key


def test_system_admin_manages_everything_but_sees_no_patients(tree):
    user = MembershipFactory(role="system_admin").user
    assert has_permission(user, Permission.ORGANISATION_MANAGE, organisation=tree["provider"])
    assert set(organisations_where(user, Permission.ORGANISATION_MANAGE)) >= {tree["provider"]}
    assert not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=tree["ward"])


def test_anonymous_and_inactive_people_have_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not has_permission(AnonymousUser(), Permission.AGGREGATE_VIEW)
    user = MembershipFactory(role="ward_manager", ward=tree["ward"]).user
    user.is_active = False
    user.save()
    assert not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=tree["ward"])


def test_a_ward_role_does_not_reach_up_to_the_provider(tree):
    user = MembershipFactory(role="ward_manager", ward=tree["ward"]).user
    assert not has_permission(user, Permission.AGGREGATE_VIEW, organisation=tree["provider"])


def test_check_refuses_strings_and_two_targets(tree):
    user = UserFactory()
    with pytest.raises(TypeError):
        has_permission(user, "patient_data_view")
    with pytest.raises(TypeError):
        has_permission(
            user, Permission.AGGREGATE_VIEW, ward=tree["ward"], organisation=tree["provider"]
        )


def test_every_role_has_a_plain_english_description_and_known_permissions():
    for role in ROLES.values():
        assert len(role.description) > 40
        assert role.permissions and role.scopes
        for permission in role.permissions:
            assert permission.description
