"""`mhsip measures` on a small world worked by hand."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from mhsip.incidents.models import Intervention, UseOfForceRecord
from tests.factories.accounts import UserFactory
from tests.factories.organisations import ProviderFactory, SiteFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
FIELDS = [
    "level",
    "organisation",
    "period",
    "measure",
    "measure_id",
    "numerator",
    "denominator",
    "value",
]


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def world():
    provider = ProviderFactory(code="ZZ1")
    site = SiteFactory(parent=provider)
    oak = WardFactory(site=site, code="OAK")
    elm = WardFactory(site=site, code="ELM")
    ann, bob, cy = (PatientFactory(provider=provider) for _ in range(3))
    # Ann: 20 Jan to 10 Feb on Oak (12 + 9 bed days), then Elm from 10 Feb, still there.
    WardStayFactory(
        patient=ann, ward=oak, started_at=at("2024-01-20 09:00"), ended_at=at("2024-02-10 14:00")
    )
    WardStayFactory(patient=ann, ward=elm, started_at=at("2024-02-10 14:00"), ended_at=None)
    # Bob: a same-day stay on Oak (0 bed days, but one of the people in hospital).
    WardStayFactory(
        patient=bob, ward=oak, started_at=at("2024-01-05 10:00"), ended_at=at("2024-01-05 18:00")
    )
    # Cy: on Oak all of January and February.
    WardStayFactory(
        patient=cy, ward=oak, started_at=at("2023-12-01 10:00"), ended_at=at("2024-03-01 10:00")
    )
    user = UserFactory()
    # Ann restrained on Oak across the month end: seated 31 Jan 23:50 to 1 Feb 00:10, then RT.
    spanning = UseOfForceRecord.objects.create(
        ward=oak,
        patient=ann,
        created_by=user,
        status="complete",
        started_at=at("2024-01-31 23:50"),
        ended_at=at("2024-02-01 00:15"),
    )
    Intervention.objects.create(
        record=spanning,
        type_code="11",
        started_at=at("2024-01-31 23:50"),
        ended_at=at("2024-02-01 00:10"),
    )
    Intervention.objects.create(
        record=spanning,
        type_code="14",
        started_at=at("2024-02-01 00:10"),
        ended_at=at("2024-02-01 00:12"),
    )
    # Cy: two seated holds in one incident count once (distinct incident and type).
    twice = UseOfForceRecord.objects.create(
        ward=oak,
        patient=cy,
        created_by=user,
        status="complete",
        started_at=at("2024-01-10 12:00"),
        ended_at=at("2024-01-10 12:40"),
    )
    for start, end in (("12:00", "12:05"), ("12:30", "12:40")):
        Intervention.objects.create(
            record=twice,
            type_code="11",
            started_at=at(f"2024-01-10 {start}"),
            ended_at=at(f"2024-01-10 {end}"),
        )
    return {"provider": provider, "oak": oak, "elm": elm}


def _rows(*args, fmt="csv"):
    out = io.StringIO()
    call_command("measures", *args, "--format", fmt, stdout=out)
    if fmt == "json":
        return json.loads(out.getvalue())
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _pick(rows, organisation, period, measure):
    (row,) = [
        r
        for r in rows
        if r["organisation"] == organisation and r["period"] == period and r["measure"] == measure
    ]
    return row


def test_ward_level_counts_worked_by_hand(world):
    rows = _rows("--level", "ward", "--from", "2024-01", "--to", "2024-03")
    assert list(rows[0]) == FIELDS
    jan = _pick(rows, "OAK", "2024-01", "restrictive_interventions")
    # Bed days on Oak in January: Ann 12 (20-31 Jan), Bob 0, Cy 31.
    assert jan["denominator"] == "43"
    # Cy's incident (one pair) and Ann's spanning seated hold; the RT started in February.
    assert jan["numerator"] == "2" and jan["measure_id"] == "MHS117"
    assert float(jan["value"]) == pytest.approx(2 / 43 * 1000)
    feb = _pick(rows, "OAK", "2024-02", "restrictive_interventions")
    # Ann 9 (1-9 Feb) + Cy 29; Ann's seated hold (spanning) and the RT.
    assert feb["denominator"] == "38" and feb["numerator"] == "2"
    assert _pick(rows, "OAK", "2024-01", "incidents_count")["numerator"] == "2"
    # People in hospital on Oak in January: Ann, Bob (same-day) and Cy.
    assert _pick(rows, "OAK", "2024-01", "percent_restrained")["denominator"] == "3"
    # Elm: Ann from 10 Feb, open: 20 days in February, 31 in March.
    assert _pick(rows, "ELM", "2024-02", "restrictive_interventions")["denominator"] == "20"
    assert _pick(rows, "ELM", "2024-03", "restrictive_interventions")["denominator"] == "31"
    # Periods without events count as zero, not missing.
    assert _pick(rows, "ELM", "2024-03", "restrictive_interventions")["numerator"] == "0"


def test_provider_level_counts_people_once(world):
    rows = _rows("--level", "provider", "--from", "2024-02", "--to", "2024-02", fmt="json")
    people = _pick(rows, "ZZ1", "2024-02", "people_restrained")
    assert people["numerator"] == 1 and people["measure_id"] == "MHS76"
    rate = _pick(rows, "ZZ1", "2024-02", "restrictive_interventions")
    assert rate["measure_id"] == "MHS96" and rate["denominator"] == 38 + 20


def test_restraint_minutes(world):
    rows = _rows("--level", "ward", "--organisation", "OAK", "--from", "2024-01", "--to", "2024-02")
    assert {r["organisation"] for r in rows} == {"OAK"}
    jan = _pick(rows, "OAK", "2024-01", "restraint_minutes_mean")
    assert float(jan["value"]) == pytest.approx((5 + 10) / 2)
    # Ann's 20-minute hold ended in February.
    assert float(_pick(rows, "OAK", "2024-02", "restraint_minutes_max")["value"]) == 20


def test_weeks(world):
    rows = _rows(
        "--level",
        "ward",
        "--organisation",
        "OAK",
        "--from",
        "2024-01",
        "--to",
        "2024-01",
        "--period",
        "week",
    )
    # The week of Monday 29 January runs to 4 February: the hold and the RT are both in it.
    assert _pick(rows, "OAK", "2024-01-29", "restrictive_interventions")["numerator"] == "2"
    assert _pick(rows, "OAK", "2024-01-08", "restrictive_interventions")["numerator"] == "1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "ward", "--organisation", "NOPE"], "no ward or organisation"),
        (["--level", "ward", "--from", "2024-13"], "give a month as YYYY-MM"),
        (["--level", "ward", "--from", "2024-03", "--to", "2024-01"], "before --from"),
    ],
)
def test_bad_options(world, args, message):
    with pytest.raises(CommandError, match=message):
        _rows(*args)
