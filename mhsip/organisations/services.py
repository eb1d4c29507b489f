"""Writes to the organisation tree and memberships, each with its audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from mhsip.auditing import services as audit
from mhsip.authorization.roles import ROLES, Scope
from mhsip.organisations.models import (
    PARENT_KIND,
    Membership,
    Organisation,
    OrganisationKind,
    Ward,
)


def organisation_create(
    *, by, kind: str, code: str, name: str, parent: Organisation | None = None
) -> Organisation:
    kind = OrganisationKind(kind)
    expected = PARENT_KIND.get(kind)
    if expected is None and parent is not None:
        raise ValidationError({"parent": "A network is the top of the tree: it has no parent."})
    if expected is not None and (parent is None or parent.kind != expected):
        raise ValidationError({"parent": f"A {kind.label.lower()} belongs to a {expected.value}."})
    with transaction.atomic():
        organisation = Organisation.objects.create(kind=kind, code=code, name=name, parent=parent)
        audit.record_event(by=by, action="organisation.create", target=organisation)
    return organisation


def ward_create(*, by, site: Organisation, **fields) -> Ward:
    if site.kind != OrganisationKind.SITE:
        raise ValidationError({"site": "A ward belongs to a site."})
    with transaction.atomic():
        ward = Ward(site=site, **fields)
        ward.full_clean()
        ward.save()
        audit.record_event(by=by, action="ward.create", target=ward, ward=ward)
    return ward


def membership_grant(
    *,
    by,
    user,
    role: str,
    organisation: Organisation | None = None,
    ward: Ward | None = None,
) -> Membership:
    """Grant `role` to `user` on a ward or an organisation of the kind the role is for."""
    if role not in ROLES:
        raise ValidationError({"role": f"There is no role called {role!r}."})
    definition = ROLES[role]
    if ward is not None:
        place = Scope.WARD
    elif organisation is not None:
        place = Scope(organisation.kind)
    else:
        place = Scope.EVERYWHERE
    if place not in definition.scopes:
        allowed = ", ".join(scope.label for scope in definition.scopes)
        raise ValidationError(
            {"role": f"{definition.display_name} is granted on {allowed}, not on {place.label}."}
        )
    with transaction.atomic():
        membership, _ = Membership.objects.get_or_create(
            user=user, role=role, organisation=organisation, ward=ward, defaults={"created_by": by}
        )
        audit.record_event(
            by=by,
            action="membership.grant",
            target=membership,
            ward=ward,
            organisation=organisation,
            detail={"user": user.username, "role": role},
        )
    return membership
