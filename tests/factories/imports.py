"""Synthetic incident-system exports and bed-day files, and saved mappings, for import tests.

csv_bytes([{"Ref": "DX1", ...}])       a UTF-8 CSV (with Excel's byte-order mark by default)
xlsx_bytes([{"Ref": "DX1", ...}])      the same as an Excel workbook
datix_rows(world)                      three good incidents on provider A's wards
datix_mapping(provider)                the mapping those rows need
intervention_row("DX-1", "Seclusion", "14:12", "14:25")
                                       a row of an export with one row per intervention
intervention_mapping(provider)         the mapping those rows need (layout and intervention times)
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
from django.utils import timezone

from mhsip.imports.models import ImportKind, ImportRun, IncidentLayout, IncidentMapping

DATIX_COLUMNS = {
    "incident_reference": "Incident ID",
    "ward": "Location (exact)",
    "patient_local_id": "Patient number",
    "start_date": "Incident date",
    "start_time": "Time",
    "end_time": "End time",
    "intervention_type_1": "Restraint type",
    "reason": "Reason for restraint",
    "place": "Where",
    "staff": "Staff involved",
    "outcome": "Outcome",
    "patient_injured": "Patient injury",
}
DATIX_VALUES = {
    "intervention_type": {
        "Prone restraint": "01",
        "Seclusion": "05",
        "Seated hold": "11",
        "IM rapid tranq": "14",
    },
    "reason": {"Violence to others": "10", "Self harm": "11"},
    "place": {"Lounge": "communal", "Bedroom": "bedroom"},
    "answer": {"Y": "yes", "N": "no"},
}


def csv_bytes(rows: list[dict], *, bom: bool = True, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict] | list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if rows and isinstance(rows[0], dict):
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    else:
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def recent_day(days_ago: int = 10) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def datix_row(
    reference: str = "DX-1001",
    *,
    ward: str = "Ash Ward",
    patient: str = "RAA-555001",
    day: date | None = None,
    time: str = "14:05",
    end_time: str = "14:25",
    types: str = "Seated hold; IM rapid tranq",
    **overrides: str,
) -> dict[str, str]:
    day = day or recent_day()
    row = {
        "Incident ID": reference,
        "Location (exact)": ward,
        "Patient number": patient,
        "Incident date": f"{day:%d/%m/%Y}",
        "Time": time,
        "End time": end_time,
        "Restraint type": types,
        "Reason for restraint": "Violence to others",
        "Where": "Lounge",
        "Staff involved": "Alex Morgan (Charge nurse); Priya Shah (Healthcare assistant)",
        "Outcome": "Settled; debrief offered",
        "Patient injury": "N",
    }
    row.update(overrides)
    return row


def datix_rows() -> list[dict[str, str]]:
    return [
        datix_row("DX-1001"),
        datix_row("DX-1002", ward="RAA01-ELM", patient="RAA-555002", types="Seclusion"),
        datix_row("DX-1003", patient="RAA-555001", day=recent_day(5), types="Prone restraint"),
    ]


def datix_mapping(
    provider,
    *,
    name: str = "Datix monthly",
    created_by=None,
    layout: str = IncidentLayout.INCIDENT,
    columns: dict[str, str] | None = None,
) -> IncidentMapping:
    return IncidentMapping.objects.create(
        provider=provider,
        name=name,
        source="Datix",
        layout=layout,
        columns=dict(columns or DATIX_COLUMNS),
        values={k: dict(v) for k, v in DATIX_VALUES.items()},
        created_by=created_by,
    )


#: An export with one row per restrictive intervention: the incident's columns repeat on each
#: of its rows, and each row has its intervention's own start and end times.
INTERVENTION_COLUMNS = {
    **DATIX_COLUMNS,
    "intervention_start_time": "Restraint start",
    "intervention_end_time": "Restraint end",
}


def intervention_row(
    reference: str = "DX-1001",
    types: str = "Prone restraint",
    start: str = "14:05",
    end: str = "14:10",
    **overrides,
) -> dict[str, str]:
    """A row of one intervention of the incident `reference` (which starts 14:05, ends 14:25)."""
    row = datix_row(reference, types=types, **overrides)
    row["Restraint start"], row["Restraint end"] = start, end
    return row


def intervention_mapping(provider, *, name: str = "Datix by intervention") -> IncidentMapping:
    return datix_mapping(
        provider, name=name, layout=IncidentLayout.INTERVENTION, columns=INTERVENTION_COLUMNS
    )


def incident_run(provider, name: str = "incidents.csv", **kwargs) -> ImportRun:
    return ImportRun.objects.create(
        kind=ImportKind.INCIDENTS, source=name, organisation=provider, **kwargs
    )


def bed_days_run(provider, name: str = "bed-days.csv", **kwargs) -> ImportRun:
    return ImportRun.objects.create(
        kind=ImportKind.BED_DAYS, source=name, organisation=provider, **kwargs
    )


def a_datetime(day: date, hh_mm: str) -> datetime:
    hour, minute = (int(p) for p in hh_mm.split(":"))
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))
