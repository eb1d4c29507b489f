"""Importing MHSDS extracts: read and check every row, choose the submissions NHS Digital would
choose, and store each provider-month's file, its rows and its figures in one transaction.

Re-running an import on the same directory changes nothing; a refresh (a higher
UniqSubmissionID) replaces the provider-month; an import stopped halfway and run again ends as
one clean run would, because each provider-month is written whole or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction

from mhsip.auditing.services import record_event
from mhsip.extracts.models import (
    HospitalSpellRow,
    IncidentRow,
    InterventionTypeRow,
    PersonRow,
    ReferralRow,
    Submission,
    SubmissionFigure,
    WardDetailsRow,
    WardStayRow,
)
from mhsip.imports.models import ImportKind, ImportRun
from mhsip.mhsds import (
    Extract,
    ExtractError,
    HeaderRow,
    SubmissionFigures,
    choose_submissions,
    header_rows,
    month_bounds,
    read_extract,
    submission_figures,
)
from mhsip.mhsds.pipeline import split_by_submission
from mhsip.mhsds.tables import (
    ACTIVITY_TABLES,
    HEADER,
    HOSPITAL_SPELL,
    INCIDENT,
    INTERVENTION_TYPE,
    MPI,
    REFERRAL,
    WARD_DETAILS,
    WARD_STAY,
)
from mhsip.organisations import services as organisations
from mhsip.organisations.models import Organisation, OrganisationKind, Ward, WardType
from mhsip.tabular import Problem, Problems

logger = logging.getLogger(__name__)

#: Providers an extract brings in that are not in the organisation tree yet hang here (a
#: provider must belong to a network) until someone moves them to their network.
UNASSIGNED_NETWORK_CODE = "MHSDS-UNASSIGNED"
UNASSIGNED_NETWORK_NAME = "Providers from MHSDS extracts, not yet in a network"

#: Each table's stored model and its fields, by MHSDS column.
ROW_MODELS: dict[str, tuple[type, dict[str, str]]] = {
    MPI.name: (
        PersonRow,
        {
            "Person_ID": "person_id",
            "RecordNumber": "record_number",
            "PatMRecInRP": "pat_m_rec_in_rp",
            "AgeRepPeriodEnd": "age_rep_period_end",
            "Gender": "gender",
            "NHSDEthnicity": "nhsd_ethnicity",
            "OrgIDSubICBLocResidence": "org_id_sub_icb_loc_residence",
        },
    ),
    REFERRAL.name: (
        ReferralRow,
        {
            "Person_ID": "person_id",
            "RecordNumber": "record_number",
            "UniqServReqID": "uniq_serv_req_id",
            "ServDischDate": "serv_disch_date",
        },
    ),
    HOSPITAL_SPELL.name: (
        HospitalSpellRow,
        {
            "Person_ID": "person_id",
            "RecordNumber": "record_number",
            "UniqHospProvSpellID": "uniq_hosp_prov_spell_id",
            "UniqServReqID": "uniq_serv_req_id",
            "StartDateHospProvSpell": "start_date",
            "DischDateHospProvSpell": "discharge_date",
            "InactTimeHPS": "inactive_date",
            "MHS501UniqID": "mhs501_uniq_id",
        },
    ),
    WARD_STAY.name: (
        WardStayRow,
        {
            "Person_ID": "person_id",
            "RecordNumber": "record_number",
            "UniqWardStayID": "uniq_ward_stay_id",
            "UniqHospProvSpellID": "uniq_hosp_prov_spell_id",
            "UniqWardCode": "uniq_ward_code",
            "WardCode": "ward_code",
            "StartDateWardStay": "start_date",
            "StartTimeWardStay": "start_time",
            "EndDateWardStay": "end_date",
            "EndTimeWardStay": "end_time",
            "InactTimeWS": "inactive_date",
            "SpecialisedMHServiceCode": "specialised_service_code",
            "MHS502UniqID": "mhs502_uniq_id",
        },
    ),
    INCIDENT.name: (
        IncidentRow,
        {
            "Person_ID": "person_id",
            "RecordNumber": "record_number",
            "UniqRestrictiveIntIncID": "uniq_restrictive_int_inc_id",
            "UniqHospProvSpellID": "uniq_hosp_prov_spell_id",
            "RestrictiveIntIncID": "restrictive_int_inc_id",
            "StartDateRestrictiveIntInc": "start_date",
            "StartTimeRestrictiveIntInc": "start_time",
            "EndDateRestrictiveIntInc": "end_date",
            "EndTimeRestrictiveIntInc": "end_time",
            "RestrictiveIntReason": "reason",
        },
    ),
    INTERVENTION_TYPE.name: (
        InterventionTypeRow,
        {
            "Person_ID": "person_id",
            "RecordNumber": "record_number",
            "UniqRestrictiveIntTypeID": "uniq_restrictive_int_type_id",
            "UniqRestrictiveIntIncID": "uniq_restrictive_int_inc_id",
            "UniqHospProvSpellID": "uniq_hosp_prov_spell_id",
            "RestrictiveIntType": "type_code",
            "StartDateRestrictiveIntType": "start_date",
            "StartTimeRestrictiveIntType": "start_time",
            "EndDateRestrictiveIntType": "end_date",
            "EndTimeRestrictiveIntType": "end_time",
            "RestraintInjuryPatient": "injury_patient",
            "MHS515UniqID": "mhs515_uniq_id",
        },
    ),
}

#: How many rows each INSERT statement carries on SQLite.
INSERT_BATCH = 20_000


@dataclass
class ChosenSubmission:
    header: HeaderRow
    header_row: int
    #: The rows of each activity table that belong to this file (indices into the extract).
    indices: dict[str, np.ndarray]
    extract: Extract

    @property
    def rows(self) -> int:
        return sum(len(found) for found in self.indices.values())

    def tables(self) -> dict[str, dict[str, list[Any]]]:
        """The file's rows as Python lists by column (built when needed: one file at a time)."""
        return {name: self.extract[name].take(found) for name, found in self.indices.items()}


