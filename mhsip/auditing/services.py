"""Write audit events. Call inside the same transaction as the change being audited."""

from __future__ import annotations

from typing import Any

from mhsip.auditing.models import AuditEvent


def record_event(
    *,
    by,
    action: str,
    target: Any = None,
    ward=None,
    organisation=None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    provider = None
    if ward is not None:
        provider = ward.provider
    elif organisation is not None:
        provider = organisation.provider
    return AuditEvent.objects.create(
        actor=by if getattr(by, "is_authenticated", False) else None,
        action=action,
        object_type=target._meta.model_name if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=summary or (str(target) if target is not None else "")[:300],
        ward=ward,
        provider=provider,
        detail=detail or {},
    )
