"""The Use of Force Act's annual statistics against a small world worked by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from mhsip.incidents.models import Intervention, UseOfForceRecord
from mhsip.reports.statistics import (
    StatisticsYear,
    YearBasis,
    age_group,
    annual_statistics,
    shown_count,
)
from tests.factories.accounts import UserFactory
from tests.factories.organisations import ProviderFactory, SiteFactory, WardFactory
from tests.factories.patients import PatientFactory

YEAR = StatisticsYear(YearBasis.FINANCIAL, 2024)  # 1 April 2024 to 31 March 2025


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def use_of_force(ward, patient, day, types, reason="10", by=None):
    record = UseOfForceRecord.objects.create(
        ward=ward,
        patient=patient,
        created_by=by,
        status="complete",
        reason=reason,
        started_at=at(day),
        ended_at=at(day) + timedelta(minutes=30),
    )
    for code in types:
        Intervention.objects.create(record=record, type_code=code)
    return record


@pytest.fixture
def world(db):
    """Two patients with known characteristics, worked by hand:

    Ada (born 1990, female, Black African, Muslim, autistic): 6 incidents of one seated restraint
    (11) for violence to others (10), and one with prone restraint (01) then rapid
    tranquillisation (14) for self-harm (11): 7 incidents, 8 uses of force.
    Ben (born 2007, male, White British, no religion): 2 incidents of seclusion (05), reason not
    recorded; he is 17 at the first (10 May 2024) and 18 at the second (10 June 2024, after his
    birthday on 1 June).
    Outside the year (31 March 2024, 1 April 2025) and on another provider's ward: not counted.
    """
    provider = ProviderFactory(code="RST", name="Statistics Trust")
    ward = WardFactory(site=SiteFactory(parent=provider))
    elsewhere = WardFactory()
    by = UserFactory()
    ada = PatientFactory(
        provider=provider, year_of_birth=1990, sex="female", ethnicity="N",
        religion="muslim", autism="yes", learning_disability="no", disability="not_known",
    )  # fmt: skip
    ben = PatientFactory(
        provider=provider, date_of_birth=date(2006, 6, 1), sex="male", ethnicity="A",
        religion="none", autism="no", learning_disability="no", disability="no",
    )  # fmt: skip
    for month in range(4, 10):
        use_of_force(ward, ada, date(2024, month, 15), ["11"], by=by)
    use_of_force(ward, ada, date(2025, 1, 20), ["01", "14"], reason="11", by=by)
    use_of_force(ward, ben, date(2024, 5, 10), ["05"], reason="", by=by)
    use_of_force(ward, ben, date(2024, 6, 10), ["05"], reason="", by=by)
    use_of_force(ward, ada, date(2024, 3, 31), ["11"], by=by)
    use_of_force(ward, ada, date(2025, 4, 1), ["11"], by=by)
    use_of_force(elsewhere, PatientFactory(provider=elsewhere.provider), date(2024, 5, 1), ["11"],
                 by=by)  # fmt: skip
    return provider


def table(stats, key):
    found = next(t for t in stats.tables if t.key == key)
    return {row.label: row.counts for row in found.rows}, found


def test_totals_count_uses_of_force_incidents_and_people_in_the_year(world):
    stats = annual_statistics(world, YEAR)

    assert (stats.uses_of_force, stats.incidents, stats.people) == (10, 9, 2)


def test_uses_of_force_by_type_and_kind(world):
    stats = annual_statistics(world, YEAR)

    by_type, type_table = table(stats, "type")
    assert by_type["Physical restraint - seated"] == (6, 1)
    assert by_type["Physical restraint - prone"] == (1, 1)
    assert by_type["Chemical restraint - injection (rapid tranquillisation)"] == (1, 1)
    assert by_type["Seclusion"] == (2, 1)
    assert by_type["Mechanical restraint"] == (0, 0)  # every type is listed, zeros too
    assert len(by_type) == 15
    assert type_table.total == (10, 2)
    by_kind, _ = table(stats, "kind")
    assert by_kind == {
        "Physical restraint": (7, 1),
        "Mechanical restraint": (0, 0),
        "Seclusion": (2, 1),
        "Segregation": (0, 0),
        "Chemical restraint": (1, 1),
    }


def test_incidents_by_reason(world):
    by_reason, reason_table = table(annual_statistics(world, YEAR), "reason")

    assert by_reason["Prevent violence to others"] == (6, 6)
    assert by_reason["Prevent serious intentional self-harm"] == (1, 2)
    assert by_reason["Not recorded"] == (2, 2)
    assert by_reason["Facilitate personal care"] == (0, 0)
    assert reason_table.total == (9, 10)


def test_relevant_characteristics(world):
    stats = annual_statistics(world, YEAR)

    by_age, _ = table(stats, "age")
    assert by_age["Under 18"] == (1, 1)  # Ben before his birthday
    assert by_age["18 to 24"] == (1, 1)  # and after it
    # Only Ada's year of birth is known: she counts as 34 in 2024 and 35 in January 2025.
    assert by_age["25 to 34"] == (6, 1)
    assert by_age["35 to 44"] == (2, 1)
    by_sex, _ = table(stats, "sex")
    assert by_sex["Female"] == (8, 1)
    assert by_sex["Male"] == (2, 1)
    assert by_sex["Not known"] == (0, 0)
    by_ethnicity, _ = table(stats, "ethnicity")
    assert by_ethnicity["Black or Black British"] == (8, 1)
    assert by_ethnicity["White"] == (2, 1)
    assert by_ethnicity["Asian or Asian British"] == (0, 0)
    by_religion, _ = table(stats, "religion")
    assert by_religion["Muslim"] == (8, 1)
    assert by_religion["No religion"] == (2, 1)
    by_autism, _ = table(stats, "autism")
    assert by_autism["Yes"] == (8, 1)
    assert by_autism["No"] == (2, 1)
    by_disability, _ = table(stats, "disability")
    assert by_disability["Not known"] == (8, 1)
    by_orientation, _ = table(stats, "sexual_orientation")
    assert by_orientation["Not known"] == (10, 2)  # the factory records none
    assert "Pregnancy and maternity" in stats.not_recorded_characteristics


def test_tables_suppressed_for_publication(world):
    stats = annual_statistics(world, YEAR)
    _, type_table = table(stats, "type")

    shown = dict(type_table.shown(exact=False))

    assert shown["Physical restraint - seated"] == ["5", "*"]  # 6 rounds to 5; 1 person hidden
    assert shown["Seclusion"] == ["*", "*"]
    assert shown["Mechanical restraint"] == ["*", "*"]  # zero is under 5 too
    assert shown["Total"] == ["10", "*"]
    assert dict(type_table.shown(exact=True))["Physical restraint - seated"] == ["6", "1"]


def test_calendar_year_counts_january_to_december(world):
    stats = annual_statistics(world, StatisticsYear(YearBasis.CALENDAR, 2024))

    # 2024: Ada's six seated restraints and her 31 March one, Ben's two seclusions.
    assert (stats.uses_of_force, stats.incidents) == (9, 9)


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "*"), (4, "*"), (5, "5"), (7, "5"), (8, "10"), (12, "10"), (13, "15")]
)
def test_shown_count_applies_nhs_digital_rules(count, shown):
    assert shown_count(count, exact=False) == shown


def test_age_group_bands():
    assert [age_group(a) for a in (None, 17, 18, 64, 65)] == [
        "Not known", "Under 18", "18 to 24", "55 to 64", "65 and over",
    ]  # fmt: skip


def test_year_labels_and_latest_complete_year():
    assert YEAR.label == "2024-25"
    assert YEAR.words == "1 April 2024 to 31 March 2025"
    assert StatisticsYear.latest_complete(YearBasis.FINANCIAL, date(2026, 3, 31)).start_year == 2024
    assert StatisticsYear.latest_complete(YearBasis.FINANCIAL, date(2026, 4, 1)).start_year == 2025
    assert StatisticsYear.latest_complete(YearBasis.CALENDAR, date(2026, 4, 1)).label == "2025"
