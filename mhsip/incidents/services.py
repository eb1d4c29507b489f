"""Writes to use-of-force records: one function, one transaction, a new version and an audit
event every time. Nothing is overwritten without a version, nothing is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mhsip.auditing import services as audit
from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.incidents.models import (
    Intervention,
    RecordStatus,
    RecordVersion,
    StaffInvolvement,
    UseOfForceRecord,
)
from mhsip.incidents.validation import DUPLICATE_WINDOW, Problem, check_record
from mhsip.organisations.models import Ward
from mhsip.patients.models import Patient

RECORD_FIELDS = [
    "place",
    "started_at",
    "ended_at",
    "reason",
    "reason_detail",
    "avoidance_efforts",
    "how_force_was_used",
    "part_of_care_plan",
    "care_plan_notification_sent",
    "outside_people_involved",
    "outside_people_reason",
    "outcome",
    "patient_injured",
    "staff_injured",
    "others_injured",
    "death_or_serious_injury",
    "review_offered",
    "review_held",
    "review_not_held_reason",
    "carer_informed",
    "no_stay_reason",
    "duplicate_reason",
]
INTERVENTION_FIELDS = ["type_code", "started_at", "ended_at"]
STAFF_FIELDS = ["name", "job_title", "role", "from_outside_unit"]


class RecordInvalid(Exception):
    """Nothing was saved; `problems` says what to fix, field by field."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Saved:
    record: UseOfForceRecord
    created: bool


def may_edit(user, record: UseOfForceRecord) -> bool:
    """Editors may correct any record on their wards; authors may finish their own drafts."""
    if has_permission(user, Permission.USE_OF_FORCE_RECORD_EDIT, ward=record.ward):
        return True
    return (
        record.status == RecordStatus.DRAFT
        and record.created_by_id == getattr(user, "pk", None)
        and has_permission(user, Permission.USE_OF_FORCE_RECORD_CREATE, ward=record.ward)
    )


def has_stay(patient: Patient, ward: Ward, at: datetime | None) -> bool:
    if at is None:
        return True
    return patient.stays.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=at), ward=ward, started_at__lte=at
    ).exists()


def possible_duplicate(
    patient: Patient, ward: Ward, at: datetime | None, record: UseOfForceRecord | None
) -> str | None:
    if at is None:
        return None
    others = UseOfForceRecord.objects.filter(
        patient=patient,
        ward=ward,
        started_at__gte=at - DUPLICATE_WINDOW,
        started_at__lte=at + DUPLICATE_WINDOW,
    )
    if record is not None:
        others = others.exclude(pk=record.pk)
    other = others.first()
    return f"{other.reference} ({other})" if other else None


def _snapshot(record: UseOfForceRecord) -> dict[str, Any]:
    def value(v: Any) -> Any:
        return v.isoformat() if isinstance(v, datetime) else v

    return {
        "status": record.status,
        "ward": record.ward.code,
        "patient": record.patient.alias,
        **{name: value(getattr(record, name)) for name in RECORD_FIELDS},
        "interventions": [
            {name: value(getattr(i, name)) for name in INTERVENTION_FIELDS}
            for i in record.interventions.all()
        ],
        "staff": [{name: getattr(s, name) for name in STAFF_FIELDS} for s in record.staff.all()],
    }


def record_save(
    *,
    by,
    ward: Ward,
    patient: Patient,
    fields: dict[str, Any],
    interventions: list[dict[str, Any]],
    staff: list[dict[str, Any]],
    complete: bool,
    record: UseOfForceRecord | None = None,
    reason: str = "",
) -> Saved:
    """Create or change a record (as a draft, or complete), keeping a version of every save.

    Raises PermissionDenied when `by` may not, and RecordInvalid (saving nothing) when the
    record has errors or unexplained warnings. Changing a complete record needs a `reason`.
    """
    if record is None:
        if not has_permission(by, Permission.USE_OF_FORCE_RECORD_CREATE, ward=ward):
            raise PermissionDenied("You cannot record uses of force on this ward.")
    elif not may_edit(by, record):
        raise PermissionDenied("You cannot change this record.")
    if patient.provider_id != ward.provider.pk:
        raise RecordInvalid(
            [Problem("patient", "This patient is not known to this ward's provider")]
        )

    interventions = [i for i in interventions if any(i.get(n) for n in INTERVENTION_FIELDS)]
    staff = [s for s in staff if s.get("name") or s.get("job_title")]
    completing = complete or (record is not None and record.status == RecordStatus.COMPLETE)
    problems = check_record(
        fields,
        interventions,
        staff,
        completing=completing,
        has_stay=has_stay(patient, ward, fields.get("started_at")),
        possible_duplicate=possible_duplicate(patient, ward, fields.get("started_at"), record),
    )
    if record is not None and record.status == RecordStatus.COMPLETE and not reason.strip():
        problems.append(Problem("change_reason", "Say why you are changing a completed record"))
    if problems:
        raise RecordInvalid(problems)

    return record_write(
        by=by,
        ward=ward,
        patient=patient,
        fields=fields,
        interventions=interventions,
        staff=staff,
        complete=completing,
        record=record,
        reason=reason,
    )


