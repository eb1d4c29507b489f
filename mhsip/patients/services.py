"""Writes for patients, stays and bed days: each in one transaction with its audit event."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mhsip.auditing import services as audit
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.organisations.models import Organisation, Ward
from mhsip.patients.models import MonthlyBedDays, Patient, StayEnd, WardStay
from mhsip.patients.pseudonyms import alias_for, local_id_hash


def patient_register(
    *,
    by,
    provider: Organisation,
    local_id: str,
    ward: Ward | None = None,
    check: bool = True,
    **characteristics,
) -> Patient:
    """Find the provider's patient with this local identifier, or add them.

    Characteristics given for an existing patient update them (they are recorded "if known" and
    become known over time). Ward staff add patients from their ward (`ward=`): their role is
    granted on the ward, not on the provider, so the permission is checked there.
    """
    if ward is not None and ward.provider.pk != provider.pk:
        raise ValidationError({"ward": "The ward belongs to another provider."})
    if check:
        if ward is not None:
            require_permission(by, Permission.PATIENT_MANAGE, ward=ward)
        else:
            require_permission(by, Permission.PATIENT_MANAGE, organisation=provider)
    if not local_id.strip():
        raise ValidationError({"local_id": "Enter the patient's local identifier."})
    id_hash = local_id_hash(provider.code, local_id)
    with transaction.atomic():
        patient, created = Patient.objects.get_or_create(
            provider=provider,
            local_id_hash=id_hash,
            defaults={"alias": alias_for(id_hash), **characteristics},
        )
        if not created and characteristics:
            for name, value in characteristics.items():
                setattr(patient, name, value)
            patient.full_clean()
            patient.save()
        audit.record_event(
            by=by,
            action="patient.create" if created else "patient.update",
            target=patient,
            ward=ward,
            organisation=provider,
        )
    return patient


def stay_admit(*, by, patient: Patient, ward: Ward, at: datetime, check: bool = True) -> WardStay:
    if check:
        require_permission(by, Permission.PATIENT_MANAGE, ward=ward)
    if ward.provider.pk != patient.provider_id:
        raise ValidationError({"ward": "The ward belongs to another provider."})
    if at > timezone.now():
        raise ValidationError({"started_at": "The admission cannot be in the future."})
    if patient.stays.filter(ended_at__isnull=True).exists():
        raise ValidationError({"patient": f"{patient} is already on a ward: transfer them."})
    with transaction.atomic():
        stay = WardStay.objects.create(patient=patient, ward=ward, started_at=at)
        audit.record_event(by=by, action="ward_stay.create", target=stay, ward=ward)
    return stay


def stay_end(
    *,
    by,
    stay: WardStay,
    at: datetime,
    reason: str,
    to_ward: Ward | None = None,
    check: bool = True,
) -> WardStay | None:
    """Discharge, or transfer to `to_ward` (returning the new stay).

    The sending ward makes a transfer, so its permission covers the admission to `to_ward` (a
    ward of the same provider, which `stay_admit` checks): ward staff rarely belong to the
    receiving ward.
    """
    if check:
        require_permission(by, Permission.PATIENT_MANAGE, ward=stay.ward)
    if at < stay.started_at:
        raise ValidationError({"ended_at": "The stay cannot end before it started."})
    if at > timezone.now():
        raise ValidationError({"ended_at": "The date cannot be in the future."})
    with transaction.atomic():
        stay.ended_at = at
        stay.end_reason = StayEnd(reason)
        stay.save()
        audit.record_event(by=by, action="ward_stay.end", target=stay, ward=stay.ward)
        if reason == StayEnd.TRANSFER:
            if to_ward is None:
                raise ValidationError({"to_ward": "Choose the ward the patient moved to."})
            return stay_admit(by=by, patient=stay.patient, ward=to_ward, at=at, check=False)
    return None


def ward_stays_viewed(*, by, ward: Ward) -> None:
    """Audit a view of the list of patients on a ward (patient-level data)."""
    audit.record_event(by=by, action="ward_stay.list", ward=ward, summary=f"Patients on {ward}")


def bed_days_enter(*, by, ward: Ward, month: date, occupied_bed_days: int) -> MonthlyBedDays:
    require_permission(by, Permission.BED_DAYS_ENTER, ward=ward)
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": "The month cannot be in the future."})
    with transaction.atomic():
        entry, _ = MonthlyBedDays.objects.update_or_create(
            ward=ward,
            month=month,
            defaults={"occupied_bed_days": occupied_bed_days, "entered_by": by},
        )
        audit.record_event(
            by=by,
            action="bed_days.enter",
            target=entry,
            ward=ward,
            detail={"month": month.isoformat(), "occupied_bed_days": occupied_bed_days},
        )
    return entry
