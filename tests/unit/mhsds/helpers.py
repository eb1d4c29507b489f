"""Writing small MHSDS extracts by hand for tests: name the rows that matter, the rest is
filled in (the submission, month and provider columns, blank optional columns)."""

from __future__ import annotations

import csv
from pathlib import Path

from mhsip.mhsds.tables import HEADER, TABLES, WARD_DETAILS

MONTH = 1478  # May 2023
PROVIDER = "RX4"
SUBMISSION = 100


def write_extract(
    directory: Path,
    tables: dict[str, list[dict]] | None = None,
    *,
    submissions: list[dict] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write all 8 table CSVs. `submissions` are MHS000Header rows (default: one primary
    submission 100 of RX4 for May 2023); activity rows default to that submission."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = dict(tables or {})
    tables[HEADER.name] = submissions or [header()]
    for table in TABLES:
        rows = tables.get(table.name, [])
        names = table.column_names
        with (directory / table.file_name).open("w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            for row in rows:
                full = {} if table in (HEADER, WARD_DETAILS) else activity()
                full.update(row)
                writer.writerow(["" if full.get(n) is None else full.get(n) for n in names])
    return directory


def header(
    submission: int = SUBMISSION, month: int = MONTH, provider: str = PROVIDER, file_type: int = 1
) -> dict:
    return {
        "UniqSubmissionID": submission,
        "UniqMonthID": month,
        "OrgIDProvider": provider,
        "ReportingPeriodStartDate": "",
        "ReportingPeriodEndDate": "",
        "FileType": file_type,
    }


def activity(submission: int = SUBMISSION, month: int = MONTH, provider: str = PROVIDER) -> dict:
    return {
        "UniqSubmissionID": submission,
        "UniqMonthID": month,
        "OrgIDProv": provider,
        "RecordNumber": 1,
    }


def spell(spell_id: str, person: str, start: str, discharge: str = "", **extra) -> dict:
    return {
        "UniqHospProvSpellID": spell_id,
        "Person_ID": person,
        "UniqServReqID": f"R-{person}",
        "StartDateHospProvSpell": start,
        "DischDateHospProvSpell": discharge,
        **extra,
    }


def referral(person: str, **extra) -> dict:
    return {"UniqServReqID": f"R-{person}", "Person_ID": person, **extra}


def ward_stay(
    stay_id: str, spell_id: str, person: str, ward: str, start: str, end: str = "", **extra
) -> dict:
    start_date, _, start_time = start.partition(" ")
    end_date, _, end_time = end.partition(" ")
    return {
        "UniqWardStayID": stay_id,
        "UniqHospProvSpellID": spell_id,
        "Person_ID": person,
        "UniqWardCode": ward,
        "StartDateWardStay": start_date,
        "StartTimeWardStay": start_time,
        "EndDateWardStay": end_date,
        "EndTimeWardStay": end_time,
        **extra,
    }


def incident(incident_id: str, spell_id: str, person: str, start: str, end: str = "") -> dict:
    return {
        "UniqRestrictiveIntIncID": incident_id,
        "UniqHospProvSpellID": spell_id,
        "Person_ID": person,
        "StartDateRestrictiveIntInc": start.partition(" ")[0],
        "EndDateRestrictiveIntInc": end.partition(" ")[0],
    }


def intervention(
    type_id: str,
    incident_id: str,
    spell_id: str,
    person: str,
    code: str,
    start: str,
    end: str = "",
    **extra,
) -> dict:
    start_date, _, start_time = start.partition(" ")
    end_date, _, end_time = end.partition(" ")
    return {
        "UniqRestrictiveIntTypeID": type_id,
        "UniqRestrictiveIntIncID": incident_id,
        "UniqHospProvSpellID": spell_id,
        "Person_ID": person,
        "RestrictiveIntType": code,
        "StartDateRestrictiveIntType": start_date,
        "StartTimeRestrictiveIntType": start_time,
        "EndDateRestrictiveIntType": end_date,
        "EndTimeRestrictiveIntType": end_time,
        **extra,
    }


def restraint(n: int, spell_id: str, person: str, code: str, start: str, end: str = "") -> dict:
    """An incident and its one intervention type, both numbered `n`."""
    return {
        "incident": incident(f"I{n}", spell_id, person, start, end),
        "type": intervention(f"T{n}", f"I{n}", spell_id, person, code, start, end),
    }


def tables_with(
    *,
    spells=(),
    referrals=(),
    stays=(),
    restraints=(),
    ward_details=(),
) -> dict[str, list[dict]]:
    return {
        "MHS501HospProvSpell": list(spells),
        "MHS101Referral": list(referrals),
        "MHS502WardStay": list(stays),
        "MHS505RestrictiveInterventInc": [r["incident"] for r in restraints],
        "MHS515RestrictiveInterventType": [r["type"] for r in restraints],
        "MHS903WardDetails": list(ward_details),
    }
