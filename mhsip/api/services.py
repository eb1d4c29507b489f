"""Making, using and revoking API tokens. Each write is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mhsip.api.models import ApiToken
from mhsip.auditing.services import record_event

#: Every token starts so, which lets secret scanners recognise a leaked one.
TOKEN_START = "mhsip_"
#: 32 random bytes: as strong as the session key and far past guessing.
TOKEN_BYTES = 32
PREFIX_LENGTH = len(TOKEN_START) + 6
#: A token lasts at most a year; people choose shorter.
EXPIRY_DAYS = (30, 90, 365)
#: Writing `last_used_at` on every call would make every read a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, by, name: str, expires_in_days: int) -> tuple[ApiToken, str]:
    """A new token for `by`; returns it and the token text, which is never shown again."""
    if expires_in_days not in EXPIRY_DAYS:
        raise ValueError(f"a token expires after one of {EXPIRY_DAYS} days")
    raw = TOKEN_START + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(
        user=by,
        name=name.strip()[:100] or "API token",
        key_hash=token_hash(raw),
        prefix=raw[:PREFIX_LENGTH],
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )
    record_event(by=by, action="api_token.create", target=token, summary=str(token))
    return token, raw


@transaction.atomic
def api_token_revoke(*, by, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(by=by, action="api_token.revoke", target=token, summary=str(token))
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token with this text, of an active person; None for anything else."""
    if not raw or not raw.startswith(TOKEN_START):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