# --- writing rows in bulk ---------------------------------------------------------------------


def _column_of(model: type, field_name: str) -> str:
    return model._meta.get_field(field_name).column


def _insert(model: type, field_names: list[str], rows: list[tuple]) -> None:
    """Insert rows without building model instances: COPY on PostgreSQL, batched multi-row
    executemany on SQLite. A million rows in seconds rather than minutes."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column_of(model, f)) for f in field_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(field_names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, rows[start : start + INSERT_BATCH])


def _delete_rows(submission: Submission) -> None:
    """Delete a submission's rows in one statement per table (Django's cascade would load
    every row first)."""
    for model, _ in ROW_MODELS.values():
        model.objects.filter(submission=submission)._raw_delete(model.objects.db)
    SubmissionFigure.objects.filter(submission=submission)._raw_delete(SubmissionFigure.objects.db)


def _sqlite_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _write_rows(submission: Submission, tables: dict[str, dict[str, list[Any]]]) -> dict[str, int]:
    counts = {}
    convert = connection.vendor != "postgresql"
    for table in ACTIVITY_TABLES:
        model, fields = ROW_MODELS[table.name]
        columns = tables[table.name]
        names = list(fields)
        value_lists = [columns[name] for name in names]
        if convert:
            value_lists = [
                [_sqlite_value(v) for v in values]
                if table.column(name).kind in ("date",)
                else values
                for name, values in zip(names, value_lists, strict=True)
            ]
        n = len(columns["Person_ID"])
        rows = list(zip([submission.pk] * n, *value_lists, strict=True))
        _insert(model, ["submission", *fields.values()], rows)
        counts[table.noun] = n
    return counts


# --- organisations ----------------------------------------------------------------------------


def _unassigned_network(by) -> Organisation:
    found = Organisation.objects.filter(code=UNASSIGNED_NETWORK_CODE).first()
    return found or organisations.organisation_create(
        by=by,
        kind=OrganisationKind.NETWORK,
        code=UNASSIGNED_NETWORK_CODE,
        name=UNASSIGNED_NETWORK_NAME,
    )


def provider_for(code: str, *, by) -> Organisation:
    """The provider with this ODS code, created (named by its code) if it is new."""
    found = Organisation.objects.filter(code=code).first()
    if found is not None:
        if found.kind != OrganisationKind.PROVIDER:
            raise ValueError(
                f"OrgIDProvider {code} is the code of a {found.get_kind_display().lower()} "
                "in mhsip, not of a provider"
            )
        return found
    return organisations.organisation_create(
        by=by,
        kind=OrganisationKind.PROVIDER,
        code=code,
        name=code,
        parent=_unassigned_network(by),
    )


def _site_for(provider: Organisation, site_code: str | None, *, by) -> Organisation:
    if site_code:
        found = Organisation.objects.filter(code=site_code).first()
        if found is not None and found.kind == OrganisationKind.SITE:
            return found
        if found is None:
            return organisations.organisation_create(
                by=by, kind=OrganisationKind.SITE, code=site_code, name=site_code, parent=provider
            )
    # NHS Digital's site is "UNKNOWN" when the ward's site code is missing or not a site.
    code = f"{provider.code}-UNKNOWN"
    found = Organisation.objects.filter(code=code).first()
    return found or organisations.organisation_create(
        by=by,
        kind=OrganisationKind.SITE,
        code=code,
        name=f"UNKNOWN site ({provider.code})",
        parent=provider,
    )


def wards_for(
    provider: Organisation,
    stays: dict[str, list[Any]],
    *,
    by,
) -> dict[str, Ward]:
    """The wards of these ward stays by UniqWardCode, created where new: on the site that
    MHS903WardDetails gives (latest month), else the provider's UNKNOWN site."""
    names: dict[str, str] = {}
    for code, local in zip(stays["UniqWardCode"], stays["WardCode"], strict=True):
        if code is not None and (code not in names or (local and names[code] == code)):
            names[code] = local or code
    existing = {w.code: w for w in Ward.objects.filter(code__in=list(names))}
    new = [code for code in names if code not in existing]
    if new:
        sites: dict[str, str | None] = {}
        for code, site in (
            WardDetailsRow.objects.filter(uniq_ward_code__in=new)
            .order_by("uniq_month_id")
            .values_list("uniq_ward_code", "site_id_of_ward")
        ):
            sites[code] = site
        for code in new:
            existing[code] = organisations.ward_create(
                by=by,
                site=_site_for(provider, sites.get(code), by=by),
                code=code,
                name=names[code][:200],
                ward_type=WardType.OTHER,
                beds=0,
            )
    return existing


