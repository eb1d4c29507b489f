"""Writes for champions: following, unfollowing and acknowledging alerts, each checked and
audited in one transaction. Alerts are raised by `mhsip.champions.watch`, digests sent by
`mhsip.champions.digest`; neither runs in a web request (`mhsip.champions.tasks`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mhsip.auditing import services as audit
from mhsip.champions.models import Alert, Follow
from mhsip.champions.queries import follow_access
from mhsip.organisations.models import Organisation, Ward

#: Long enough for what was done and who was told; a note is not a case record.
NOTE_LENGTH = 2000


def _about(ward: Ward | None, provider: Organisation | None) -> dict:
    if (ward is None) == (provider is None):
        raise TypeError("follow a ward or a provider, one of the two")
    return {"ward": ward} if ward is not None else {"organisation": provider}


def follow(*, by, ward: Ward | None = None, provider: Organisation | None = None) -> Follow:
    """`by` follows the ward or provider (following it again changes nothing)."""
    _about(ward, provider)
    if follow_access(by, ward=ward, provider=provider) is None:
        raise PermissionDenied("You cannot follow this ward or provider.")
    with transaction.atomic():
        found, created = Follow.objects.get_or_create(follower=by, ward=ward, provider=provider)
        if created:
            audit.record_event(
                by=by, action="champions.follow", target=found, **_about(ward, provider)
            )
    return found


def unfollow(*, by, ward: Ward | None = None, provider: Organisation | None = None) -> bool:
    """Stop following; True if `by` was following it. Their alerts about it stay theirs."""
    about = _about(ward, provider)
    with transaction.atomic():
        found = Follow.objects.filter(follower=by, ward=ward, provider=provider).first()
        if found is None:
            return False
        audit.record_event(by=by, action="champions.unfollow", target=found, **about)
        found.delete()
    return True


def alert_acknowledge(*, by, alert: Alert, note: str) -> Alert:
    """Mark the alert as seen and dealt with, saying what was done."""
    if alert.follower_id != by.pk:
        raise PermissionDenied("This alert is not yours.")
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = "Say what you did about this alert, or why nothing is needed"
    elif len(note) > NOTE_LENGTH:
        errors["note"] = f"The note must be {NOTE_LENGTH:,} characters or fewer"
    if alert.acknowledged:
        errors["note"] = "This alert has been acknowledged already"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = by
        alert.note = note
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
        audit.record_event(
            by=by,
            action="champions.alert_acknowledge",
            target=alert,
            ward=alert.ward,
            organisation=alert.provider,
            summary=f"Acknowledged: {alert}"[:300],
        )
    return alert
