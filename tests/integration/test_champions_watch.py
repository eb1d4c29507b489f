"""The watcher on generated wards, run as its background task: alerts raised once each, from
the figures the follower sees, and never twice however often it runs."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mhsip.auditing.models import AuditEvent
from mhsip.champions.models import Alert
from mhsip.champions.tasks import watch_measures
from mhsip.dashboards.presenters import dashboard_span
from mhsip.organisations.models import Membership
from tests.factories.champions import FollowFactory, jump_in_the_last_month, steady, stopped
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    provider = ProviderFactory(code="ZZA", name="Zephyr Health")
    site = SiteFactory(parent=provider)
    oak = WardFactory(site=site, code="OAK", name="Oak Ward")
    elm = WardFactory(site=site, code="ELM", name="Elm Ward")
    ash = WardFactory(site=site, code="ASH", name="Ash Ward")
    jump_in_the_last_month(oak)
    steady(elm)
    first_empty = stopped(ash)
    champion = MembershipFactory(role="champion", organisation=provider.parent).user
    return {
        "provider": provider,
        "oak": oak,
        "elm": elm,
        "ash": ash,
        "first_empty": first_empty,
        "champion": champion,
        "newest": dashboard_span().labels[-1],
    }


def alerts_of(user, **about):
    return list(Alert.objects.filter(follower=user, **about).order_by("key"))


def test_a_jump_in_the_newest_month_raises_a_concern_once(world):
    FollowFactory(follower=world["champion"], ward=world["oak"])

    first = watch_measures.enqueue().return_value
    again = watch_measures.enqueue().return_value

    main = alerts_of(world["champion"], measure="restrictive_interventions")
    assert [(a.kind, a.period) for a in main] == [("special_cause_concern", world["newest"])]
    assert "Oak Ward" in main[0].message
    assert first["raised"] >= 1
    assert again["raised"] == 0
    assert Alert.objects.count() == first["raised"]


def test_a_steady_ward_raises_nothing(world):
    FollowFactory(follower=world["champion"], ward=world["elm"])

    report = watch_measures.enqueue().return_value

    assert report == {"follows": 1, "skipped": 0, "raised": 0}


def test_data_that_stopped_is_raised_once_from_its_first_empty_month(world):
    FollowFactory(follower=world["champion"], ward=world["ash"])

    watch_measures.enqueue()
    watch_measures.enqueue()

    stopped_alerts = alerts_of(world["champion"], kind="data_stopped")
    assert [(a.ward, a.period) for a in stopped_alerts] == [(world["ash"], world["first_empty"])]


def test_following_a_provider_watches_it_and_each_of_its_wards_data(world):
    FollowFactory(follower=world["champion"], ward=None, provider=world["provider"])
    FollowFactory(follower=world["champion"], ward=world["ash"])

    watch_measures.enqueue()

    # Ash's data stopping is one alert, though it is followed twice (itself and its provider).
    assert [a.ward for a in alerts_of(world["champion"], kind="data_stopped")] == [world["ash"]]
    provider_alerts = alerts_of(world["champion"], provider=world["provider"])
    assert all(a.measure for a in provider_alerts)


def test_each_follower_gets_their_own_alert_from_the_figures_they_see(world):
    # A QI lead who is also the provider's champion sees exact figures; the network's champion
    # sees them suppressed. Both charts show the jump.
    lead = MembershipFactory(role="qi_lead", organisation=world["provider"]).user
    MembershipFactory(user=lead, role="champion", organisation=world["provider"])
    FollowFactory(follower=world["champion"], ward=world["oak"])
    FollowFactory(follower=lead, ward=world["oak"])

    watch_measures.enqueue()

    for person in (world["champion"], lead):
        kinds = [a.kind for a in alerts_of(person, measure="restrictive_interventions")]
        assert kinds == ["special_cause_concern"]


def test_a_follower_whose_role_has_gone_is_skipped(world):
    FollowFactory(follower=world["champion"], ward=world["oak"])
    Membership.objects.filter(user=world["champion"]).delete()

    report = watch_measures.enqueue().return_value

    assert report["skipped"] == 1
    assert Alert.objects.count() == 0


def test_each_run_is_audited(world):
    FollowFactory(follower=world["champion"], ward=world["oak"])

    watch_measures.enqueue()

    event = AuditEvent.objects.get(action="champions.watch")
    assert event.detail["follows"] == 1
    assert event.detail["raised"] == Alert.objects.count()


def test_the_command_runs_the_watcher_now_or_queues_it(world, capsys):
    FollowFactory(follower=world["champion"], ward=world["oak"])

    call_command("champions", "watch", "--now")
    raised = Alert.objects.count()
    call_command("champions", "all")

    output = capsys.readouterr().out
    assert "watch_measures: {'follows': 1" in output
    assert "queued as task" in output
    assert Alert.objects.count() == raised > 0
