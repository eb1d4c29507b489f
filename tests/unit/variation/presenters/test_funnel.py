from __future__ import annotations

import math

import numpy as np
import pytest

from mhsip.comparison import Flag
from mhsip.variation.presenters.funnel import make_funnel_page, shown_totals

pytestmark = pytest.mark.django_db


def flags(page) -> dict[str, str]:
    return {row.name: row.flag for row in page.rows}


def test_funnel_compares_the_commonest_ward_type_by_default(provider_world, target_for):
    page = make_funnel_page(target_for(provider_world["provider"], exact=True), {})

    assert page.options.peer == "adult_acute" and page.options.months == 12
    assert flags(page) == {
        "Ash Ward": Flag.IN_RANGE,
        "Birch Ward": Flag.LOW,
        "Elm Ward": Flag.HIGH,
        "Oak Ward": Flag.IN_RANGE,
    }
    assert "Yew Ward" not in flags(page)  # a PICU: not like the others
    text = " ".join(page.sentences)
    assert "4 wards compared: adult acute wards in Vale NHS Trust" in text
    assert "Above the upper 99.8% limit: Elm Ward." in text
    assert "bright spot" in text and "under-recorded" in text
    assert page.spec is not None and len(page.spec["layer"]) == 4


def test_rows_hold_exact_figures_inside_the_provider(provider_world, target_for):
    page = make_funnel_page(target_for(provider_world["provider"], exact=True), {})

    elm = next(row for row in page.rows if row.name == "Elm Ward")
    assert elm.rate == pytest.approx(elm.events / elm.bed_days * 1000)
    assert elm.lower_998 < elm.lower_95 < page.centre < elm.upper_95 < elm.upper_998


def test_unknown_options_fall_back_and_all_wards_include_every_type(provider_world, target_for):
    page = make_funnel_page(
        target_for(provider_world["provider"], exact=True),
        {"peer": "all", "measure": "hugs", "months": "7", "overdispersion": "multiplicative"},
    )

    assert page.options.measure == "restrictive_interventions" and page.options.months == 12
    assert "Yew Ward" in flags(page)
    assert page.phi is not None and page.phi > 1
    assert any("widened for over-dispersion" in s for s in page.sentences)


def test_suppressed_viewers_see_counts_rounded_to_five(provider_world, target_for):
    page = make_funnel_page(target_for(provider_world["provider"], exact=False), {})

    for row in page.rows:
        assert row.events is None or row.events % 5 == 0
        assert (row.flag == Flag.UNKNOWN) == (row.events is None)
    # The centre is pooled from the rounded counts only.
    known = [row for row in page.rows if row.events is not None]
    assert page.centre == pytest.approx(
        sum(r.events for r in known) / sum(r.bed_days for r in known) * 1000
    )


def test_shown_totals_hide_small_counts_and_rates_on_few_bed_days():
    events, bed_days = np.array([3.0, 12.0, 7.0]), np.array([500.0, 500.0, 50.0])

    assert shown_totals(events, bed_days, exact=True).tolist() == [3, 12, 7]
    shown = shown_totals(events, bed_days, exact=False)
    assert math.isnan(shown[0]) and shown[1] == 10 and math.isnan(shown[2])


def test_a_network_compares_providers_and_can_compare_wards(provider_world, target_for):
    from mhsip.dashboards.queries import Level

    network = provider_world["network"]
    by_provider = make_funnel_page(target_for(network, exact=False, level=Level.NETWORK), {})
    by_ward = make_funnel_page(
        target_for(network, exact=False, level=Level.NETWORK), {"unit": "ward"}
    )

    assert [row.name for row in by_provider.rows] == ["Vale NHS Trust"]
    assert by_provider.problem is None and "Only 1 provider has figures" in " ".join(
        by_provider.sentences
    )
    assert len(by_ward.rows) == 4
