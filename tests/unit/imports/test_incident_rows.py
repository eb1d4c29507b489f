"""Rows made into incidents by the export's layout, without a database."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from mhsip.imports.incident_rows import ParsedRow, combine_rows
from mhsip.imports.models import IncidentLayout
from mhsip.organisations.models import Ward

ASH = Ward(pk=1, code="RAA01-ASH", name="Ash Ward")
ELM = Ward(pk=2, code="RAA01-ELM", name="Elm Ward")
START = timezone.make_aware(datetime(2024, 3, 4, 14, 5))


def row(number: int, reference: str = "DX-1", *types: str, **changes) -> ParsedRow:
    at = changes.pop("at", START)
    parsed = ParsedRow(
        number=number,
        reference=reference,
        ward=ASH,
        local_id="RAA-555001",
        started_at=START,
        ended_at=START + timedelta(minutes=20),
        fields={"reason": "10", "outcome": "Settled"},
        interventions=[
            {"type_code": t, "started_at": at, "ended_at": at + timedelta(minutes=5)}
            for t in types or ("01",)
        ],
        staff=[{"name": "Alex Morgan", "job_title": "Charge nurse"}],
        timed_interventions=True,
    )
    for name, value in changes.items():
        setattr(parsed, name, value)
    return parsed


def by_intervention(rows, failed=None):
    return combine_rows(
        rows, layout=IncidentLayout.INTERVENTION, failed=failed or {}, name="datix.csv"
    )


def test_rows_sharing_a_reference_are_one_incident_with_every_intervention():
    later = START + timedelta(minutes=7)
    combined = by_intervention(
        [row(2, "DX-1", "01"), row(3, "DX-2"), row(4, "DX-1", "05", at=later)]
    )

    assert combined.problems == [] and combined.rejected_rows == 0
    first, second = combined.incidents
    assert (first.reference, first.number, first.rows) == ("DX-1", 2, [2, 4])
    assert [(i["type_code"], i["started_at"]) for i in first.interventions] == [
        ("01", START),
        ("05", later),
    ]
    assert second.rows == [3]


def test_the_same_intervention_twice_is_kept_once():
    combined = by_intervention([row(2, "DX-1", "01"), row(3, "DX-1", "01")])

    assert len(combined.incidents[0].interventions) == 1


def test_each_disagreeing_field_is_reported_on_the_later_row_naming_the_first():
    combined = by_intervention(
        [
            row(2),
            row(3, ward=ELM, fields={"reason": "11", "outcome": "Settled"}),
            row(4, local_id="RAA-555999"),
        ]
    )

    assert combined.incidents == [] and combined.rejected_rows == 3
    where = [(p.row, p.field) for p in combined.problems]
    assert where == [
        (2, "Incident reference"),
        (3, "Ward"),
        (3, "Reason"),
        (4, "Patient's local identifier"),
    ]
    assert combined.problems[0].message == (
        "Incident DX-1 was left out: its rows 3 and 4 disagree with this row about the incident "
        "(see there)"
    )
    assert combined.problems[1].message.startswith(
        "Incident DX-1 has “Elm Ward” in this row but “Ash Ward” in row 2"
    )
    assert "555999" not in combined.problems[3].message


def test_a_blank_on_one_row_disagrees_with_a_value_on_another():
    combined = by_intervention([row(2), row(3, fields={"reason": "10", "outcome": ""})])

    assert [p.message.split(":")[0] for p in combined.problems[1:]] == [
        "Incident DX-1 has nothing in this row but “Settled” in row 2"
    ]


def test_staff_in_another_order_agree_but_other_staff_do_not():
    two = [
        {"name": "Alex Morgan", "job_title": "Charge nurse"},
        {"name": "Priya Shah", "job_title": "Healthcare assistant"},
    ]
    assert by_intervention([row(2, staff=two), row(3, staff=two[::-1])]).problems == []

    combined = by_intervention([row(2, staff=two), row(3, staff=two[:1])])
    assert combined.problems[1].field == "Staff involved"


def test_a_failed_row_keeps_its_incident_out():
    combined = by_intervention([row(2), row(4)], failed={"DX-1": [3]})

    assert combined.incidents == [] and combined.rejected_rows == 2
    assert [p.row for p in combined.problems] == [2, 4]
    assert "because its row 3 could not be imported" in combined.problems[0].message


def test_one_row_per_incident_keeps_the_first_row_and_says_when_the_types_differ():
    combined = combine_rows(
        [row(2, "DX-1", "01"), row(3, "DX-1", "01"), row(4, "DX-1", "05")],
        layout=IncidentLayout.INCIDENT,
        failed={},
        name="datix.csv",
    )

    assert [i.number for i in combined.incidents] == [2]
    assert combined.rejected_rows == 2
    same, other = (p.message for p in combined.problems)
    assert same == (
        "Incident DX-1 is also in row 2: each incident must appear once, so this row was left out"
    )
    assert "the export looks like one row per restrictive intervention" in other
