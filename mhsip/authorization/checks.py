"""The one place that decides what a person may do and see.

    has_permission(user, Permission.PATIENT_DATA_VIEW, ward=ward)
    wards_where(user, Permission.PATIENT_DATA_VIEW)          -> Ward queryset
    organisations_where(user, Permission.AGGREGATE_VIEW)     -> Organisation queryset

A membership on a ward grants on that ward; on an organisation, on it and everything below it;
a system membership (neither) grants everywhere. Every page and query filters through these.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mhsip.authorization.permissions import Permission
from mhsip.authorization.roles import ROLES
from mhsip.organisations.models import Membership, Organisation, Ward


def roles_with(permission: Permission) -> list[str]:
    return [key for key, role in ROLES.items() if permission in role.permissions]


def _memberships(user, permission: Permission) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, role__in=roles_with(permission))


def has_permission(
    user,
    permission: Permission,
    *,
    ward: Ward | None = None,
    organisation: Organisation | None = None,
) -> bool:
    """May `user` do `permission` on this ward, this organisation, or (with neither) anywhere?"""
    if not isinstance(permission, Permission):
        raise TypeError(f"permission must be a Permission, not {permission!r}")
    if ward is not None and organisation is not None:
        raise TypeError("ask about a ward or an organisation, not both")
    memberships = _memberships(user, permission)
    if ward is None and organisation is None:
        return memberships.exists()
    everywhere = Q(ward__isnull=True, organisation__isnull=True)
    if ward is not None:
        above = ward.site.ancestors_and_self()
        return memberships.filter(everywhere | Q(ward=ward) | Q(organisation__in=above)).exists()
    return memberships.filter(
        everywhere | Q(organisation__in=organisation.ancestors_and_self())
    ).exists()


def wards_where(user, permission: Permission) -> QuerySet[Ward]:
    """Every ward on which `user` has `permission`."""
    memberships = _memberships(user, permission)
    if memberships.filter(ward__isnull=True, organisation__isnull=True).exists():
        return Ward.objects.all()
    organisations = memberships.filter(organisation__isnull=False).values("organisation")
    return Ward.objects.filter(
        Q(id__in=memberships.filter(ward__isnull=False).values("ward"))
        | Q(site__in=organisations)
        | Q(site__parent__in=organisations)
        | Q(site__parent__parent__in=organisations)
    ).distinct()


def organisations_where(user, permission: Permission) -> QuerySet[Organisation]:
    """Every organisation on which `user` has `permission` (the granted ones and those below)."""
    memberships = _memberships(user, permission)
    if memberships.filter(ward__isnull=True, organisation__isnull=True).exists():
        return Organisation.objects.all()
    granted = memberships.filter(organisation__isnull=False).values("organisation")
    return Organisation.objects.filter(
        Q(id__in=granted) | Q(parent__in=granted) | Q(parent__parent__in=granted)
    ).distinct()
