"""Import monthly occupied bed days per ward (CSV or XLSX: ward, month, occupied bed days).

For wards that do not record patient-level stays in mhsip, the rates' denominator comes from
here. A ward-month imported again has its value replaced (with an audit event saying from what
to what); the same value again changes nothing. The good rows are written in one transaction.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mhsip.auditing import services as audit
from mhsip.imports.checking import Outcome, check_every_row, finish, open_table, refuses
from mhsip.imports.incidents import unknown_ward_message
from mhsip.imports.models import ImportRun
from mhsip.organisations.models import Organisation, Ward
from mhsip.patients.models import MonthlyBedDays
from mhsip.tabular import Problem
from mhsip.tabular.reader import Row, cell_text
from mhsip.tabular.values import CellError, parse_count, parse_month

#: The columns the file needs, each with the names we recognise (ignoring case and punctuation).
COLUMNS = {
    "ward": ("Ward", ["ward code", "ward", "uniqwardcode", "ward name", "unit"]),
    "month": ("Month", ["month", "reporting month", "period", "month yyyy mm"]),
    "occupied_bed_days": (
        "Occupied bed days",
        ["occupied bed days", "bed days", "occupiedbeddays", "obd", "occupied beds days"],
    ),
}


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def find_columns(headers: list[str]) -> dict[str, str]:
    """Which of the file's columns holds each thing we need (missing ones are left out)."""
    found: dict[str, str] = {}
    for key, (_label, names) in COLUMNS.items():
        for header in headers:
            if _normalise(header) in names:
                found[key] = header
                break
    return found


@dataclass(frozen=True)
class BedDaysRow:
    number: int
    ward: Ward
    month: date
    occupied_bed_days: int


def _wards(provider: Organisation | None) -> dict[str, Ward]:
    wards: dict[str, Ward] = {}
    queryset = Ward.objects.select_related("site__parent")
    if provider is not None:
        queryset = queryset.filter(site__parent=provider)
    names: dict[str, list[Ward]] = {}
    for ward in queryset:
        names.setdefault(ward.name.casefold(), []).append(ward)
        wards[ward.code.casefold()] = ward
    for name, same in names.items():
        if len(same) == 1:  # a name shared by two providers' wards identifies neither
            wards.setdefault(name, same[0])
    return wards


def import_bed_days(
    *,
    run: ImportRun,
    source: Path | bytes,
    provider: Organisation | None,
    by,
    on_progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    outcome = Outcome()
    name = run.source
    opened = open_table(source, name=name, outcome=outcome)
    if opened is None:
        return _finish(run, outcome, provider, by, refused=True)
    table, rows_total = opened
    columns = find_columns(table.headers)
    for key, (label, _names) in COLUMNS.items():
        if key not in columns:
            outcome.problems.add(
                Problem(
                    name,
                    1,
                    label,
                    f"No column holds the {label.lower()}: name one “{label}” (the file's "
                    f"columns are: {', '.join(table.headers)})",
                )
            )
    if len(columns) < len(COLUMNS):
        return _finish(run, outcome, provider, by, refused=True)

    wards = _wards(provider)
    this_month = timezone.localdate().replace(day=1)
    first_row_of: dict[tuple[int, date], int] = {}

    def check(row: Row) -> BedDaysRow | list[Problem]:
        problems: list[Problem] = []

        def problem(key: str, message: str) -> None:
            problems.append(Problem(name, row.number, COLUMNS[key][0], message))

        ward_text = cell_text(row.values[columns["ward"]])
        ward = wards.get(ward_text.casefold()) if ward_text else None
        if not ward_text:
            problem("ward", "The ward is blank")
        elif ward is None:
            if provider is not None:
                problem("ward", unknown_ward_message(ward_text, provider, wards))
            else:
                problem("ward", f"“{ward_text}” is not the code of a ward in mhsip")
        month = count = None
        try:
            month = parse_month(row.values[columns["month"]])
            if month is None:
                problem("month", "The month is blank")
            elif month > this_month:
                problem("month", f"{month:%B %Y} has not happened yet")
        except CellError as error:
            problem("month", str(error))
        try:
            count = parse_count(row.values[columns["occupied_bed_days"]])
            if count is None:
                problem("occupied_bed_days", "The number of occupied bed days is blank")
        except CellError as error:
            problem("occupied_bed_days", str(error))
        if ward is None or month is None or count is None:
            return problems
        days = calendar.monthrange(month.year, month.month)[1]
        if count > ward.beds * days:
            problem(
                "occupied_bed_days",
                f"{count} is more than {ward.name} can have in {month:%B %Y}: "
                f"{ward.beds} beds × {days} days = {ward.beds * days}",
            )
        if problems:
            return problems
        key = (ward.pk, month)
        if key in first_row_of:
            problem(
                "month",
                f"{ward.name} in {month:%B %Y} is also in row {first_row_of[key]}: "
                "this row was left out",
            )
            return problems
        first_row_of[key] = row.number
        return BedDaysRow(row.number, ward, month, count)

    good = check_every_row(
        table,
        run=run,
        rows_total=rows_total,
        outcome=outcome,
        check=check,
        on_progress=on_progress,
    )
    if refuses(run, outcome):
        return _finish(run, outcome, provider, by, refused=True)

    with transaction.atomic():
        for entry in good:
            current = MonthlyBedDays.objects.filter(ward=entry.ward, month=entry.month).first()
            if current is not None and current.occupied_bed_days == entry.occupied_bed_days:
                outcome.count("ward-months unchanged")
                continue
            saved, created = MonthlyBedDays.objects.update_or_create(
                ward=entry.ward,
                month=entry.month,
                defaults={"occupied_bed_days": entry.occupied_bed_days, "entered_by": by},
            )
            audit.record_event(
                by=by,
                action="bed_days.import",
                target=saved,
                ward=entry.ward,
                summary=f"{entry.ward.name}, {entry.month:%B %Y}: {entry.occupied_bed_days} "
                f"occupied bed days (import of {name})",
                detail={
                    "month": entry.month.isoformat(),
                    "occupied_bed_days": entry.occupied_bed_days,
                    "was": None if current is None else current.occupied_bed_days,
                    "import_run": run.pk,
                },
            )
            outcome.count("ward-months added" if created else "ward-months replaced")
    return _finish(run, outcome, provider, by, refused=False)


def _finish(
    run: ImportRun, outcome: Outcome, provider: Organisation | None, by, *, refused: bool
) -> Outcome:
    return finish(
        run,
        outcome,
        refused=refused,
        by=by,
        action="import.bed_days",
        organisation=provider,
        what=f"Import of {run.source}",
    )
