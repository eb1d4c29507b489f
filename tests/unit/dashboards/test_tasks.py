"""The dashboards' cache: keyed by the data of the target's own wards, and filled again by a
background task after each change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from mhsip.auditing.services import record_event
from mhsip.dashboards.presenters import (
    dashboard_span,
    data_version,
    summary_cache_key,
    target_for,
)
from mhsip.dashboards.queries import Level
from mhsip.dashboards.tasks import dashboards_above, warm_dashboards
from tests.factories.organisations import ProviderFactory, SiteFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory
from tests.factories.worlds import fill_ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    provider = ProviderFactory(code="ZZA")
    site = SiteFactory(parent=provider)
    oak = WardFactory(site=site, code="OAK", name="Oak Ward")
    elm = WardFactory(site=site, code="ELM", name="Elm Ward")
    fill_ward(oak, months=14, seed=1)
    fill_ward(elm, months=14, seed=2)
    return {"provider": provider, "network": provider.parent, "oak": oak, "elm": elm}


def test_data_version_changes_when_a_stay_of_the_ward_ends(world):
    before = data_version([world["oak"].pk])
    stay = world["oak"].stays.first()
    stay.ended_at = timezone.now()
    stay.save()
    assert data_version([world["oak"].pk]) != before


def test_data_version_ignores_other_wards_and_audit_events(world):
    before = data_version([world["oak"].pk])
    record_event(by=None, action="use_of_force_record.view", summary="a read changes nothing")
    patient = PatientFactory(provider=world["provider"])
    WardStayFactory(patient=patient, ward=world["elm"], started_at=timezone.now())
    assert data_version([world["oak"].pk]) == before
    assert data_version([world["oak"].pk, world["elm"].pk]) != before


def test_dashboards_above_a_ward_are_its_own_its_providers_and_its_networks(world):
    found = dashboards_above([world["oak"].pk])
    assert found == [
        (Level.WARD, "OAK"),
        (Level.PROVIDER, "ZZA"),
        (Level.NETWORK, world["network"].code),
    ]


def test_warm_dashboards_fills_the_cache_for_exact_and_suppressed_views(world):
    span = dashboard_span()
    keys = [
        summary_cache_key(target_for(level, code, exact=exact), span)
        for level, code in dashboards_above([world["oak"].pk])
        for exact in (True, False)
    ]
    assert all(cache.get(key) is None for key in keys)

    computed = warm_dashboards.call([world["oak"].pk])

    assert computed == len(keys) == 6
    assert all(cache.get(key) is not None for key in keys)
    assert warm_dashboards.call([world["oak"].pk]) == 0  # already warm: nothing recomputed


def test_a_saved_stay_queues_warming_after_commit(
    world, settings, django_capture_on_commit_callbacks
):
    settings.MHSIP_WARM_DASHBOARDS = True
    patient = PatientFactory(provider=world["provider"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        WardStayFactory(
            patient=patient, ward=world["elm"], started_at=timezone.now() - timedelta(days=40)
        )
        WardStayFactory(
            patient=patient, ward=world["elm"], started_at=timezone.now() - timedelta(days=3)
        )
    assert len(callbacks) == 1  # one task for the transaction, however many rows it saved
    provider = target_for(Level.PROVIDER, "ZZA", exact=True)
    assert cache.get(summary_cache_key(provider, dashboard_span())) is not None


def test_nothing_is_queued_when_warming_is_off(world, settings, django_capture_on_commit_callbacks):
    settings.MHSIP_WARM_DASHBOARDS = False
    patient = PatientFactory(provider=world["provider"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        WardStayFactory(patient=patient, ward=world["elm"], started_at=timezone.now())
    assert callbacks == []


def test_a_summary_from_a_networks_rows_equals_one_from_the_wards_own(world):
    from mhsip.dashboards.presenters import make_summary
    from mhsip.dashboards.queries import fetch_ward_rows

    span = dashboard_span()
    everything = fetch_ward_rows([world["oak"].pk, world["elm"].pk])
    for level, code in [(Level.WARD, "OAK"), (Level.PROVIDER, "ZZA")]:
        target = target_for(level, code, exact=True)
        own, shared = make_summary(target, span), make_summary(target, span, everything)
        for kind, rows in own.rows_by_type.items():
            for mine, theirs in zip(rows, shared.rows_by_type[kind], strict=True):
                assert mine.chart["points"] == theirs.chart["points"], (code, mine.measure.id)
        assert own.wards_meeting_aim == shared.wards_meeting_aim
