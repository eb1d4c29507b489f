"""Import an incident-system export (CSV or XLSX) through a saved mapping.

Two passes. The first reads every row and checks it on its own (dates, codes, ward, identifier)
without writing anything, updating the run's progress; then the rows are made into incidents by
the mapping's layout (`incident_rows`: one row per incident, or one row per restrictive
intervention with the rows of an incident combined). The second writes the incidents in ONE
transaction, each exactly as a record typed in the page is written: checked
by `incidents.validation.check_record`, saved with a new RecordVersion (whose differences the
record's page puts in words, and whose reason names what changed) and a
`use_of_force_record.create|update` audit event. An incident that changes nothing writes
nothing, so importing the same file twice creates nothing new.

Records are found again by their natural key: the provider, the mapping's incident system
(`source`) and the incident's reference there. A record that has every item of the Act is saved
complete; one that lacks some is saved as a draft for the ward to finish in the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from mhsip.imports.checking import Outcome, check_every_row, finish, open_table, refuses
from mhsip.imports.incident_fields import (
    CODE_LISTS,
    FIELD_BY_KEY,
    INTERVENTION_SLOTS,
    INTERVENTION_TIMES,
    RECORD_FIELD_KEYS,
    REQUIRED,
    FieldKind,
    label_for_problem_field,
)
from mhsip.imports.incident_rows import ParsedRow, combine_rows
from mhsip.imports.models import ImportRun, IncidentMapping
from mhsip.incidents.models import (
    RecordStatus,
    UseOfForceRecord,
)
from mhsip.incidents.presenters import FIELD_LABELS

# The checks and the write of incidents.services, shared so an imported save is
# indistinguishable from one made in the page (same checks, snapshot, version and audit).
# record_save itself also checks that `by` may record on the ward, which a provider's data
# manager (DATA_IMPORT) is not granted, so the import checks rows itself and calls record_write.
from mhsip.incidents.services import (
    INTERVENTION_FIELDS,
    RECORD_FIELDS,
    has_stay,
    possible_duplicate,
    record_write,
)
from mhsip.incidents.validation import check_record
from mhsip.organisations.models import Organisation, Ward
from mhsip.patients.models import Patient
from mhsip.patients.pseudonyms import local_id_hash
from mhsip.patients.services import patient_register
from mhsip.tabular import Problem
from mhsip.tabular.reader import Cell, Row, cell_text
from mhsip.tabular.values import CellError, parse_date, parse_datetime, parse_time, split_values

#: Existing records are looked up this many references at a time (SQLite's variable limit).
LOOKUP_CHUNK = 500

_STAFF = re.compile(r"^(?P<name>[^(]+?)\s*\((?P<job_title>[^)]+)\)$")
_STAFF_DASH = re.compile(r"^(?P<name>.+?)\s+[-–]\s+(?P<job_title>.+)$")


def provider_wards(provider: Organisation) -> dict[str, Ward]:
    """The provider's wards by code and by name, ignoring case."""
    wards: dict[str, Ward] = {}
    for ward in Ward.objects.filter(site__parent=provider).select_related("site__parent"):
        wards.setdefault(ward.name.casefold(), ward)
        wards[ward.code.casefold()] = ward
    return wards


def unknown_ward_message(value: str, provider: Organisation, wards: dict[str, Ward]) -> str:
    names = sorted({f"{w.name} ({w.code})" for w in wards.values()})
    listed = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    return (
        f"“{value}” is not a ward of {provider.name}: use the ward's code or name as mhsip "
        f"has it ({listed or 'the provider has no wards in mhsip yet'})"
    )


# --- First pass: each row on its own ------------------------------------------------------------


class _RowProblems(list):
    def __init__(self, name: str, number: int):
        super().__init__()
        self.name, self.number = name, number

    def add(self, key: str, message: str) -> None:
        self.append(Problem(self.name, self.number, FIELD_BY_KEY[key].label, message))