def _ensure_a_ward(provider: Organisation, *, by) -> None:
    """mhsip finds a provider's figures through its wards: a provider whose files name no ward
    (no ward stays yet, or MHS502 refused) gets one placeholder ward so they are shown."""
    if Ward.objects.filter(site__parent=provider).exists():
        return
    organisations.ward_create(
        by=by,
        site=_site_for(provider, None, by=by),
        code=f"{provider.code}-UNKNOWN-WARD",
        name="Ward not named in the MHSDS extract",
        ward_type=WardType.OTHER,
        beds=0,
    )


# --- the import -------------------------------------------------------------------------------


def _store_ward_details(extract: Extract) -> None:
    details = extract[WARD_DETAILS.name]
    rows = [
        WardDetailsRow(uniq_ward_code=code, uniq_month_id=month, site_id_of_ward=site)
        for code, month, site in zip(
            details.values("UniqWardCode"),
            details.values("UniqMonthID"),
            details.values("SiteIDOfWard"),
            strict=True,
        )
    ]
    WardDetailsRow.objects.bulk_create(
        rows,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["uniq_ward_code", "uniq_month_id"],
        update_fields=["site_id_of_ward"],
    )


def _choose(extract: Extract, problems: Problems) -> list[ChosenSubmission]:
    """The submissions to store, with warnings for those NHS Digital would not use."""
    header = extract[HEADER.name]
    rows = list(
        zip(
            header_rows(header.take(slice(None))),
            header.row_numbers.tolist(),
            strict=True,
        )
    )
    row_of = {h.submission_id: row for h, row in rows}
    chosen = choose_submissions(h for h, _ in rows)
    for h, row in rows:
        if h.file_type not in (1, 2):
            problems.add(
                Problem(
                    HEADER.file_name,
                    row,
                    "FileType",
                    f"submission {h.submission_id} has file type {h.file_type}: only primary (1) "
                    "and refresh (2) files are counted, so it was not imported",
                    rejected=False,
                )
            )
        elif chosen[(h.provider, h.month_id)].submission_id != h.submission_id:
            later = chosen[(h.provider, h.month_id)].submission_id
            problems.add(
                Problem(
                    HEADER.file_name,
                    row,
                    "UniqSubmissionID",
                    f"submission {h.submission_id} is replaced by the later submission {later} "
                    f"for {h.provider} in the same month, so it was not imported",
                    rejected=False,
                )
            )
    split = {t.name: split_by_submission(extract[t.name]) for t in ACTIVITY_TABLES}
    nothing = np.zeros(0, dtype=np.int64)
    found = []
    for (provider, month_id), h in sorted(chosen.items()):
        key = (h.submission_id, month_id, provider)
        indices = {t.name: split[t.name].get(key, nothing) for t in ACTIVITY_TABLES}
        found.append(ChosenSubmission(h, row_of[h.submission_id], indices, extract))
    return found


