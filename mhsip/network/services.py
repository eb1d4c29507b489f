"""Writes to the network: join requests and their decisions, and case studies through their
workflow (draft -> submitted -> published by the provider, or returned). Each writes its audit
event in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mhsip.auditing import services as audit
from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.improvement.models import ContributorRole, PdsaCycle, TeamRole
from mhsip.network import pii
from mhsip.network.models import (
    REQUESTABLE_ROLES,
    CaseStudy,
    CaseStudyStatus,
    JoinKind,
    JoinRequest,
    RequestStatus,
)
from mhsip.network.queries import (
    may_manage,
    providers_user_may_put_forward,
    ramp_finished,
    ramp_of,
)
from mhsip.network.snapshot import take_snapshot
from mhsip.organisations.models import Membership, Organisation, OrganisationKind
from mhsip.organisations.services import membership_grant
from mhsip.patients.models import Patient
from mhsip.patients.pseudonyms import local_id_hash

# --- Joining ------------------------------------------------------------------------------------


def join_request_create(
    *,
    by,
    network: Organisation,
    kind: str,
    message: str,
    role: str = "",
    organisation: Organisation | None = None,
) -> JoinRequest:
    """Ask for a provider to join the network, or for a network role for oneself."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Say in a sentence or two why you want to join."})
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError({"network": "Only a network can be joined."})
    kind = JoinKind(kind)
    pending = JoinRequest.objects.filter(network=network, status=RequestStatus.PENDING)
    if kind is JoinKind.ORGANISATION:
        if organisation is None or organisation.kind != OrganisationKind.PROVIDER:
            raise ValidationError({"organisation": "Choose the provider that wants to join."})
        if not providers_user_may_put_forward(by).filter(pk=organisation.pk).exists():
            raise PermissionDenied(
                "Only the provider's responsible person, a QI lead or an administrator can ask "
                "for it to join a network."
            )
        if organisation.parent_id == network.pk:
            raise ValidationError({"organisation": f"{organisation} is in this network already."})
        if pending.filter(organisation=organisation).exists():
            raise ValidationError(
                {"organisation": f"{organisation} has asked to join already; wait for a decision."}
            )
        role = ""
    else:
        if role not in dict(REQUESTABLE_ROLES):
            raise ValidationError({"role": "Choose the role you are asking for."})
        if Membership.objects.filter(user=by, role=role, organisation=network).exists():
            raise ValidationError({"role": "You have this role in the network already."})
        if pending.filter(requested_by=by, role=role).exists():
            raise ValidationError({"role": "You have asked for this role already."})
        organisation = None
    with transaction.atomic():
        request = JoinRequest.objects.create(
            network=network,
            kind=kind,
            organisation=organisation,
            role=role,
            requested_by=by,
            message=message,
        )
        audit.record_event(
            by=by,
            action="network.join_request",
            target=request,
            organisation=network,
            detail={
                "kind": kind.value,
                "role": role,
                "organisation": getattr(organisation, "code", ""),
            },
        )
    return request


def join_request_decide(*, by, request: JoinRequest, approve: bool, note: str = "") -> JoinRequest:
    """A network lead approves (the provider moves into the network, or the person gets the
    role on it) or declines, with a note the requester sees."""
    if not may_manage(by, request.network):
        raise PermissionDenied("Only the network's leads can decide on requests to join it.")
    if request.status != RequestStatus.PENDING:
        raise ValidationError("This request has been decided already.")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "Say why the request is declined: the requester sees it."})
    with transaction.atomic():
        if approve and request.kind == JoinKind.ORGANISATION:
            provider_join_network(by=by, provider=request.organisation, network=request.network)
        elif approve:
            membership_grant(
                by=by, user=request.requested_by, role=request.role, organisation=request.network
            )
        request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
        request.decided_by = by
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save()
        audit.record_event(
            by=by,
            action="network.join_approve" if approve else "network.join_decline",
            target=request,
            organisation=request.network,
            summary=f"{'Approved' if approve else 'Declined'}: {request.who}",
            detail={"note": note},
        )
    return request


