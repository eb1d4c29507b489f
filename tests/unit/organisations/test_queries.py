import pytest

from mhsip.organisations.queries import ward_by_code, wards_visible_to
from tests.factories.organisations import MembershipFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_a_person_sees_the_wards_of_their_roles_only():
    ward = WardFactory(name="Birch")
    sibling = WardFactory(site=ward.site, name="Aspen")
    WardFactory(name="Elsewhere")
    nurse = MembershipFactory(role="ward_staff", ward=ward).user
    qi_lead = MembershipFactory(role="qi_lead", organisation=ward.provider).user
    network_lead = MembershipFactory(role="network_lead", organisation=ward.provider.parent).user

    assert list(wards_visible_to(nurse)) == [ward]
    assert list(wards_visible_to(qi_lead)) == [sibling, ward]
    assert list(wards_visible_to(network_lead)) == []


def test_ward_by_code():
    ward = WardFactory()

    assert ward_by_code(ward.code) == ward
    assert ward_by_code("nope") is None