def parse_row(
    row: Row,
    *,
    mapping: IncidentMapping,
    columns: dict[str, str],
    provider: Organisation,
    wards: dict[str, Ward],
    name: str,
) -> ParsedRow | list[Problem]:
    """The row as record contents, or the problems that keep it out."""
    problems = _RowProblems(name, row.number)

    def cell(key: str) -> Cell:
        return row.values.get(columns[key]) if key in columns else None

    reference = cell_text(cell("incident_reference"))
    if not reference:
        problems.add(
            "incident_reference",
            "The incident reference is blank: every row needs one, so that importing the file "
            "again finds the same record",
        )
    ward_text = cell_text(cell("ward"))
    ward = wards.get(ward_text.casefold()) if ward_text else None
    if not ward_text:
        problems.add("ward", "The ward is blank")
    elif ward is None:
        problems.add("ward", unknown_ward_message(ward_text, provider, wards))
    local_id = cell_text(cell("patient_local_id"))
    if not local_id:
        problems.add("patient_local_id", "The patient's local identifier is blank")

    started_at = _moment(cell, columns, "start_date", "start_time", problems)
    if started_at is None and not any(p.field == "Start date" for p in problems):
        problems.add("start_date", "The start date is blank")
    ended_at = _moment(cell, columns, "end_date", "end_time", problems, started_at=started_at)

    fields: dict[str, Any] = {}
    for key in RECORD_FIELD_KEYS:
        if key not in columns:
            continue
        target = FIELD_BY_KEY[key]
        text = cell_text(cell(key))
        if target.kind == FieldKind.TEXT or not text:
            fields[key] = text
            continue
        code = mapping.code_for(target.code_list, text)
        if code is None:
            problems.add(key, _unmapped(text, target.code_list, mapping))
        fields[key] = code or ""

    timed = any(key in columns for key in INTERVENTION_TIMES)
    i_started_at, i_ended_at = started_at, ended_at
    if timed:
        # A time without a date is on the incident's day (or the next, past midnight).
        i_started_at = _moment(
            cell,
            columns,
            "intervention_start_date",
            "intervention_start_time",
            problems,
            started_at=started_at,
        )
        i_ended_at = _moment(
            cell,
            columns,
            "intervention_end_date",
            "intervention_end_time",
            problems,
            started_at=i_started_at or started_at,
        )
    interventions = None
    if any(slot in columns for slot in INTERVENTION_SLOTS):
        codes: list[str] = []
        for slot in INTERVENTION_SLOTS:
            for value in split_values(cell(slot)):
                code = mapping.code_for("intervention_type", value)
                if code is None:
                    problems.add(slot, _unmapped(value, "intervention_type", mapping))
                elif code not in codes:
                    codes.append(code)
        interventions = [
            {"type_code": code, "started_at": i_started_at, "ended_at": i_ended_at}
            for code in codes
        ]

    staff = None
    if "staff" in columns:
        staff = []
        for person in split_values(cell("staff")):
            match = _STAFF.match(person) or _STAFF_DASH.match(person)
            if match is None:
                problems.add(
                    "staff",
                    f"“{person}” has no job title: the Act's record needs each person's name and "
                    "job title, written as “Name (Job title)”",
                )
            else:
                staff.append(
                    {"name": match["name"].strip(), "job_title": match["job_title"].strip()}
                )

    if problems:
        return list(problems)
    return ParsedRow(
        number=row.number,
        reference=reference,
        ward=ward,
        local_id=local_id,
        started_at=started_at,
        ended_at=ended_at,
        fields=fields,
        interventions=interventions,
        staff=staff,
        timed_interventions=timed,
    )


def _unmapped(value: str, code_list: str, mapping: IncidentMapping) -> str:
    return (
        f"“{value}” has no {CODE_LISTS[code_list].label} code in the mapping “{mapping.name}”: "
        "choose its code on the mapping's values page and import again"
    )