def provider_join_network(*, by, provider: Organisation, network: Organisation) -> Organisation:
    """Move a provider (with its sites and wards) under `network`: one network per provider, as
    the organisation tree has it. The old network's people stop seeing its figures.

    Belongs with `mhsip.organisations.services` (an `organisation_move`); it lives here until
    that exists, and is audited the same way."""
    if provider.kind != OrganisationKind.PROVIDER or network.kind != OrganisationKind.NETWORK:
        raise ValidationError("A provider joins a network.")
    previous = provider.parent
    with transaction.atomic():
        provider.parent = network
        provider.save(update_fields=["parent"])
        audit.record_event(
            by=by,
            action="organisation.move",
            target=provider,
            organisation=provider,
            summary=f"{provider} joined {network}",
            detail={"from": getattr(previous, "code", ""), "to": network.code},
        )
    return provider


# --- Case studies -------------------------------------------------------------------------------


def may_write(user, case_study_or_ward) -> bool:
    ward = getattr(case_study_or_ward, "ward", case_study_or_ward)
    return has_permission(user, Permission.CASE_STUDY_WRITE, ward=ward)


def co_designers(project) -> str:
    """Who shaped the change, from the project's team (patient and carer representatives
    first) and the co-design credits of the change ideas it tests."""
    lines = []
    order = {TeamRole.PATIENT_REPRESENTATIVE: 0, TeamRole.CARER_REPRESENTATIVE: 1}
    for member in sorted(project.members.all(), key=lambda m: (order.get(m.team_role, 2), m.pk)):
        lines.append(f"{member.name}, {member.get_team_role_display().lower()}")
    for change in project.changes.select_related("change_idea"):
        for credit in change.change_idea.credits.all():
            role = ContributorRole(credit.role).label.lower()
            lines.append(f"{credit.name} ({role}), who shaped “{change.change_idea}”")
    return "\n".join(dict.fromkeys(lines))


def _story(cycles: list[PdsaCycle]) -> str:
    parts = []
    for number, cycle in enumerate(cycles, start=1):
        words = [f"Cycle {number}: {cycle.plan_what.strip()}"]
        if cycle.result:
            words.append(cycle.result.strip())
        if cycle.decision:
            words.append(f"Decision: {cycle.get_decision_display()}.")
        parts.append(" ".join(w if w.endswith((".", "!", "?")) else w + "." for w in words))
    return "\n\n".join(parts)


def case_study_start(*, by, cycle: PdsaCycle) -> CaseStudy:
    """Start a case study of the finished ramp `cycle` belongs to, filled in from the ramp."""
    ward = cycle.project.ward
    if not may_write(by, ward):
        raise PermissionDenied("You cannot write case studies for this ward.")
    ramp = ramp_of(cycle)
    if not ramp_finished(ramp):
        raise ValidationError(
            "Only a finished ramp can become a case study: its last cycle must adopt or abandon "
            "the change."
        )
    first = ramp.cycles[0]
    if CaseStudy.objects.filter(first_cycle=first).exists():
        raise ValidationError("This ramp has a case study already.")
    project = cycle.project
    with transaction.atomic():
        case_study = CaseStudy.objects.create(
            ward=ward,
            change=ramp.change,
            first_cycle=first,
            title=f"{ramp.change.change_idea} on {ward.name}",
            problem=f"{project.aim_statement}\n\n{first.question.strip()}",
            what_happened=_story(ramp.cycles),
            co_designed_with=co_designers(project),
            do_differently=ramp.latest.learning.strip(),
            author=by,
        )
        audit.record_event(by=by, action="case_study.create", target=case_study, ward=ward)
    return case_study


EDITABLE = (CaseStudyStatus.DRAFT, CaseStudyStatus.RETURNED)


def case_study_update(*, by, case_study: CaseStudy, **fields: str) -> CaseStudy:
    if not may_write(by, case_study):
        raise PermissionDenied("You cannot change this case study.")
    if case_study.status not in EDITABLE:
        raise ValidationError("Only a draft or a returned case study can be changed.")
    unknown = set(fields) - set(CaseStudy.TEXT_FIELDS)
    if unknown:
        raise TypeError(f"not case study text fields: {sorted(unknown)}")
    values = {name: (value or "").strip() for name, value in fields.items()}
    missing = {
        name: "Enter " + CaseStudy.TEXT_FIELDS[name].lower()
        for name in ("title", "problem", "what_happened")
        if name in values and not values[name]
    }
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        for name, value in values.items():
            setattr(case_study, name, value)
        case_study.save()
        audit.record_event(
            by=by, action="case_study.update", target=case_study, ward=case_study.ward
        )
    return case_study


@dataclass(frozen=True)
class FieldFindings:
    field: str
    label: str
    findings: list[pii.Finding]
    pieces: list[tuple[str, pii.Finding | None]]


