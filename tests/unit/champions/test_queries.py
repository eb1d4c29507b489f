"""Who may follow what, and whether they see exact or suppressed figures when they do."""

from __future__ import annotations

import pytest

from mhsip.champions.queries import (
    follow_access,
    followable_providers,
    followable_wards,
    follows_of,
)
from mhsip.organisations.models import Membership
from tests.factories.champions import FollowFactory
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    provider = ProviderFactory()
    WardFactory(site=SiteFactory(parent=provider), name="Alder Ward")
    return provider


def test_a_network_champion_follows_with_suppressed_figures(provider):
    champion = MembershipFactory(role="champion", organisation=provider.parent).user
    ward = provider.children.get().wards.get()

    assert follow_access(champion, ward=ward) is False
    assert follow_access(champion, provider=provider) is False
    assert follow_access(champion, provider=provider.parent) is None  # networks: not followed
    assert list(followable_wards(champion)) == [ward]
    assert list(followable_providers(champion)) == [provider]


def test_a_champion_who_is_also_qi_lead_follows_with_exact_figures(provider):
    person = MembershipFactory(role="champion", organisation=provider).user
    MembershipFactory(user=person, role="qi_lead", organisation=provider)

    assert follow_access(person, provider=provider) is True


@pytest.mark.parametrize("role", ["ward_manager", "qi_lead", "responsible_person"])
def test_seeing_figures_is_not_enough_to_follow(provider, role):
    person = MembershipFactory(role=role, organisation=provider).user

    assert follow_access(person, provider=provider) is None
    assert not followable_wards(person).exists()


def test_follows_of_hides_follows_whose_role_has_gone(provider):
    champion = MembershipFactory(role="champion", organisation=provider).user
    FollowFactory(follower=champion, ward=provider.children.get().wards.get())
    assert len(follows_of(champion)) == 1

    Membership.objects.filter(user=champion).delete()

    assert follows_of(champion) == []
