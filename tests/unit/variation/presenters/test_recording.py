from __future__ import annotations

from datetime import timedelta

import pytest

from mhsip.incidents.models import UseOfForceRecord
from mhsip.variation.presenters.recording import make_data_quality
from tests.factories.organisations import WardFactory
from tests.factories.worlds import months_back

pytestmark = pytest.mark.django_db


def test_a_silent_month_and_a_ward_without_bed_days_are_flagged(provider_world, target_for):
    wards = provider_world["wards"]
    silent = months_back(3)[0]
    UseOfForceRecord.objects.filter(
        ward=wards["elm"], started_at__gte=silent, started_at__lt=silent + timedelta(days=28)
    ).delete()
    empty = WardFactory(site=wards["oak"].site, name="Empty Ward", ward_type="adult_acute")

    page = make_data_quality(target_for(provider_world["provider"], exact=True))

    flagged = {w.ward.name: w for w in page.flagged}
    elm = flagged["Elm Ward"]
    assert [m.month for m in elm.months] == [f"{silent:%B %Y}"]
    assert elm.months[0].events == 0 and elm.months[0].expected > 20
    assert elm.silent_months == 1
    assert flagged[empty.name].no_bed_days
    assert "Birch Ward" in flagged and flagged["Birch Ward"].low_against_peers
    yew = next(w for w in page.wards if w.ward.name == "Yew Ward")
    assert yew.expected is None and not yew.flagged  # no other PICU here
    assert any("Yew Ward" in s for s in page.sentences)


def test_suppressed_viewers_flag_only_what_even_four_records_would_not_explain(
    provider_world, target_for
):
    wards = provider_world["wards"]
    silent = months_back(2)[0]
    UseOfForceRecord.objects.filter(
        ward=wards["elm"], started_at__gte=silent, started_at__lt=silent + timedelta(days=28)
    ).delete()

    page = make_data_quality(target_for(provider_world["provider"], exact=False))

    elm = next(w for w in page.wards if w.ward.name == "Elm Ward")
    (month,) = elm.months
    assert month.events is None  # a hidden count, never a 0
    assert all(w.silent_months == 0 for w in page.wards)