def _moment(
    cell: Callable[[str], Cell],
    columns: dict[str, str],
    date_key: str,
    time_key: str,
    problems: _RowProblems,
    *,
    started_at: datetime | None = None,
) -> datetime | None:
    """A date (and time) from its column(s), on the ward's clock; None when blank."""
    try:
        if time_key not in columns:
            naive = parse_datetime(cell(date_key))
        else:
            day = parse_date(cell(date_key))
            try:
                moment = parse_time(cell(time_key))
            except CellError as error:
                problems.add(time_key, str(error))
                return None
            if day is None and moment is not None and started_at is not None:
                # An end time without an end date: the same day, or the next if it has passed
                # midnight (a seclusion from 23:10 to 01:30).
                day = timezone.localtime(started_at).date()
                if datetime.combine(day, moment) < timezone.localtime(started_at).replace(
                    tzinfo=None
                ):
                    day += timedelta(days=1)
            if day is None:
                return None
            if moment is None:
                problems.add(
                    time_key,
                    f"The time is blank: enter the time it {'started' if 'start' in time_key else 'ended'}",
                )
                return None
            naive = datetime.combine(day, moment)
    except CellError as error:
        problems.add(date_key, str(error))
        return None
    return timezone.make_aware(naive) if naive else None


# --- Second pass: the writes --------------------------------------------------------------------


def _current_state(record: UseOfForceRecord) -> dict[str, Any]:
    return _state(
        status=record.status,
        ward=record.ward,
        patient_id=record.patient_id,
        fields={name: getattr(record, name) for name in RECORD_FIELDS},
        interventions=[
            {n: getattr(i, n) for n in INTERVENTION_FIELDS} for i in record.interventions.all()
        ],
        staff=[
            {"name": s.name, "job_title": s.job_title, "role": s.role} for s in record.staff.all()
        ],
    )


def _state(*, status, ward, patient_id, fields, interventions, staff) -> dict[str, Any]:
    """What a save would hold, in a form that compares equal when nothing would change."""

    def value(v: Any) -> Any:
        if isinstance(v, datetime):
            return v.astimezone(UTC).isoformat()
        return v or ""

    return {
        "status": status,
        "ward": ward.pk,
        "patient": patient_id,
        **{name: value(fields.get(name)) for name in RECORD_FIELDS},
        "interventions": sorted(
            tuple(value(i.get(n)) for n in INTERVENTION_FIELDS) for i in interventions
        ),
        "staff": sorted(
            (s.get("name", ""), s.get("job_title", ""), s.get("role") or "") for s in staff
        ),
    }


def _merged(parsed: ParsedRow, record: UseOfForceRecord | None) -> tuple[dict, list, list]:
    """The record's contents after the import: the export's fields over what it holds now."""
    fields = {name: getattr(record, name) for name in RECORD_FIELDS} if record else {}
    fields.update(parsed.fields)
    fields["started_at"], fields["ended_at"] = parsed.started_at, parsed.ended_at
    current_interventions = (
        [{n: getattr(i, n) for n in INTERVENTION_FIELDS} for i in record.interventions.all()]
        if record
        else []
    )
    current_staff = (
        [
            {"name": s.name, "job_title": s.job_title, "role": s.role, "from_outside_unit": False}
            for s in record.staff.all()
        ]
        if record
        else []
    )
    interventions = current_interventions
    if parsed.interventions is not None and (
        # The export's own intervention times are the record's; without them, types timed in
        # the page are kept when the export names the same types.
        parsed.timed_interventions
        or sorted(i["type_code"] for i in current_interventions)
        != sorted(i["type_code"] for i in parsed.interventions)
    ):
        interventions = parsed.interventions
    staff = current_staff
    if parsed.staff is not None:
        roles = {(s["name"], s["job_title"]): s["role"] for s in current_staff}
        staff = [{**s, "role": roles.get((s["name"], s["job_title"]), "")} for s in parsed.staff]
    return fields, interventions, staff


def _existing_records(
    provider: Organisation, source: str, references: list[str]
) -> dict[str, UseOfForceRecord]:
    found: dict[str, UseOfForceRecord] = {}
    for start in range(0, len(references), LOOKUP_CHUNK):
        chunk = references[start : start + LOOKUP_CHUNK]
        for record in UseOfForceRecord.objects.filter(
            source_provider=provider, source=source, external_reference__in=chunk
        ).prefetch_related("interventions", "staff"):
            found[record.external_reference] = record
    return found


