from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from mhsip.variation.presenters.inequalities import (
    KINDS,
    equality_table,
    make_inequalities_page,
    trend_periods,
    usable_references,
)
from mhsip.variation.queries import GroupCounts

GROUPS = ("White", "Black", "Asian", "Not known")


def counts(events, people, restrained, bed_days) -> GroupCounts:
    per_kind = {kind: np.array(events, dtype=float) for kind in KINDS}
    return GroupCounts(
        groups=GROUPS,
        people_in_hospital=np.array(people, dtype=float),
        bed_days=np.array(bed_days, dtype=float),
        people_restrained={kind: np.array(restrained, dtype=float) for kind in KINDS},
        interventions=per_kind,
    )


HAND = counts(
    events=[100, 60, 3, 9],
    people=[200, 40, 4, 12],
    restrained=[50, 20, 2, 6],
    bed_days=[10000, 2000, 300, 500],
)


def rows(table):
    return {row.group: row for row in table.rows}


def test_exact_table_rates_ratios_and_risk_ratios_by_hand():
    table = equality_table(HAND, "restrictive_interventions", "White", exact=True)

    white, black = rows(table)["White"], rows(table)["Black"]
    assert white.is_reference and white.rate_ratio == 1.0 and white.rate == pytest.approx(10.0)
    assert black.rate == pytest.approx(30.0) and black.rate_ratio == pytest.approx(3.0)
    assert black.ratio_lower > 1 and "a real difference, higher" in black.reading
    assert black.percent == pytest.approx(50.0)
    assert black.risk_ratio == pytest.approx(0.5 / 0.25)  # 20/40 against 50/200
    assert "times the share of White's patients restrained" in black.risk_reading
    # Small groups keep their exact figures inside the provider.
    assert rows(table)["Asian"].interventions == 3 and rows(table)["Asian"].rate_ratio is not None
    assert [line.split(":")[0] for line in table.readings] == ["Black", "Asian"]


def test_suppressed_table_withholds_small_groups_and_rounds_the_rest():
    table = equality_table(HAND, "restrictive_interventions", "White", exact=False)

    asian, unknown, black = rows(table)["Asian"], rows(table)["Not known"], rows(table)["Black"]
    assert asian.status == "suppressed" and asian.bed_days is None and asian.rate is None
    assert unknown.interventions == 10 and unknown.people == 10  # 9 and 12 rounded to 5
    assert black.people == 40 and black.interventions == 60
    assert asian.rate_ratio is None and asian.reading.startswith("Suppressed")


def test_rates_on_under_100_bed_days_are_hidden_outside_the_provider():
    few = counts(events=[100, 10, 0, 0], people=[200, 6, 0, 0], restrained=[50, 5, 0, 0],
                 bed_days=[10000, 90, 0, 0])  # fmt: skip

    table = equality_table(few, "restrictive_interventions", "White", exact=False)

    black = rows(table)["Black"]
    assert black.interventions == 10 and black.rate is None and black.rate_ratio is None


def test_references_are_known_groups_with_events_largest_first():
    assert usable_references(HAND, exact=True) == ["White", "Black", "Asian"]
    assert usable_references(HAND, exact=False) == ["White", "Black"]


def test_no_ratios_when_the_reference_had_none_of_a_kind():
    none = counts(events=[0, 6, 0, 0], people=[200, 40, 0, 0], restrained=[0, 3, 0, 0],
                  bed_days=[10000, 2000, 0, 0])  # fmt: skip

    table = equality_table(none, "seclusion", "White", exact=True)

    assert table.note.startswith("No ratios for seclusion: White had no such interventions")
    assert rows(table)["Black"].rate == pytest.approx(3.0)


def test_trend_periods_are_whole_quarters_and_years_ending_last_month():
    quarters = trend_periods("quarter", date(2026, 6, 15))
    years = trend_periods("year", date(2026, 6, 15))

    assert len(quarters) == 12 and len(years) == 3
    assert quarters[-1] == ("Mar–May 2026", date(2026, 3, 1), date(2026, 6, 1))
    assert years[0] == ("Jun 2023–May 2024", date(2023, 6, 1), date(2024, 6, 1))
    assert all(a[2] == b[1] for a, b in zip(quarters, quarters[1:], strict=False))


@pytest.mark.django_db
def test_page_for_a_provider(provider_world, target_for):
    from mhsip.patients.models import Patient

    # A third of the patients are Black or Black British (fill_ward makes them all White).
    for patient in Patient.objects.filter(provider=provider_world["provider"])[::3]:
        patient.ethnicity = "N"
        patient.save()

    page = make_inequalities_page(target_for(provider_world["provider"], exact=True), {})

    assert page.options.reference == "White" and page.options.characteristic == "ethnic_group"
    assert [t.kind for t in page.tables] == list(KINDS)
    assert {r.group for r in page.main.rows} == {"White", "Black or Black British"}
    assert len(page.overview) == 10
    assert page.trend_spec is not None and len(page.trend_periods) == 12
    assert page.trend_rows and page.gap_readings[0].startswith("Comparing")
