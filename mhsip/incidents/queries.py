"""Reads of use-of-force records, always scoped to the wards the person may see."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from mhsip.authorization.checks import wards_where
from mhsip.authorization.permissions import Permission
from mhsip.incidents.models import UseOfForceRecord


def records_visible_to(user) -> QuerySet[UseOfForceRecord]:
    """Records on the wards where the person sees patient-level data, most recent first.

    A draft may have no start time yet: it sorts by when it was made, so it is not lost at the
    end of the list (where NULLs go differs between SQLite and PostgreSQL).
    """
    return (
        UseOfForceRecord.objects.filter(ward__in=wards_where(user, Permission.PATIENT_DATA_VIEW))
        .select_related("ward", "patient", "created_by")
        .order_by(Coalesce("started_at", "created_at").desc(), F("id").desc())
    )