def store_submission(
    chosen: ChosenSubmission,
    tables: dict[str, dict[str, list[Any]]],
    figures: SubmissionFigures,
    *,
    by,
    run: ImportRun | None,
) -> tuple[Submission, dict[str, int]]:
    """Write one provider-month's file, rows and figures, replacing the earlier file; all or
    nothing (the caller holds the transaction)."""
    h = chosen.header
    provider = provider_for(h.provider, by=by)
    wards = wards_for(provider, tables[WARD_STAY.name], by=by)
    if not wards:
        _ensure_a_ward(provider, by=by)
    first, _ = month_bounds(h.month_id)
    submission, created = Submission.objects.select_for_update().get_or_create(
        provider=provider,
        uniq_month_id=h.month_id,
        defaults={"uniq_submission_id": h.submission_id, "month": first, "file_type": h.file_type},
    )
    if not created:
        _delete_rows(submission)
    submission.uniq_submission_id = h.submission_id
    submission.month = first
    submission.file_type = h.file_type
    submission.sent_intervention_types = figures.sent_intervention_types
    submission.import_run = run
    submission.save()
    counts = _write_rows(submission, tables)
    p = figures.provider_figures
    figure_rows = [
        SubmissionFigure(
            submission=submission,
            ward=None,
            people_restrained=p.people_restrained,
            interventions=p.interventions,
            incidents=p.incidents,
            bed_days=p.bed_days,
            people_in_hospital=p.people_in_hospital,
            minutes_by_type={str(k): v for k, v in p.minutes_by_type.items()},
        )
    ] + [
        SubmissionFigure(
            submission=submission,
            ward=wards[code],
            people_restrained=w.people_restrained,
            interventions=w.interventions,
            incidents=w.incidents,
            bed_days=w.bed_days,
        )
        for code, w in figures.wards.items()
    ]
    SubmissionFigure.objects.bulk_create(figure_rows, batch_size=1000)
    record_event(
        by=by,
        action="mhsds_extract.import",
        target=submission,
        organisation=provider,
        summary=f"MHSDS submission {h.submission_id} for {provider.code}, {first:%B %Y}",
        detail={
            "uniq_submission_id": h.submission_id,
            "uniq_month_id": h.month_id,
            "file_type": h.file_type,
            "replaced_earlier": not created,
            "import_run": run.pk if run else None,
            "rows": counts,
        },
    )
    return submission, counts


def start_import(
    *, source: str, by=None, all_or_nothing: bool = False, organisation=None
) -> ImportRun:
    return ImportRun.objects.create(
        kind=ImportKind.MHSDS,
        source=source[:500],
        started_by=by if getattr(by, "is_authenticated", False) else None,
        all_or_nothing=all_or_nothing,
        organisation=organisation,
    )