class IdentifyingText(ValidationError):
    """The text may identify a patient: nothing was submitted or published."""

    def __init__(self, problems: list[FieldFindings]):
        self.problems = problems
        words = "; ".join(f"{p.label}: “{f.text}”" for p in problems for f in p.findings)
        super().__init__(f"The case study may identify a patient ({words}).")


def known_identifiers(case_study: CaseStudy, text: str) -> list[str]:
    """The words of `text` that are a stored patient alias (any provider's) or, hashed as the
    provider hashes them, one of its patients' local identifiers."""
    found = []
    aliases = pii.alias_candidates(text)
    if aliases:
        found += list(
            Patient.objects.filter(alias__in=aliases).values_list("alias", flat=True).distinct()
        )
    provider = case_study.ward.provider
    hashes = {
        local_id_hash(provider.code, token): token for token in pii.identifier_candidates(text)
    }
    if hashes:
        stored = Patient.objects.filter(provider=provider, local_id_hash__in=list(hashes))
        found += [hashes[h] for h in stored.values_list("local_id_hash", flat=True)]
    return found


def identifying_text(case_study: CaseStudy) -> list[FieldFindings]:
    """Every text field's findings (fields with none are left out)."""
    problems = []
    for name, label in CaseStudy.TEXT_FIELDS.items():
        text = getattr(case_study, name) or ""
        findings = pii.find_identifying(text, known_identifiers=known_identifiers(case_study, text))
        if findings:
            problems.append(FieldFindings(name, label, findings, pii.highlight(text, findings)))
    return problems


def _refuse_identifying(case_study: CaseStudy) -> None:
    problems = identifying_text(case_study)
    if problems:
        raise IdentifyingText(problems)


def case_study_submit(*, by, case_study: CaseStudy) -> CaseStudy:
    """Send the case study to the provider for approval, once the text passes the check."""
    if not may_write(by, case_study):
        raise PermissionDenied("You cannot submit this case study.")
    if case_study.status not in EDITABLE:
        raise ValidationError("Only a draft or a returned case study can be submitted.")
    _refuse_identifying(case_study)
    with transaction.atomic():
        case_study.status = CaseStudyStatus.SUBMITTED
        case_study.submitted_at = timezone.now()
        case_study.save()
        audit.record_event(
            by=by, action="case_study.submit", target=case_study, ward=case_study.ward
        )
    return case_study


def may_approve(user, case_study: CaseStudy) -> bool:
    provider = case_study.ward.provider
    return has_permission(user, Permission.CASE_STUDY_APPROVE, organisation=provider)


def _check_approver(by, case_study: CaseStudy) -> None:
    if not may_approve(by, case_study):
        raise PermissionDenied("Only the ward's provider can approve its case studies.")
    if case_study.author_id == getattr(by, "pk", None):
        raise PermissionDenied("Someone other than the author must approve a case study.")
    if case_study.status != CaseStudyStatus.SUBMITTED:
        raise ValidationError("Only a submitted case study can be approved or returned.")


def case_study_approve(*, by, case_study: CaseStudy) -> CaseStudy:
    """The provider approves: the text is checked again, the chart and verdict are copied in
    (suppressed, as the network sees them) and the case study is published to the ward's
    network."""
    _check_approver(by, case_study)
    _refuse_identifying(case_study)
    network = case_study.ward.provider.parent
    with transaction.atomic():
        for name, value in take_snapshot(case_study.change).items():
            setattr(case_study, name, value)
        case_study.status = CaseStudyStatus.PUBLISHED
        case_study.approved_by = by
        case_study.published_at = timezone.now()
        case_study.network = network
        case_study.returned_note = ""
        case_study.save()
        audit.record_event(
            by=by,
            action="case_study.publish",
            target=case_study,
            ward=case_study.ward,
            detail={"network": getattr(network, "code", ""), "result": case_study.result},
        )
    return case_study


def case_study_return(*, by, case_study: CaseStudy, note: str) -> CaseStudy:
    _check_approver(by, case_study)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what the team should change."})
    with transaction.atomic():
        case_study.status = CaseStudyStatus.RETURNED
        case_study.returned_note = note
        case_study.save()
        audit.record_event(
            by=by,
            action="case_study.return",
            target=case_study,
            ward=case_study.ward,
            detail={"note": note},
        )
    return case_study