def record_write(
    *,
    by,
    ward: Ward,
    patient: Patient,
    fields: dict[str, Any],
    interventions: list[dict[str, Any]],
    staff: list[dict[str, Any]],
    complete: bool,
    record: UseOfForceRecord | None = None,
    reason: str = "",
    first_reason: str = "First recorded",
    imported_as: tuple[Any, str, str] | None = None,
    detail: dict[str, Any] | None = None,
) -> Saved:
    """Write a record already checked (by `record_save`, or row by row by an import), with its
    version and audit event, in one transaction.

    `imported_as` is an imported record's natural key (provider, source system, reference in
    that system); `detail` is added to the audit event.
    """
    with transaction.atomic():
        created = record is None
        if created:
            record = UseOfForceRecord(ward=ward, patient=patient, created_by=by)
            if imported_as is not None:
                (record.source_provider, record.source, record.external_reference) = imported_as
        else:
            record = UseOfForceRecord.objects.select_for_update().get(pk=record.pk)
            record.version += 1
            record.ward, record.patient = ward, patient
        for name in RECORD_FIELDS:
            setattr(record, name, fields.get(name) or ("" if _is_text(name) else None))
        if complete and record.status != RecordStatus.COMPLETE:
            record.status = RecordStatus.COMPLETE
            record.completed_at = timezone.now()
        record.save()
        record.interventions.all().delete()
        Intervention.objects.bulk_create(
            Intervention(record=record, **{n: i.get(n) for n in INTERVENTION_FIELDS})
            for i in interventions
        )
        record.staff.all().delete()
        StaffInvolvement.objects.bulk_create(
            StaffInvolvement(
                record=record,
                name=s.get("name", ""),
                job_title=s.get("job_title", ""),
                role=s.get("role") or "",
                from_outside_unit=bool(s.get("from_outside_unit")),
            )
            for s in staff
        )
        RecordVersion.objects.create(
            record=record,
            number=record.version,
            data=_snapshot(record),
            saved_by=by,
            reason=first_reason if created else reason,
        )
        action = "create" if created else "update"
        event_detail = {"reason": reason} if reason else {}
        audit.record_event(
            by=by,
            action=f"use_of_force_record.{action}",
            target=record,
            ward=ward,
            summary=f"{record.reference} version {record.version} ({record.get_status_display()})",
            detail=event_detail | (detail or {}),
        )
    return Saved(record=record, created=created)


_TEXT_FIELDS = {
    f.name
    for f in UseOfForceRecord._meta.get_fields()
    if getattr(f, "get_internal_type", None) and f.get_internal_type() in {"CharField", "TextField"}
}


def _is_text(name: str) -> bool:
    return name in _TEXT_FIELDS


def record_viewed(*, by, record: UseOfForceRecord) -> None:
    """Audit a view of a patient-level record (the responsible person can see who looked)."""
    audit.record_event(
        by=by,
        action="use_of_force_record.view",
        target=record,
        ward=record.ward,
        summary=record.reference,
    )


def records_listed(*, by, ward: Ward, page: int) -> None:
    """Audit a view of a list of a ward's patient-level records (one event per page seen)."""
    audit.record_event(
        by=by,
        action="use_of_force_record.list",
        ward=ward,
        summary=f"Use-of-force records on {ward}, page {page}",
        detail={"page": page},
    )
