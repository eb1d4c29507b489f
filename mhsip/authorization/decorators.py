"""View helpers: refuse with 403 unless the signed-in person has the permission."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission


def require_permission(user, permission: Permission, **context) -> None:
    """Raise PermissionDenied (a 403 page) unless `user` has `permission` here."""
    if not has_permission(user, permission, **context):
        raise PermissionDenied(f"You do not have permission to {permission.description.lower()}.")
