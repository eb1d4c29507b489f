"""Reads of the organisation tree, scoped to what the person may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mhsip.authorization.checks import wards_where
from mhsip.authorization.permissions import Permission
from mhsip.organisations.models import Ward


def wards_visible_to(user) -> QuerySet[Ward]:
    """The wards whose records or exact figures the person may see, by provider then name."""
    return (
        Ward.objects.filter(
            Q(id__in=wards_where(user, Permission.PATIENT_DATA_VIEW).values("id"))
            | Q(id__in=wards_where(user, Permission.AGGREGATE_VIEW).values("id"))
        )
        .select_related("site", "site__parent")
        .order_by("site__parent__name", "name")
    )


def ward_by_code(code: str) -> Ward | None:
    """A ward by its code, for views that check the permission they need on it next."""
    return Ward.objects.select_related("site", "site__parent").filter(code=code).first()
