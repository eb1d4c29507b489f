"""Importing an export with one row per restrictive intervention: the rows of an incident become
one record with each row's intervention at its own times; rows that disagree about the incident
are reported field by field, naming both rows, and none of them is imported; importing again
changes nothing; an added intervention row updates the record with a version saying so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mhsip.imports.incidents import import_incidents
from mhsip.imports.models import ImportStatus
from mhsip.incidents.models import UseOfForceRecord
from mhsip.incidents.presenters import make_version_history
from tests.factories.imports import (
    a_datetime,
    csv_bytes,
    datix_mapping,
    datix_row,
    incident_run,
    intervention_mapping,
    intervention_row,
    recent_day,
)
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def mapping(world):
    return intervention_mapping(world.providers["A"])


def run_import(world, mapping, rows, name: str = "datix.csv", **run_options):
    run = incident_run(world.providers["A"], name, **run_options)
    import_incidents(run=run, source=csv_bytes(rows), mapping=mapping, by=world.users["qi_lead"])
    run.refresh_from_db()
    return run


def imported(world):
    return UseOfForceRecord.objects.filter(source_provider=world.providers["A"], source="Datix")


def messages(run) -> list[str]:
    return [str(p) for p in run.problem_list()]


def interventions(record) -> list[tuple[str, str, str]]:
    return [
        (i.type_code, f"{i.started_at.astimezone():%H:%M}", f"{i.ended_at.astimezone():%H:%M}")
        for i in record.interventions.order_by("started_at")
    ]


def prone_then_seclusion(reference: str = "DX-1001") -> list[dict[str, str]]:
    return [
        intervention_row(reference, "Prone restraint", "14:05", "14:10"),
        intervention_row(reference, "Seclusion", "14:12", "14:25"),
    ]


def test_rows_of_one_incident_become_one_record_with_each_intervention_timed(world, mapping):
    rows = [
        *prone_then_seclusion("DX-1001"),
        intervention_row("DX-1002", "Seated hold", "14:05", "14:20", patient="RAA-555002"),
    ]

    run = run_import(world, mapping, rows)

    assert run.status == ImportStatus.FINISHED, messages(run)
    assert run.counts["records added"] == 2
    assert run.rows_rejected == 0
    record = imported(world).get(external_reference="DX-1001")
    assert interventions(record) == [("01", "14:05", "14:10"), ("05", "14:12", "14:25")]
    assert record.started_at == a_datetime(recent_day(), "14:05")
    assert record.ended_at == a_datetime(recent_day(), "14:25")
    assert interventions(imported(world).get(external_reference="DX-1002")) == [
        ("11", "14:05", "14:20")
    ]


def test_rows_of_an_incident_need_not_be_next_to_each_other(world, mapping):
    first, second = prone_then_seclusion()
    other = intervention_row("DX-1002", "Seated hold", patient="RAA-555002")

    run = run_import(world, mapping, [first, other, second])

    assert run.status == ImportStatus.FINISHED, messages(run)
    assert len(interventions(imported(world).get(external_reference="DX-1001"))) == 2


def test_disagreeing_rows_are_reported_field_by_field_and_the_incident_left_out(world, mapping):
    rows = prone_then_seclusion()
    rows[1]["Location (exact)"] = "Elm Ward"
    rows[1]["Reason for restraint"] = "Self harm"
    rows.append(intervention_row("DX-1002", "Seated hold", patient="RAA-555002"))

    run = run_import(world, mapping, rows)

    assert run.status == ImportStatus.FINISHED_WITH_PROBLEMS
    assert run.rows_rejected == 2
    found = messages(run)
    assert (
        "datix.csv, row 3, Ward: Incident DX-1001 has “Elm Ward” in this row but “Ash Ward” in "
        "row 2: the rows of one incident must agree on everything but the type of force and its "
        "times, so none of its 2 rows was imported" in found
    ), found
    assert any(
        m.startswith(
            "datix.csv, row 3, Reason: Incident DX-1001 has “11 Prevent serious intentional self-harm” in this row "
            "but “10 Prevent violence to others” in row 2"
        )
        for m in found
    ), found
    assert (
        "datix.csv, row 2, Incident reference: Incident DX-1001 was left out: its row 3 "
        "disagrees with this row about the incident (see there)" in found
    ), found
    assert set(imported(world).values_list("external_reference", flat=True)) == {"DX-1002"}


def test_a_different_patient_is_reported_without_repeating_the_identifier(world, mapping):
    rows = prone_then_seclusion()
    rows[1]["Patient number"] = "RAA-555999"

    run = run_import(world, mapping, rows)

    found = [m for m in messages(run) if "Patient's local identifier" in m]
    assert len(found) == 1 and "row 3" in found[0] and "row 2" in found[0]
    assert "555999" not in " ".join(messages(run)) and "555001" not in " ".join(messages(run))
    assert not imported(world).exists()


def test_incident_times_that_differ_suggest_the_intervention_time_columns(world, mapping):
    rows = prone_then_seclusion()
    rows[1]["Time"] = "14:12"

    run = run_import(world, mapping, rows)

    assert any(
        m.startswith("datix.csv, row 3, Start date: Incident DX-1001 has ")
        and "in row 2" in m
        and "choose it for the intervention times" in m
        for m in messages(run)
    ), messages(run)


def test_a_bad_row_keeps_its_whole_incident_out(world, mapping):
    rows = [*prone_then_seclusion(), intervention_row("DX-1002", "Seated hold")]
    rows[1]["Restraint type"] = "Basket hold"  # no code: the row is rejected on its own

    run = run_import(world, mapping, rows)

    assert run.rows_rejected == 2
    found = messages(run)
    assert any(m.startswith("datix.csv, row 3, Type of force: “Basket hold” has no") for m in found)
    assert (
        "datix.csv, row 2, Incident reference: Incident DX-1001 was left out because its row 3 "
        "could not be imported (see there): an incident's rows are imported together, so that "
        "none of its interventions goes missing" in found
    ), found
    assert set(imported(world).values_list("external_reference", flat=True)) == {"DX-1002"}


def test_the_records_checks_apply_to_the_combined_incident_and_name_its_rows(world, mapping):
    rows = prone_then_seclusion()
    rows[1]["Restraint end"] = "14:40"  # after the incident's end (14:25)

    run = run_import(world, mapping, rows)

    assert run.rows_rejected == 2
    assert any(
        m.startswith("datix.csv, row 2, Intervention end date: Incident DX-1001 (rows 2, 3): ")
        and "after the incident ended" in m
        for m in messages(run)
    ), messages(run)
    assert not imported(world).exists()


def test_the_same_intervention_exported_twice_is_kept_once(world, mapping):
    rows = [*prone_then_seclusion(), intervention_row("DX-1001", "Seclusion", "14:12", "14:25")]

    run = run_import(world, mapping, rows)

    assert run.status == ImportStatus.FINISHED, messages(run)
    assert interventions(imported(world).get()) == [
        ("01", "14:05", "14:10"),
        ("05", "14:12", "14:25"),
    ]


def test_an_intervention_time_past_midnight_is_on_the_next_day(world, mapping):
    day = recent_day(4)
    rows = [
        intervention_row("DX-7", "Prone restraint", "23:50", "23:58", day=day, time="23:50"),
        intervention_row("DX-7", "Seclusion", "00:05", "01:30", day=day, time="23:50"),
    ]
    for row in rows:
        row["End time"] = "01:30"

    run = run_import(world, mapping, rows)

    assert run.status == ImportStatus.FINISHED, messages(run)
    record = imported(world).get()
    next_day = day + timedelta(days=1)
    assert record.ended_at == a_datetime(next_day, "01:30")
    seclusion = record.interventions.get(type_code="05")
    assert (seclusion.started_at, seclusion.ended_at) == (
        a_datetime(next_day, "00:05"),
        a_datetime(next_day, "01:30"),
    )
    prone = record.interventions.get(type_code="01")
    assert prone.started_at == a_datetime(day, "23:50")


def test_importing_the_same_export_again_changes_nothing(world, mapping):
    rows = [*prone_then_seclusion(), intervention_row("DX-1002", "Seated hold")]
    run_import(world, mapping, rows)

    again = run_import(world, mapping, rows)

    assert again.status == ImportStatus.FINISHED, messages(again)
    assert again.counts == {"records unchanged": 2}
    assert imported(world).count() == 2
    assert all(r.version == 1 for r in imported(world))


def test_an_added_intervention_row_updates_the_record_with_a_version_saying_so(world, mapping):
    first, second = prone_then_seclusion()
    other = intervention_row("DX-1002", "Seated hold")
    run_import(world, mapping, [first, other], name="datix-march.csv")

    run = run_import(world, mapping, [first, other, second], name="datix-april.csv")

    assert run.counts == {
        "records unchanged": 1,
        "records updated": 1,
        "saved as drafts to finish in mhsip": 1,
    }
    record = imported(world).get(external_reference="DX-1001")
    assert record.version == 2
    assert interventions(record) == [("01", "14:05", "14:10"), ("05", "14:12", "14:25")]
    latest = record.versions.get(number=2)
    assert latest.reason == "Updated by import of datix-april.csv: Types of force changed"
    history = make_version_history(list(record.versions.all()))
    assert [c.label for c in history[0].changes] == ["Types of force"]
    assert "Seclusion" in history[0].changes[0].new and "Seclusion" not in history[0].changes[0].old
    assert imported(world).count() == 2


def test_a_changed_intervention_time_updates_the_record(world, mapping):
    rows = prone_then_seclusion()
    run_import(world, mapping, rows)
    rows[1]["Restraint end"] = "14:22"

    run = run_import(world, mapping, rows)

    assert run.counts.get("records updated") == 1, messages(run)
    record = imported(world).get()
    assert interventions(record)[1] == ("05", "14:12", "14:22")


def test_all_or_nothing_refuses_an_export_whose_incident_rows_disagree(world, mapping):
    rows = [*prone_then_seclusion(), intervention_row("DX-1002", "Seated hold")]
    rows[1]["Outcome"] = "Something else"

    run = run_import(world, mapping, rows, all_or_nothing=True)

    assert run.status == ImportStatus.REFUSED
    assert not imported(world).exists()


def test_one_row_per_incident_mapping_says_the_export_looks_per_intervention(world):
    mapping = datix_mapping(world.providers["A"])  # one row per incident
    rows = [
        datix_row("DX-1001", types="Prone restraint"),
        datix_row("DX-1001", types="Seclusion"),
    ]

    run = run_import(world, mapping, rows)

    assert run.rows_rejected == 1
    (message,) = messages(run)
    assert message.startswith(
        "datix.csv, row 3, Incident reference: Incident DX-1001 is also in row 2, with another "
        "type of force: the export looks like one row per restrictive intervention."
    )
    assert "choose “One row per restrictive intervention”" in message
    assert imported(world).get().interventions.get().type_code == "01"