def _write(
    rows: list[ParsedRow],
    *,
    run: ImportRun,
    mapping: IncidentMapping,
    by,
    outcome: Outcome,
) -> None:
    provider, source, name = mapping.provider, mapping.source, run.source
    existing = _existing_records(provider, source, [r.reference for r in rows])
    patients: dict[str, Patient] = {}
    for parsed in rows:
        record = existing.get(parsed.reference)
        id_hash = local_id_hash(provider.code, parsed.local_id)
        patient = (
            patients.get(id_hash)
            or Patient.objects.filter(provider=provider, local_id_hash=id_hash).first()
        )
        fields, interventions, staff = _merged(parsed, record)
        start = fields["started_at"]
        if patient is not None and not has_stay(patient, parsed.ward, start):
            fields["no_stay_reason"] = fields.get("no_stay_reason") or (
                f"Imported from {source}: no stay on this ward is recorded in mhsip at that time"
            )
        elif patient is None:
            fields["no_stay_reason"] = fields.get("no_stay_reason") or (
                f"Imported from {source}: the patient had no stays recorded in mhsip"
            )
        # Checked when the incident is new or has moved (time, ward, patient): asking again on
        # every import would find the records imported after it, and change it each time.
        moved = record is None or (record.started_at, record.ward_id, record.patient_id) != (
            start,
            parsed.ward.pk,
            patient.pk if patient else None,
        )
        duplicate = (
            possible_duplicate(patient, parsed.ward, start, record) if patient and moved else None
        )
        if duplicate and not fields.get("duplicate_reason"):
            fields["duplicate_reason"] = (
                f"Imported from {source}, where incident {parsed.reference} is a separate incident"
            )
            outcome.problems.add(
                Problem(
                    name,
                    parsed.number,
                    "Incident reference",
                    f"Incident {parsed.reference} starts within 30 minutes of {duplicate} for the "
                    "same patient: it was imported as a separate incident, so check it is not the "
                    "same one recorded twice",
                    rejected=False,
                )
            )
        check = {
            "has_stay": True,  # explained above with no_stay_reason where it was needed
            "possible_duplicate": None,
        }
        missing = check_record(fields, interventions, staff, completing=True, **check)
        complete = not missing
        if missing and record is not None and record.status == RecordStatus.COMPLETE:
            _reject(outcome, name, parsed, missing, "The record is complete in mhsip: ")
            continue
        if missing:
            errors = check_record(fields, interventions, staff, completing=False, **check)
            if errors:
                _reject(outcome, name, parsed, errors)
                continue
        status = RecordStatus.COMPLETE if complete else RecordStatus.DRAFT
        if record is not None and record.status == RecordStatus.COMPLETE:
            status = RecordStatus.COMPLETE
        changed: list[str] = []
        if record is not None:
            proposed = _state(
                status=status,
                ward=parsed.ward,
                patient_id=patient.pk if patient is not None else None,
                fields=fields,
                interventions=interventions,
                staff=staff,
            )
            current = _current_state(record)
            changed = [name for name in proposed if proposed[name] != current[name]]
            if not changed:
                outcome.count("records unchanged")
                continue
        if patient is None:
            patient = patient_register(
                by=by, provider=provider, local_id=parsed.local_id, check=False
            )
            outcome.count("patients added")
        patients[id_hash] = patient
        reason = (
            f"Imported from {name} ({source} incident {parsed.reference})"
            if record is None
            else f"Updated by import of {name}: {_in_words(changed)} changed"
        )
        record_write(
            by=by,
            ward=parsed.ward,
            patient=patient,
            fields=fields,
            interventions=interventions,
            staff=staff,
            complete=complete,
            record=record,
            reason=reason,
            first_reason=reason,
            imported_as=(provider, source, parsed.reference),
            detail={"import_run": run.pk},
        )
        outcome.count("records added" if record is None else "records updated")
        if not complete:
            outcome.count("saved as drafts to finish in mhsip")


