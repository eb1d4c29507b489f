"""Write a generated `Region` to the database: all of it, or (on any error) none of it.

Organisations, wards and memberships go through their services, so they are checked and
audited like any others; the thousands of patients, stays and records are bulk-inserted in
batches, with a first version for each record as `record_save` would have written, and one
audit event saying the demo was loaded. The wards' improvement work (projects, PDSA cycles,
co-design posts: `mhsip.demo.improvement`) is written directly too, dated in the past.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from mhsip.auditing import services as audit
from mhsip.authorization.roles import ROLES
from mhsip.dashboards.models import TeamEnteredValue, WardAim
from mhsip.demo.generate import DEMO_PASSWORD, LONDON, Region, add_months, team_values
from mhsip.demo.improvement import load_improvement
from mhsip.demo.network import load_network_demo
from mhsip.incidents.models import (
    Intervention,
    RecordVersion,
    StaffInvolvement,
    UseOfForceRecord,
)
from mhsip.incidents.services import INTERVENTION_FIELDS, RECORD_FIELDS, STAFF_FIELDS
from mhsip.organisations.models import Organisation, Ward
from mhsip.organisations.services import membership_grant, organisation_create, ward_create
from mhsip.patients.models import Patient, WardStay
from mhsip.patients.pseudonyms import alias_for, local_id_hash

#: Rows per INSERT: small enough for SQLite's limit on query variables, big enough to be quick.
BATCH_SIZE = 500
REPORT_EVERY = 2000


class DemoLoadError(Exception):
    """The region cannot be loaded here (nothing was written)."""


@dataclass(frozen=True)
class Loaded:
    organisations: int
    wards: int
    users: int
    patients: int
    stays: int
    records: int
    interventions: int
    staff: int


def load_region(region: Region, *, progress: Callable[[str], None] | None = None) -> Loaded:
    """Write `region` in one transaction. Raises DemoLoadError if its codes or usernames are
    taken already; any other error also leaves the database as it was."""
    report = progress or (lambda _message: None)
    User = get_user_model()
    codes = [o.code for o in region.organisations]
    usernames = [u.username for u in region.users]
    taken = sorted(Organisation.objects.filter(code__in=codes).values_list("code", flat=True))
    taken += sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DemoLoadError(
            f"The demo's organisation codes or usernames are in use already ({', '.join(taken)}): "
            "load the demo into an empty database."
        )
    with transaction.atomic():
        organisations = _organisations(region)
        wards = _wards(region, organisations)
        report(f"Organisations: {len(organisations)}  Wards: {len(wards)}")
        users = _users(region, organisations, wards)
        report(f"Users: {len(users)}")
        patients = _patients(region, organisations, report)
        stays = _bulk(
            WardStay,
            (
                WardStay(
                    patient=patients[s.patient_key],
                    ward=wards[s.ward_code],
                    started_at=s.started_at,
                    ended_at=s.ended_at,
                    end_reason=s.end_reason,
                )
                for s in region.stays
            ),
            "Ward stays",
            len(region.stays),
            report,
        )
        counts = _records(region, wards, patients, users, report)
        _aims_and_team_values(region, wards)
        improvement = load_improvement(
            region.stories, region.now.astimezone(LONDON).date(), wards, users
        )
        report(
            f"Improvement: {improvement['projects']} projects, {improvement['cycles']} PDSA "
            f"cycles, {improvement['posts']} co-design posts"
        )
        load_network_demo(users=users, report=report)
        audit.record_event(
            by=users.get("admin"),
            action="demo.load",
            summary=(
                f"Loaded the demo region (seed {region.seed}, {region.years:g} years): "
                f"{len(region.records):,} use-of-force records"
            ),
            detail={"seed": region.seed, "years": region.years},
        )
    return Loaded(
        organisations=len(organisations),
        wards=len(wards),
        users=len(users),
        patients=len(patients),
        stays=len(stays),
        records=counts[0],
        interventions=counts[1],
        staff=counts[2],
    )


def _aims_and_team_values(region: Region, wards: dict[str, Ward]) -> None:
    """Wards in the programme get their aim (baseline: the 12 months before they joined) and
    the figures their teams entered since."""
    aims = []
    for story in region.stories:
        joined = story.joined_programme_on
        if joined is None:
            continue
        aims.append(
            WardAim(
                ward=wards[story.ward_code],
                joined_programme_on=joined,
                baseline_start=add_months(joined, -12),
                baseline_end=add_months(joined, -1),
                reduction_percent=25,
                aim_by=add_months(joined, 18),
            )
        )
    WardAim.objects.bulk_create(aims)
    TeamEnteredValue.objects.bulk_create(
        TeamEnteredValue(
            ward=wards[v.ward_code],
            measure=v.measure,
            month=v.month,
            numerator=v.numerator,
            denominator=v.denominator,
        )
        for v in team_values(region)
    )


def _organisations(region: Region) -> dict[str, Organisation]:
    made: dict[str, Organisation] = {}
    for plan in region.organisations:  # parents come first
        made[plan.code] = organisation_create(
            by=None,
            kind=plan.kind,
            code=plan.code,
            name=plan.name,
            parent=made[plan.parent_code] if plan.parent_code else None,
        )
    return made


def _wards(region: Region, organisations: dict[str, Organisation]) -> dict[str, Ward]:
    return {
        plan.code: ward_create(
            by=None,
            site=organisations[plan.site_code],
            code=plan.code,
            name=plan.name,
            ward_type=plan.ward_type,
            security_level=plan.security_level,
            beds=plan.beds,
            opened_on=plan.opened_on,
        )
        for plan in region.wards
    }


def _users(region: Region, organisations, wards) -> dict[str, Any]:
    User = get_user_model()
    users = {}
    # One hash for the one published password: Argon2 takes a good fraction of a second per
    # hash by design, and these accounts' password is no secret anyway.
    demo_password = make_password(DEMO_PASSWORD)
    for plan in region.users:
        user = User(
            username=plan.username,
            first_name=plan.first_name,
            last_name=plan.last_name,
            job_title=plan.job_title,
            is_staff=plan.is_admin,
            is_superuser=plan.is_admin,
        )
        # Recording accounts exist so that every record has an author; nobody signs in as them.
        user.password = demo_password if plan.can_sign_in else make_password(None)
        user.save()
        users[plan.username] = user
    admin = users.get("admin")
    for plan in region.users:
        membership_grant(
            by=admin,
            user=users[plan.username],
            role=plan.role,
            organisation=organisations.get(plan.organisation_code or ""),
            ward=wards.get(plan.ward_code or ""),
        )
    return users


def _patients(region: Region, organisations, report) -> dict[int, Patient]:
    def patient(p) -> Patient:
        id_hash = local_id_hash(p.provider_code, p.local_id)
        return Patient(
            provider=organisations[p.provider_code],
            local_id_hash=id_hash,
            alias=alias_for(id_hash),
            date_of_birth=p.date_of_birth,
            year_of_birth=p.date_of_birth.year,
            sex=p.sex,
            gender_identity=p.gender_identity,
            ethnicity=p.ethnicity,
            religion=p.religion,
            sexual_orientation=p.sexual_orientation,
            disability=p.disability,
            learning_disability=p.learning_disability,
            autism=p.autism,
            mental_disorder=p.mental_disorder,
            legal_status=p.legal_status,
        )

    made = _bulk(
        Patient, (patient(p) for p in region.patients), "Patients", len(region.patients), report
    )
    return {p.key: row for p, row in zip(region.patients, made, strict=True)}


def _records(region: Region, wards, patients, users, report) -> tuple[int, int, int]:
    records = _bulk(
        UseOfForceRecord,
        (
            UseOfForceRecord(
                ward=wards[r.ward_code],
                patient=patients[r.patient_key],
                status=r.status,
                created_by=users[r.recorded_by],
                created_at=r.created_at,
                completed_at=r.completed_at,
                **_record_fields(r),
            )
            for r in region.records
        ),
        "Records",
        len(region.records),
        report,
    )
    interventions = _bulk(
        Intervention,
        (
            Intervention(
                record=row, type_code=i.type_code, started_at=i.started_at, ended_at=i.ended_at
            )
            for r, row in zip(region.records, records, strict=True)
            for i in r.interventions
        ),
    )
    staff = _bulk(
        StaffInvolvement,
        (
            StaffInvolvement(
                record=row,
                name=s.name,
                job_title=s.job_title,
                role=s.role,
                from_outside_unit=s.from_outside_unit,
            )
            for r, row in zip(region.records, records, strict=True)
            for s in r.staff
        ),
    )
    _bulk(
        RecordVersion,
        (
            RecordVersion(
                record=row,
                number=1,
                data=_snapshot(r, row),
                saved_at=r.created_at,
                saved_by=row.created_by,
                reason="First recorded",
            )
            for r, row in zip(region.records, records, strict=True)
        ),
    )
    return len(records), len(interventions), len(staff)


def _record_fields(record) -> dict[str, Any]:
    """The record's fields as `record_save` stores them: blank text, or None for a time."""
    return {
        name: record.fields.get(name) or (None if name in {"started_at", "ended_at"} else "")
        for name in RECORD_FIELDS
    }


