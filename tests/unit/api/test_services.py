"""API tokens: made with a hash only, found by their text, refused when revoked or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mhsip.api.models import ApiToken
from mhsip.api.services import (
    TOKEN_START,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    token_hash,
)
from mhsip.auditing.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_create_returns_a_long_random_token_and_keeps_its_hash():
    user = UserFactory()

    token, raw = api_token_create(by=user, name="nightly", expires_in_days=30)
    _, other = api_token_create(by=user, name="other", expires_in_days=30)

    assert raw.startswith(TOKEN_START) and len(raw) >= len(TOKEN_START) + 43
    assert raw != other
    assert token.key_hash == token_hash(raw) and raw not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert token.expires_at - timezone.now() > timedelta(days=29)


def test_create_refuses_an_expiry_not_offered():
    with pytest.raises(ValueError):
        api_token_create(by=UserFactory(), name="t", expires_in_days=10_000)


def test_authenticate_finds_the_token_by_its_text():
    token, raw = api_token_create(by=UserFactory(), name="t", expires_in_days=30)

    assert api_token_authenticate(raw) == token
    assert api_token_authenticate(raw + "x") is None
    assert api_token_authenticate(token.key_hash) is None  # the hash is not a token
    assert api_token_authenticate("") is None


def test_revoked_and_expired_tokens_do_not_authenticate():
    user = UserFactory()
    revoked, raw_revoked = api_token_create(by=user, name="a", expires_in_days=30)
    expired, raw_expired = api_token_create(by=user, name="b", expires_in_days=30)

    api_token_revoke(by=user, token=revoked)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))

    assert api_token_authenticate(raw_revoked) is None
    assert api_token_authenticate(raw_expired) is None


def test_create_and_revoke_are_audited():
    user = UserFactory()
    token, _ = api_token_create(by=user, name="t", expires_in_days=30)

    api_token_revoke(by=user, token=token)
    api_token_revoke(by=user, token=token)  # a second revoke changes nothing

    actions = list(
        AuditEvent.objects.filter(object_id=str(token.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["api_token.create", "api_token.revoke"]