def import_extract(
    directory: Path | str,
    *,
    by=None,
    run: ImportRun | None = None,
    all_or_nothing: bool = False,
    allowed_providers: set[str] | None = None,
    report: Callable[[str], None] | None = None,
) -> ImportRun:
    """Import the MHSDS extract in `directory` (one CSV per table) and return its ImportRun.

    `allowed_providers`, when given, are the OrgIDProvider codes the person may import for
    (the page passes theirs); submissions of other providers are refused with a problem.
    `report` receives progress lines (the command prints them).
    """
    directory = Path(directory)
    run = run or start_import(source=str(directory), by=by, all_or_nothing=all_or_nothing)
    say = report or (lambda line: None)
    run.mark_running()
    last_tenth = -1

    def progress(done: int, total: int) -> None:
        nonlocal last_tenth
        tenth = (10 * done // total) if total else 10
        if tenth != last_tenth:
            last_tenth = tenth
            run.mark_progress(done, total)
            say(f"read {done:,} of {total:,} rows ({10 * tenth}%)")

    try:
        extract = read_extract(directory, progress=progress)
    except ExtractError as error:
        problems = Problems()
        problems.extend(error.problems)
        run.mark_finished({}, problems, refused=True)
        _audit_run(run, by, refused=True)
        return run
    problems = extract.problems
    chosen = _choose(extract, problems)
    if allowed_providers is not None:
        for c in list(chosen):
            if c.header.provider not in allowed_providers:
                problems.add(
                    Problem(
                        HEADER.file_name,
                        c.header_row,
                        "OrgIDProvider",
                        f"you may not import data for provider {c.header.provider}: its "
                        f"submission {c.header.submission_id} was not imported",
                    )
                )
                problems.rejected_rows += c.rows
                chosen.remove(c)
    if all_or_nothing and problems.rejected_rows:
        say(f"{problems.rejected_rows:,} rows failed their checks: nothing was imported")
        run.mark_finished({}, problems, refused=True)
        _audit_run(run, by, refused=True)
        return run

    with transaction.atomic():
        _store_ward_details(extract)
    totals: dict[str, int] = {"submissions": 0}
    for index, c in enumerate(chosen, start=1):
        h = c.header
        stored = (
            Submission.objects.filter(provider__code=h.provider, uniq_month_id=h.month_id)
            .values_list("uniq_submission_id", flat=True)
            .first()
        )
        if stored is not None and stored > h.submission_id:
            problems.add(
                Problem(
                    HEADER.file_name,
                    c.header_row,
                    "UniqSubmissionID",
                    f"a later submission ({stored}) for {h.provider} in this month is already "
                    f"imported, so submission {h.submission_id} was not",
                    rejected=False,
                )
            )
            continue
        tables = c.tables()
        figures = submission_figures(
            tables,
            provider=h.provider,
            month_id=h.month_id,
            submission_id=h.submission_id,
            unusable=extract.unusable,
        )
        try:
            with transaction.atomic():
                _, counts = store_submission(c, tables, figures, by=by, run=run)
        except ValueError as error:
            problems.add(Problem(HEADER.file_name, c.header_row, "OrgIDProvider", str(error)))
            problems.rejected_rows += c.rows
            continue
        totals["submissions"] += 1
        for noun, n in counts.items():
            totals[noun] = totals.get(noun, 0) + n
        say(
            f"stored submission {h.submission_id} ({h.provider}, month {h.month_id}): "
            f"{index} of {len(chosen)}"
        )
    if run.organisation is None:
        # Run from the command line: file the run under its provider when the extract holds one,
        # so that the provider's import history lists it.
        codes = {c.header.provider for c in chosen}
        if len(codes) == 1:
            run.organisation = Organisation.objects.filter(
                code=codes.pop(), kind=OrganisationKind.PROVIDER
            ).first()
    run.mark_finished(totals, problems)
    _audit_run(run, by)
    return run


def _audit_run(run: ImportRun, by, *, refused: bool = False) -> None:
    record_event(
        by=by,
        action="mhsds_extract.refused" if refused else "mhsds_extract.finished",
        target=run,
        organisation=run.organisation,
        summary=f"MHSDS extract {run.source}: {run.get_status_display()}",
        detail={"counts": run.counts, "problems": run.problem_count},
    )