def _snapshot(record, row: UseOfForceRecord) -> dict[str, Any]:
    """The first version's data, in the shape `mhsip.incidents.services._snapshot` gives."""

    def value(v: Any) -> Any:
        return v.isoformat() if isinstance(v, datetime) else v

    return {
        "status": record.status,
        "ward": record.ward_code,
        "patient": row.patient.alias,
        **{name: value(getattr(row, name)) for name in RECORD_FIELDS},
        "interventions": [
            {name: value(getattr(i, name)) for name in INTERVENTION_FIELDS}
            for i in record.interventions
        ],
        "staff": [{name: getattr(s, name) for name in STAFF_FIELDS} for s in record.staff],
    }


def _bulk(model, rows: Iterable, label: str = "", total: int = 0, report=None) -> list:
    """bulk_create in batches (returning the rows, with their keys), reporting progress."""
    made: list = []
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            made += model.objects.bulk_create(batch)
            batch = []
            if report and label and len(made) % REPORT_EVERY == 0:
                report(f"{label}: {len(made):,}/{total:,}")
    if batch:
        made += model.objects.bulk_create(batch)
    if report and label:
        report(f"{label}: {len(made):,}/{total:,}")
    return made


def logins_table(region: Region) -> str:
    """The demo logins, as a plain-text table for the terminal."""
    rows = [("Username", "Role", "Where", "What they can do")]
    names = {o.code: o.name for o in region.organisations}
    names |= {w.code: w.name for w in region.wards}
    for user in region.users:
        if not user.can_sign_in:
            continue
        place = names.get(user.ward_code or user.organisation_code or "", "Everywhere")
        rows.append((user.username, ROLES[user.role].display_name, place, user.note))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(
            [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]), row[3]]
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 16)
    return "\n".join(lines)
