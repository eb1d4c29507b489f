"""Read the audit log, only for the providers whose log the person may read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.authorization.checks import organisations_where
from mhsip.authorization.permissions import Permission


def audit_events_for(user) -> QuerySet[AuditEvent]:
    providers = organisations_where(user, Permission.AUDIT_LOG_VIEW)
    return (
        AuditEvent.objects.filter(Q(provider__in=providers))
        .select_related("actor", "ward", "provider")
        .order_by("-at", "-id")
    )


def filter_audit_events(
    events: QuerySet[AuditEvent],
    *,
    since: date | None = None,
    until: date | None = None,
    action: str = "",
    ward=None,
    actor=None,
) -> QuerySet[AuditEvent]:
    """Narrow `events` (already scoped by `audit_events_for`); dates are inclusive, local time."""
    if since is not None:
        events = events.filter(at__gte=_start_of(since))
    if until is not None:
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    if action:
        events = events.filter(action=action)
    if ward is not None:
        events = events.filter(ward=ward)
    if actor is not None:
        events = events.filter(actor=actor)
    return events


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