def _in_words(changed: list[str]) -> str:
    """The changed parts of a record as its page names them ("Types of force and Outcome")."""
    labels = [FIELD_LABELS.get(name, name.replace("_", " ").capitalize()) for name in changed]
    labels = [labels[0], *(label[0].lower() + label[1:] for label in labels[1:])]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + f" and {labels[-1]}"


def _reject(outcome: Outcome, name: str, parsed: ParsedRow, problems, prefix: str = "") -> None:
    """Leave the incident out: its problems are said on its first row, every row counts."""
    if len(parsed.rows) > 1:
        prefix = f"Incident {parsed.reference} (rows {', '.join(map(str, parsed.rows))}): {prefix}"
    for problem in problems:
        outcome.problems.add(
            Problem(
                name,
                parsed.number,
                label_for_problem_field(problem.field),
                prefix + problem.message,
            )
        )
    outcome.problems.rejected_rows += len(parsed.rows)


# --- The whole import ---------------------------------------------------------------------------


def import_incidents(
    *,
    run: ImportRun,
    source: Path | bytes,
    mapping: IncidentMapping,
    by,
    on_progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Run the import `run` describes, marking its progress and its end. Returns what it did."""
    outcome = Outcome()
    name = run.source
    opened = open_table(source, name=name, outcome=outcome)
    if opened is None:
        return _finish(run, outcome, mapping, by, refused=True)
    table, rows_total = opened

    columns = dict(mapping.columns)
    for key, column in list(columns.items()):
        if column in table.headers:
            continue
        del columns[key]
        required = key in REQUIRED
        outcome.problems.add(
            Problem(
                name,
                1,
                FIELD_BY_KEY[key].label,
                f"The mapping “{mapping.name}” takes this from the column “{column}”, which this "
                f"file does not have{'' if required else ', so it was not imported'}. Its columns "
                f"are: {', '.join(table.headers)}",
                rejected=required,
            )
        )
    for key in REQUIRED:
        if key not in mapping.columns:
            outcome.problems.add(
                Problem(
                    name,
                    None,
                    FIELD_BY_KEY[key].label,
                    f"The mapping “{mapping.name}” does not say which column holds this",
                )
            )
    if any(key not in columns for key in REQUIRED):
        return _finish(run, outcome, mapping, by, refused=True)

    wards = provider_wards(mapping.provider)
    #: Reference -> its rows that failed their own checks (they keep the incident out when
    #: its rows are combined).
    failed: dict[str, list[int]] = {}

    def check(row: Row) -> ParsedRow | list[Problem]:
        result = parse_row(
            row,
            mapping=mapping,
            columns=columns,
            provider=mapping.provider,
            wards=wards,
            name=name,
        )
        if isinstance(result, list):
            reference = cell_text(row.values.get(columns["incident_reference"]))
            if reference:
                failed.setdefault(reference, []).append(row.number)
        return result

    parsed_rows = check_every_row(
        table,
        run=run,
        rows_total=rows_total,
        outcome=outcome,
        check=check,
        on_progress=on_progress,
    )
    combined = combine_rows(parsed_rows, layout=mapping.layout, failed=failed, name=name)
    outcome.problems.extend(combined.problems)
    outcome.problems.rejected_rows += combined.rejected_rows
    if refuses(run, outcome):
        return _finish(run, outcome, mapping, by, refused=True)
    with transaction.atomic():
        _write(combined.incidents, run=run, mapping=mapping, by=by, outcome=outcome)
        # The writes' own checks can reject an incident too.
        refused = refuses(run, outcome)
        if refused:
            transaction.set_rollback(True)
    return _finish(run, outcome, mapping, by, refused=refused)


def _finish(run: ImportRun, outcome: Outcome, mapping, by, *, refused: bool) -> Outcome:
    return finish(
        run,
        outcome,
        refused=refused,
        by=by,
        action="import.incidents",
        organisation=mapping.provider,
        what=f"Import of {run.source} with the mapping “{mapping.name}”",
        detail={"mapping": mapping.name, "layout": mapping.layout},
    )
