"""Read the audit log, only for the providers whose log the person may read."""

from __future__ import annotations

from django.db.models import Q, QuerySet

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
