"""Epoch() reads datetimes as seconds on whichever database runs the tests."""

from datetime import UTC, datetime

import pytest

from mhsip.dashboards.arrays import Epoch, fetch_columns, local_datetimes
from mhsip.patients.models import WardStay
from tests.factories.patients import WardStayFactory

pytestmark = pytest.mark.django_db


def test_epoch_round_trips_stay_times_into_ward_time():
    WardStayFactory(started_at=datetime(2024, 7, 31, 23, 30, tzinfo=UTC), ended_at=None)
    starts, ends = fetch_columns(WardStay.objects.all(), Epoch("started_at"), Epoch("ended_at"))
    assert ends == [None]
    # 23:30 UTC on 31 July is 00:30 on 1 August in London (BST).
    assert str(local_datetimes(starts)[0]) == "2024-08-01T00:30:00"


def test_an_explicit_order_is_kept():
    for day in (3, 1, 2):
        WardStayFactory(started_at=datetime(2024, 7, day, tzinfo=UTC))
    (ids,) = fetch_columns(WardStay.objects.order_by("-pk"), "pk")
    assert ids == sorted(ids, reverse=True)
