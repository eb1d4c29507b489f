"""Importing incident-system exports through a mapping: every kind of bad input gives a clear
message and loses no good row; importing again creates nothing; an updated file makes versions."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mhsip.auditing.models import AuditEvent
from mhsip.imports.incidents import import_incidents
from mhsip.imports.models import ImportStatus
from mhsip.incidents.models import RecordStatus, UseOfForceRecord
from mhsip.incidents.presenters import FIELD_LABELS  # noqa: F401  (the history's words)
from mhsip.patients.models import Patient
from tests.factories.imports import (
    a_datetime,
    csv_bytes,
    datix_mapping,
    datix_row,
    datix_rows,
    incident_run,
    recent_day,
    xlsx_bytes,
)
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def mapping(world):
    return datix_mapping(world.providers["A"])


def run_import(world, mapping, data: bytes, name: str = "incidents.csv", **run_options):
    run = incident_run(world.providers["A"], name, **run_options)
    outcome = import_incidents(run=run, source=data, mapping=mapping, by=world.users["qi_lead"])
    run.refresh_from_db()
    return run, outcome


def imported(world):
    return UseOfForceRecord.objects.filter(source_provider=world.providers["A"], source="Datix")


def messages(run) -> list[str]:
    return [str(p) for p in run.problem_list()]


def test_good_export_creates_complete_records_with_versions_and_audit(world, mapping):
    run, _ = run_import(world, mapping, csv_bytes(datix_rows()))

    assert run.status == ImportStatus.FINISHED, messages(run)
    assert run.counts["records added"] == 3
    assert run.counts["patients added"] == 2
    first = imported(world).get(external_reference="DX-1001")
    assert first.ward == world.wards["A1"]
    assert first.started_at == a_datetime(recent_day(), "14:05")
    assert sorted(first.interventions.values_list("type_code", flat=True)) == ["11", "14"]
    assert [s.job_title for s in first.staff.all()] == ["Charge nurse", "Healthcare assistant"]
    assert first.reason == "10" and first.place == "communal" and first.patient_injured == "no"
    # The Act's items the export lacks (avoidance efforts...) leave the record a draft.
    assert first.status == RecordStatus.DRAFT
    assert first.versions.get().reason.startswith("Imported from incidents.csv")
    assert AuditEvent.objects.filter(action="use_of_force_record.create").count() >= 3
    assert AuditEvent.objects.filter(action="import.incidents", object_id=str(run.pk)).exists()
    assert imported(world).get(external_reference="DX-1002").ward == world.wards["A2"]


def test_raw_local_identifier_is_not_stored(world, mapping):
    run_import(world, mapping, csv_bytes(datix_rows()))

    for patient in Patient.objects.all():
        assert "555001" not in patient.alias and "555001" not in patient.local_id_hash


def test_importing_the_same_file_twice_creates_nothing_new(world, mapping):
    data = csv_bytes(datix_rows())
    run_import(world, mapping, data)
    records, patients = imported(world).count(), Patient.objects.count()

    again, _ = run_import(world, mapping, data)

    assert again.status == ImportStatus.FINISHED
    assert again.counts == {"records unchanged": 3}
    assert imported(world).count() == records
    assert Patient.objects.count() == patients
    assert all(r.version == 1 for r in imported(world))


def test_updated_file_updates_changed_records_with_a_version_saying_why(world, mapping):
    rows = datix_rows()
    run_import(world, mapping, csv_bytes(rows))
    rows[1]["Outcome"] = "Seclusion ended after review by the doctor"

    run, _ = run_import(world, mapping, csv_bytes(rows), name="incidents-march.csv")

    assert run.counts == {
        "records unchanged": 2,
        "records updated": 1,
        "saved as drafts to finish in mhsip": 1,
    }
    record = imported(world).get(external_reference="DX-1002")
    assert record.version == 2
    assert record.outcome == "Seclusion ended after review by the doctor"
    latest = record.versions.last()
    assert latest.reason == "Updated by import of incidents-march.csv: Outcome changed"
    assert latest.data["outcome"] == "Seclusion ended after review by the doctor"


def test_xlsx_export_with_real_dates_and_times(world, mapping):
    from datetime import datetime, time

    day = recent_day(3)
    row = datix_row("DX-2001")
    row["Incident date"] = datetime(day.year, day.month, day.day)
    row["Time"] = time(23, 10)
    row["End time"] = time(1, 30)  # after midnight: the next day

    run, _ = run_import(world, mapping, xlsx_bytes([row]), name="incidents.xlsx")

    assert run.status == ImportStatus.FINISHED, messages(run)
    record = imported(world).get()
    assert record.started_at == a_datetime(day, "23:10")
    assert record.duration_minutes == 140


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"Incident date": "31/02/2024"}, "row 3, Start date: 31/02/2024 is not a date"),
        ({"Time": "25:99"}, "row 3, Start time: 25:99 is not a time of day"),
        ({"Restraint type": "Basket hold"}, "row 3, Type of force: “Basket hold” has no"),
        ({"Reason for restraint": "Because"}, "row 3, Reason: “Because” has no"),
        ({"Location (exact)": "Ash Wrd"}, "row 3, Ward: “Ash Wrd” is not a ward of Ashbrook"),
        ({"Location (exact)": "Oak Ward"}, "row 3, Ward: “Oak Ward” is not a ward of Ashbrook"),
        (
            {"Patient number": ""},
            "row 3, Patient's local identifier: The patient's local identifier is blank",
        ),
        ({"Incident ID": ""}, "row 3, Incident reference: The incident reference is blank"),
        (
            {"Staff involved": "Alex Morgan"},
            "row 3, Staff involved: “Alex Morgan” has no job title",
        ),
        (
            {"End time": "13:00", "Time": "13:30", "Incident date": "01/01/2099"},
            "row 3, Start date: The time cannot be in the future",
        ),
    ],
)
def test_a_bad_row_is_named_and_the_good_rows_are_kept(world, mapping, change, expected):
    rows = datix_rows()
    rows[1].update(change)

    run, _ = run_import(world, mapping, csv_bytes(rows))

    assert run.status == ImportStatus.FINISHED_WITH_PROBLEMS
    assert run.rows_rejected == 1
    assert any(m.startswith(f"incidents.csv, {expected}") for m in messages(run)), messages(run)
    assert set(imported(world).values_list("external_reference", flat=True)) == {
        "DX-1001",
        "DX-1003",
    }


def test_duplicate_references_keep_the_first_row(world, mapping):
    rows = datix_rows()
    rows[2]["Incident ID"] = "DX-1001"

    run, _ = run_import(world, mapping, csv_bytes(rows))

    assert (
        "incidents.csv, row 4, Incident reference: Incident DX-1001 is also in row 2"
        in messages(run)[0]
    )
    assert imported(world).count() == 2


def test_wrong_column_names_refuse_the_file_naming_the_column(world, mapping):
    rows = [
        {("Incident Date" if k == "Incident date" else k): v for k, v in r.items()}
        for r in datix_rows()
    ]

    run, _ = run_import(world, mapping, csv_bytes(rows))

    assert run.status == ImportStatus.REFUSED
    assert (
        "incidents.csv, row 1, Start date: The mapping “Datix monthly” takes this from the column “Incident date”, which this file does not have"
        in messages(run)[0]
    )
    assert not imported(world).exists()


def test_broken_encoding_loses_only_the_broken_row(world, mapping):
    rows = datix_rows()
    rows[0]["Outcome"] = "Settled – café visit"  # real UTF-8
    data = csv_bytes(rows)
    data = data.replace(b"DX-1002", b"DX-1002 \xff\xfe")

    run, _ = run_import(world, mapping, data)

    assert any(
        "row 3: This row has characters that are not readable text" in m for m in messages(run)
    )
    assert set(imported(world).values_list("external_reference", flat=True)) == {
        "DX-1001",
        "DX-1003",
    }
    assert imported(world).get(external_reference="DX-1001").outcome == "Settled – café visit"


def test_windows_1252_export_is_read(world, mapping):
    rows = datix_rows()
    rows[0]["Outcome"] = "Settled – café visit"

    run, _ = run_import(world, mapping, csv_bytes(rows, bom=False, encoding="cp1252"))

    assert run.status == ImportStatus.FINISHED, messages(run)
    assert imported(world).get(external_reference="DX-1001").outcome == "Settled – café visit"


def test_file_cut_short_keeps_the_whole_rows(world, mapping):
    data = csv_bytes(datix_rows())
    data = data[: data.rindex(b"DX-1003") + 30]  # the last row stops half way

    run, _ = run_import(world, mapping, data)

    assert any("row 4: This row has" in m and "cut short" in m for m in messages(run)), messages(
        run
    )
    assert imported(world).count() == 2


def test_xlsx_cut_short_is_refused_with_a_clear_message(world, mapping):
    data = xlsx_bytes(datix_rows())

    run, _ = run_import(world, mapping, data[: len(data) // 2], name="incidents.xlsx")

    assert run.status == ImportStatus.REFUSED
    assert (
        "incidents.xlsx: This is not a readable Excel workbook: it may have been cut short"
        in messages(run)[0]
    )


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(world, mapping):
    rows = datix_rows()
    rows[1]["Incident date"] = "31/02/2024"

    run, _ = run_import(world, mapping, csv_bytes(rows), all_or_nothing=True)

    assert run.status == ImportStatus.REFUSED
    assert not imported(world).exists()
    assert (
        not Patient.objects.filter(provider=world.providers["A"])
        .exclude(pk=world.patients["A1"].pk)
        .exclude(pk=world.patients["A2"].pk)
        .exists()
    )


def test_a_complete_record_is_not_emptied_by_an_update(world, mapping):
    rows = [datix_row("DX-1")]
    run_import(world, mapping, csv_bytes(rows))
    record = imported(world).get()
    # The ward finishes the record in mhsip.
    from mhsip.incidents.services import record_save
    from tests.factories.incidents import complete_fields

    fields = complete_fields(started_at=record.started_at, minutes=20)
    fields.update(reason=record.reason, place=record.place, outcome=record.outcome)
    record_save(
        by=world.users["qi_lead"],
        ward=record.ward,
        patient=record.patient,
        fields={**fields, "no_stay_reason": record.no_stay_reason},
        interventions=[
            {"type_code": i.type_code, "started_at": i.started_at, "ended_at": i.ended_at}
            for i in record.interventions.all()
        ],
        staff=[{"name": s.name, "job_title": s.job_title} for s in record.staff.all()],
        complete=True,
        record=record,
        reason="Finished on the ward",
    )
    rows[0]["Staff involved"] = ""

    run, _ = run_import(world, mapping, csv_bytes(rows))

    assert run.rows_rejected == 1
    assert any("The record is complete in mhsip" in m for m in messages(run)), messages(run)
    record.refresh_from_db()
    assert record.status == RecordStatus.COMPLETE and record.staff.count() == 2


def test_command_line_import_by_mapping_name(world, mapping, tmp_path, capsys):
    path = tmp_path / "datix-april.csv"
    path.write_bytes(csv_bytes(datix_rows()))

    call_command("import", "incidents", str(path), "--mapping", "datix monthly")

    out = capsys.readouterr().out
    assert "Finished" in out and "records added: 3" in out
    assert imported(world).first().created_by.username == "mhsip-import"


def test_command_line_all_or_nothing_fails_loudly(world, mapping, tmp_path):
    rows = datix_rows()
    rows[0]["Incident date"] = "yesterday"
    path = tmp_path / "datix.csv"
    path.write_bytes(csv_bytes(rows))

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import", "incidents", str(path), "--mapping", "Datix monthly", "--all-or-nothing"
        )
    assert not imported(world).exists()


def test_command_line_unknown_mapping(world, mapping, tmp_path):
    path = tmp_path / "datix.csv"
    path.write_bytes(csv_bytes(datix_rows()))

    with pytest.raises(CommandError, match="There is no mapping called “Nope”"):
        call_command("import", "incidents", str(path), "--mapping", "Nope")


def test_incidents_close_in_time_are_warned_of_once_and_reimported_unchanged(world, mapping):
    rows = [datix_row("DX-1"), datix_row("DX-2", time="14:15", end_time="14:30")]
    first, _ = run_import(world, mapping, csv_bytes(rows))
    assert any("starts within 30 minutes of" in m for m in messages(first)), messages(first)

    again, _ = run_import(world, mapping, csv_bytes(rows))

    assert again.status == ImportStatus.FINISHED, messages(again)
    assert again.counts == {"records unchanged": 2}
