"""Reads for the champions' pages, the watcher and the digest, scoped to what each person may see.

A person may follow a ward or provider where they have ALERTS_FOLLOW and may see its figures
(AGGREGATE_VIEW exact, or SUPPRESSED_AGGREGATE_VIEW); their alerts are computed from the figures
as they see them, so an alert always agrees with the chart it links to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from mhsip.authorization.checks import has_permission, organisations_where, wards_where
from mhsip.authorization.permissions import Permission
from mhsip.champions.models import Alert, Follow
from mhsip.organisations.models import Organisation, OrganisationKind, Ward

SEE_FIGURES = (Permission.AGGREGATE_VIEW, Permission.SUPPRESSED_AGGREGATE_VIEW)


def follow_access(user, *, ward: Ward | None = None, provider: Organisation | None = None):
    """True (exact figures) or False (suppressed) if `user` may follow this ward or provider;
    None if they may not."""
    if provider is not None and provider.kind != OrganisationKind.PROVIDER:
        return None
    context = {"ward": ward} if ward is not None else {"organisation": provider}
    if not has_permission(user, Permission.ALERTS_FOLLOW, **context):
        return None
    if has_permission(user, Permission.AGGREGATE_VIEW, **context):
        return True
    if has_permission(user, Permission.SUPPRESSED_AGGREGATE_VIEW, **context):
        return False
    return None


def followable_wards(user) -> QuerySet[Ward]:
    seen = Ward.objects.none()
    for permission in SEE_FIGURES:
        seen = seen | wards_where(user, permission)
    return (
        wards_where(user, Permission.ALERTS_FOLLOW)
        .filter(pk__in=seen.values("pk"))
        .select_related("site__parent")
        .order_by("site__parent__name", "name")
    )


def followable_providers(user) -> QuerySet[Organisation]:
    seen = Organisation.objects.none()
    for permission in SEE_FIGURES:
        seen = seen | organisations_where(user, permission)
    return (
        organisations_where(user, Permission.ALERTS_FOLLOW)
        .filter(kind=OrganisationKind.PROVIDER, pk__in=seen.values("pk"))
        .order_by("name")
    )


def follows_of(user) -> list[Follow]:
    """The person's follows they may still hold (a role taken away hides them)."""
    wards = set(followable_wards(user).values_list("pk", flat=True))
    providers = set(followable_providers(user).values_list("pk", flat=True))
    follows = Follow.objects.filter(follower=user).select_related("ward__site__parent", "provider")
    return [f for f in follows if f.ward_id in wards or f.provider_id in providers]


def is_following(user, *, ward: Ward | None = None, provider: Organisation | None = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(follower=user, ward=ward, provider=provider).exists()


def alerts_for(user) -> QuerySet[Alert]:
    """The person's own alerts about places they may still follow (no one sees another's)."""
    if not getattr(user, "is_authenticated", False):
        return Alert.objects.none()
    visible = Q(ward__in=followable_wards(user).values("pk")) | Q(
        provider__in=followable_providers(user).values("pk")
    )
    return (
        Alert.objects.filter(follower=user)
        .filter(visible)
        .select_related("ward__site__parent", "provider", "acknowledged_by")
    )


@dataclass(frozen=True)
class Digest:
    recipient: object
    new: list[Alert]
    unacknowledged: list[Alert]

    @property
    def empty(self) -> bool:
        return not (self.new or self.unacknowledged)


def digest_for(user, since: datetime) -> Digest:
    """Alerts raised since `since`, and older ones not yet acknowledged."""
    alerts = alerts_for(user)
    new = list(alerts.filter(created_at__gte=since))
    older = list(alerts.filter(created_at__lt=since, acknowledged_at__isnull=True))
    return Digest(user, new, older)
