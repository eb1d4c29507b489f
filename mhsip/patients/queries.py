"""Reads of patients, stays and bed days, always scoped to what the person may see.

Each function returns nothing (None, or an empty queryset) rather than raising when the person
lacks the permission, so a view that forgets its own check still shows no one's data.
"""

from __future__ import annotations

from django.db.models import QuerySet

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.organisations.models import Ward
from mhsip.patients.models import MonthlyBedDays, Patient, WardStay
from mhsip.patients.pseudonyms import local_id_hash


def patient_find(user, *, ward: Ward, local_id: str) -> Patient | None:
    """The ward's provider's patient with this local identifier, if there is one.

    Patients belong to the provider, not the ward: a patient admitted elsewhere in the trust
    is found from any of its wards, as they may have moved.
    """
    if not local_id.strip() or not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=ward):
        return None
    provider = ward.provider
    return Patient.objects.filter(
        provider=provider, local_id_hash=local_id_hash(provider.code, local_id)
    ).first()


def patient_for_ward(user, *, ward: Ward, pk: int) -> Patient | None:
    """A patient of the ward's provider by primary key, for steps after `patient_find`."""
    if not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=ward):
        return None
    return Patient.objects.filter(provider=ward.provider, pk=pk).first()


def current_stays(user, *, ward: Ward) -> QuerySet[WardStay]:
    """The stays of the patients on the ward now, longest-staying first."""
    if not has_permission(user, Permission.PATIENT_DATA_VIEW, ward=ward):
        return WardStay.objects.none()
    return (
        WardStay.objects.filter(ward=ward, ended_at__isnull=True)
        .select_related("patient")
        .order_by("started_at", "id")
    )


def current_stay(user, *, ward: Ward, pk: int) -> WardStay | None:
    return current_stays(user, ward=ward).filter(pk=pk).first()


def open_stay(patient: Patient, ward: Ward) -> WardStay | None:
    """The patient's current stay on this ward, if they are on it (the caller has found them)."""
    return patient.stays.filter(ward=ward, ended_at__isnull=True).first()


def bed_days_for(user, *, ward: Ward) -> QuerySet[MonthlyBedDays]:
    """The ward's monthly occupied bed days, most recent month first (aggregates, not patients)."""
    if not (
        has_permission(user, Permission.BED_DAYS_ENTER, ward=ward)
        or has_permission(user, Permission.AGGREGATE_VIEW, ward=ward)
    ):
        return MonthlyBedDays.objects.none()
    return MonthlyBedDays.objects.filter(ward=ward).select_related("entered_by").order_by("-month")


def transfer_wards(*, ward: Ward) -> QuerySet[Ward]:
    """Where a patient on `ward` can be transferred: the provider's other open wards."""
    return (
        Ward.objects.filter(site__parent=ward.site.parent, closed_on__isnull=True)
        .exclude(pk=ward.pk)
        .order_by("name")
    )
