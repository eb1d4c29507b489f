"""Importing monthly occupied bed days: validation, replacement, idempotency, the command."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mhsip.auditing.models import AuditEvent
from mhsip.imports.bed_days import import_bed_days
from mhsip.imports.models import ImportStatus
from mhsip.patients.models import MonthlyBedDays
from tests.factories.imports import bed_days_run, xlsx_bytes
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db

GOOD = b"Ward code,Month,Occupied bed days\nRAA01-ASH,2024-01,500\nElm Ward,2024-01,480\n"


@pytest.fixture
def world():
    return build_world()


def run_import(world, data: bytes, name: str = "beds.csv", **options):
    run = bed_days_run(world.providers["A"], name, **options)
    import_bed_days(run=run, source=data, provider=world.providers["A"], by=world.users["qi_lead"])
    run.refresh_from_db()
    return run


def messages(run):
    return [str(p) for p in run.problem_list()]


def test_good_file_adds_each_ward_month(world):
    run = run_import(world, GOOD)

    assert run.status == ImportStatus.FINISHED
    assert run.counts == {"ward-months added": 2}
    assert MonthlyBedDays.objects.get(ward=world.wards["A2"]).occupied_bed_days == 480


def test_importing_again_changes_nothing_and_an_update_replaces_with_an_audit_event(world):
    run_import(world, GOOD)
    assert run_import(world, GOOD).counts == {"ward-months unchanged": 2}

    run = run_import(world, GOOD.replace(b"480", b"470"))

    assert run.counts == {"ward-months unchanged": 1, "ward-months replaced": 1}
    assert MonthlyBedDays.objects.get(ward=world.wards["A2"]).occupied_bed_days == 470
    event = AuditEvent.objects.filter(action="bed_days.import").latest("id")
    assert event.detail["was"] == 480 and event.detail["occupied_bed_days"] == 470


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"RAA01-ASH,2024-13,400", "row 3, Month: 2024-13 is not a month"),
        (b"RAA01-ASH,2099-01,400", "row 3, Month: January 2099 has not happened yet"),
        (b"RAA01-ASH,2024-02,-3", "row 3, Occupied bed days: -3 is less than zero"),
        (
            b"RAA01-ASH,2024-02,9999",
            "row 3, Occupied bed days: 9999 is more than Ash Ward can have",
        ),
        (b"RBB01-OAK,2024-02,300", "row 3, Ward: “RBB01-OAK” is not a ward of Ashbrook"),
        (b"RAA01-ASH,2024-01,300", "row 3, Month: Ash Ward in January 2024 is also in row 2"),
        (b"RAA01-ASH,2024-02", "row 3: This row has 2 of the 3 values"),
    ],
)
def test_bad_rows_are_named_and_good_rows_kept(world, line, expected):
    data = (
        b"Ward code,Month,Occupied bed days\nRAA01-ASH,2024-01,500\n"
        + line
        + b"\nElm Ward,2024-01,480\n"
    )

    run = run_import(world, data)

    assert any(m.startswith(f"beds.csv, {expected}") for m in messages(run)), messages(run)
    assert MonthlyBedDays.objects.count() == 2


def test_missing_column_refuses_the_file(world):
    run = run_import(world, b"Ward,When,Occupied bed days\nRAA01-ASH,2024-01,500\n")

    assert run.status == ImportStatus.REFUSED
    assert "No column holds the month" in messages(run)[0]


def test_all_or_nothing(world):
    run = run_import(world, GOOD + b"RAA01-ASH,2024-02,many\n", all_or_nothing=True)

    assert run.status == ImportStatus.REFUSED
    assert not MonthlyBedDays.objects.exists()


def test_xlsx_with_month_as_a_date_cell(world):
    from datetime import datetime

    data = xlsx_bytes(
        [["Ward", "Month", "Occupied bed days"], ["Ash Ward", datetime(2024, 3, 1), 512.0]]
    )

    run = run_import(world, data, name="beds.xlsx")

    assert run.status == ImportStatus.FINISHED, messages(run)
    assert MonthlyBedDays.objects.get().month.isoformat() == "2024-03-01"


def test_command_line(world, tmp_path, capsys):
    path = tmp_path / "beds.csv"
    path.write_bytes(GOOD)

    call_command("import", "bed-days", str(path))

    assert "ward-months added: 2" in capsys.readouterr().out
    assert MonthlyBedDays.objects.count() == 2
