"""What the header's menu offers the person signed in: links to pages their roles can use."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def flags() -> dict[str, bool]:
        # Computed only when a template asks (lazily), once per request.
        return {
            "imports": has_permission(user, Permission.DATA_IMPORT),
            "alerts": has_permission(user, Permission.ALERTS_FOLLOW),
            "api_tokens": has_permission(user, Permission.API_TOKEN_MANAGE),
        }

    return {"menu": SimpleLazyObject(flags)}
