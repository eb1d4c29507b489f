"""Reads of use-of-force records, always scoped to the wards the person may see."""

from __future__ import annotations

from django.db.models import QuerySet

from mhsip.authorization.checks import wards_where
from mhsip.authorization.permissions import Permission
from mhsip.incidents.models import UseOfForceRecord


def records_visible_to(user) -> QuerySet[UseOfForceRecord]:
    return UseOfForceRecord.objects.filter(
        ward__in=wards_where(user, Permission.PATIENT_DATA_VIEW)
    ).select_related("ward", "patient", "created_by")
