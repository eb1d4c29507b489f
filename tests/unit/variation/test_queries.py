"""Counts by patient characteristic, worked by hand on a small ward in January 2025.

    patient  group  stay (January)           bed days  interventions in January
    W1       White  1st noon to 11th noon    10        5th: prone + seated; 8th: seated
    W2       White  20 Dec, still there      31        (one in February: outside)
    B1       Black  10th to 30th             20        12th: seclusion + rapid tranq.; 20th: prone
    B2       Black  15th to 20th              5        none

White: 41 bed days, 2 people, 1 restrained, 3 interventions (1 prone).
Black: 25 bed days, 2 people, 1 restrained, 3 interventions (1 prone, 1 seclusion, 1 RT).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from mhsip.incidents.models import Intervention, UseOfForceRecord
from mhsip.measures import load_catalogue
from mhsip.variation.characteristics import CHARACTERISTICS
from mhsip.variation.queries import (
    fetch_people_rows,
    group_counts,
    intervention_types,
    provider_units,
    unit_measure,
    ward_units,
    wards_of,
)
from tests.factories.accounts import UserFactory
from tests.factories.organisations import SiteFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

pytestmark = pytest.mark.django_db

KINDS = {
    kind: intervention_types(load_catalogue()[kind])
    for kind in (
        "restrictive_interventions",
        "prone_restraint",
        "seclusion",
        "rapid_tranquillisation",
    )
}


def at(day: str, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day) + timedelta(hours=hour))


@pytest.fixture
def ward():
    ward = WardFactory()
    provider = ward.provider
    author = UserFactory()
    people = {
        key: PatientFactory(provider=provider, ethnicity=code, year_of_birth=born)
        for key, code, born in [("W1", "A", 1990), ("W2", "B", 1960), ("B1", "N", 2000), ("B2", "M", 1990)]
    }  # fmt: skip
    for key, start, end in [
        ("W1", at("2025-01-01"), at("2025-01-11")),
        ("W2", at("2024-12-20"), None),
        ("B1", at("2025-01-10"), at("2025-01-30")),
        ("B2", at("2025-01-15"), at("2025-01-20")),
    ]:
        WardStayFactory(patient=people[key], ward=ward, started_at=start, ended_at=end)
    for key, day, types in [
        ("W1", "2025-01-05", ["01", "11"]),
        ("W1", "2025-01-08", ["11"]),
        ("B1", "2025-01-12", ["05", "14"]),
        ("B1", "2025-01-20", ["01"]),
        ("W2", "2025-02-03", ["11"]),
    ]:
        record = UseOfForceRecord.objects.create(
            ward=ward,
            patient=people[key],
            created_by=author,
            status="complete",
            started_at=at(day),
            ended_at=at(day) + timedelta(minutes=30),
        )
        for code in types:
            Intervention.objects.create(
                record=record,
                type_code=code,
                started_at=record.started_at,
                ended_at=record.ended_at,
            )
    return ward


def january(ward, key="ethnic_group"):
    rows = fetch_people_rows([ward.pk])
    return group_counts(rows, CHARACTERISTICS[key], date(2025, 1, 1), date(2025, 2, 1), KINDS)


def by_group(counts, values):
    return {g: v for g, v in zip(counts.groups, values, strict=True) if v}


def test_bed_days_and_people_come_from_the_groups_stays(ward):
    counts = january(ward)

    assert by_group(counts, counts.bed_days) == {"White": 41, "Black or Black British": 25}
    assert by_group(counts, counts.people_in_hospital) == {"White": 2, "Black or Black British": 2}


def test_interventions_and_people_restrained_by_kind(ward):
    counts = january(ward)
    black = "Black or Black British"

    assert by_group(counts, counts.interventions["restrictive_interventions"]) == {
        "White": 3,
        black: 3,
    }
    assert by_group(counts, counts.people_restrained["restrictive_interventions"]) == {
        "White": 1,
        black: 1,
    }
    assert by_group(counts, counts.interventions["prone_restraint"]) == {"White": 1, black: 1}
    assert by_group(counts, counts.interventions["seclusion"]) == {black: 1}
    assert by_group(counts, counts.people_restrained["rapid_tranquillisation"]) == {black: 1}


def test_age_is_taken_at_the_end_of_the_period(ward):
    counts = january(ward, "age_band")

    # W1 and B2 born 1990 (35 in 2025), W2 1960 (65), B1 2000 (25).
    assert by_group(counts, counts.people_in_hospital) == {
        "25 to 34": 1,
        "35 to 49": 2,
        "65 and over": 1,
    }
    assert by_group(counts, counts.bed_days) == {"25 to 34": 20, "35 to 49": 15, "65 and over": 31}


def test_providers_are_made_of_the_given_wards_only():
    site = SiteFactory()
    acute = WardFactory(site=site, ward_type="adult_acute")
    WardFactory(site=site, ward_type="picu")

    (unit,) = provider_units([acute])

    assert unit.code == site.parent.code and unit.ward_ids == (acute.pk,)


def test_unit_measure_sums_a_wards_months(ward):
    from mhsip.measures import month_periods

    span = month_periods(date(2025, 1, 1), date(2025, 2, 1))
    (unit,) = ward_units(wards_of(ward_units([ward])[0]))

    values = unit_measure([unit], span, load_catalogue()["restrictive_interventions"])

    assert values.numerator.tolist() == [[6, 1]]
    # February: W2 all month (28) and B1's stay ended in January.
    assert values.denominator.tolist() == [[66, 28]]
