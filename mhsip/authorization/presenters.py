"""Roles and permissions as tables people read: the access matrix and "My access"."""

from __future__ import annotations

from dataclasses import dataclass

from mhsip.authorization.permissions import Permission
from mhsip.authorization.roles import ROLES, Role, Scope

# Narrowest first, the order people think of them in.
SCOPE_ORDER = [Scope.WARD, Scope.SITE, Scope.PROVIDER, Scope.NETWORK, Scope.EVERYWHERE]


def granted_on(role: Role) -> str:
    """Where a role can be granted, in words: "a provider or a site"."""
    labels = [scope.label for scope in SCOPE_ORDER if scope in role.scopes]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


@dataclass(frozen=True)
class MatrixRow:
    permission: Permission
    allowed: list[bool]  # one per role, in the order of ROLES


def make_access_matrix() -> tuple[list[Role], list[MatrixRow]]:
    """Every role (columns) against every permission (rows)."""
    roles = list(ROLES.values())
    rows = [
        MatrixRow(permission, [permission in role.permissions for role in roles])
        for permission in Permission
    ]
    return roles, rows


@dataclass(frozen=True)
class MembershipSummary:
    role: Role
    place: str
    permissions: list[Permission]


def make_my_access(memberships) -> list[MembershipSummary]:
    summaries = []
    for membership in memberships:
        role = ROLES.get(membership.role)
        if role is None:  # a role since removed from roles.py grants nothing
            continue
        place = membership.ward or membership.organisation
        summaries.append(
            MembershipSummary(
                role=role,
                place=str(place) if place is not None else "Everywhere (the whole system)",
                permissions=[p for p in Permission if p in role.permissions],
            )
        )
    return summaries
