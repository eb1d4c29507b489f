"""Reads of the network: who belongs to it, its requests, and its learning library.

A person is a member of a network if they hold any role on it (network lead, champion, patient
representative) or any role on one of its member providers (on the provider, a site or a ward).
Members see the network's figures suppressed, its published case studies and its members.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mhsip.authorization.checks import has_permission, organisations_where, wards_where
from mhsip.authorization.permissions import Permission
from mhsip.improvement.models import CycleStage, Decision, PdsaCycle
from mhsip.improvement.queries import Ramp, ramps
from mhsip.network.models import CaseStudy, CaseStudyStatus, JoinRequest, RequestStatus
from mhsip.organisations.models import Membership, Organisation, OrganisationKind, Ward

#: Roles on a provider that may ask for the provider to join a network (besides anyone with
#: ORGANISATION_MANAGE there): its responsible person and its QI leads.
PROVIDER_SPOKESPEOPLE = ("responsible_person", "qi_lead")


def _memberships_within(network: Organisation) -> Q:
    """Memberships on the network, or on anything under it."""
    return (
        Q(organisation=network)
        | Q(organisation__parent=network)
        | Q(organisation__parent__parent=network)
        | Q(ward__site__parent__parent=network)
    )


def is_member(user, network: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(_memberships_within(network), user=user).exists()


def networks_of(user) -> list[Organisation]:
    """The networks the person belongs to, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = Membership.objects.filter(user=user)
    return list(
        Organisation.objects.filter(kind=OrganisationKind.NETWORK)
        .filter(
            Q(id__in=mine.values("organisation"))
            | Q(children__id__in=mine.values("organisation"))
            | Q(children__children__id__in=mine.values("organisation"))
            | Q(children__children__wards__id__in=mine.values("ward"))
        )
        .distinct()
        .order_by("name")
    )


def network_by_code(code: str) -> Organisation:
    network = Organisation.objects.filter(code=code, kind=OrganisationKind.NETWORK).first()
    if network is None:
        raise Http404("No such network")
    return network


def network_for_member(user, code: str) -> Organisation:
    """The network, if the person belongs to it; 403 otherwise (a network's name is no secret:
    anyone may ask to join it)."""
    network = network_by_code(code)
    if not is_member(user, network):
        raise PermissionDenied("Only members of the network can see this page.")
    return network


def may_manage(user, network: Organisation) -> bool:
    return has_permission(user, Permission.NETWORK_MANAGE, organisation=network)


def member_providers(network: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(parent=network, kind=OrganisationKind.PROVIDER).order_by(
        "name"
    )


def network_wards(network: Organisation) -> QuerySet[Ward]:
    return Ward.objects.filter(site__parent__parent=network).select_related("site__parent")


def network_memberships(network: Organisation) -> QuerySet[Membership]:
    """People with a role on the network itself."""
    return (
        Membership.objects.filter(organisation=network)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name")
    )


# --- Joining ------------------------------------------------------------------------------------


def providers_user_may_put_forward(user) -> QuerySet[Organisation]:
    """Providers the person may ask to join a network: with ORGANISATION_MANAGE on them, or as
    their responsible person or QI lead."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    providers = Organisation.objects.filter(kind=OrganisationKind.PROVIDER)
    managed = organisations_where(user, Permission.ORGANISATION_MANAGE).values("id")
    spoken = Membership.objects.filter(user=user, role__in=PROVIDER_SPOKESPEOPLE).values(
        "organisation"
    )
    return providers.filter(Q(pk__in=managed) | Q(pk__in=spoken)).order_by("name")


def pending_requests(network: Organisation) -> QuerySet[JoinRequest]:
    return network.join_requests.filter(status=RequestStatus.PENDING).select_related(
        "organisation__parent", "requested_by"
    )


def decided_requests(network: Organisation, limit: int = 20) -> list[JoinRequest]:
    return list(
        network.join_requests.exclude(status=RequestStatus.PENDING)
        .select_related("organisation", "requested_by", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def requests_by(user) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(requested_by=user).select_related("network", "organisation")


# --- Ramps and case studies ---------------------------------------------------------------------


def ramp_finished(ramp: Ramp) -> bool:
    """A ramp is finished when its last cycle's Act decided to adopt or to abandon the change
    (to adapt means another cycle is to come)."""
    latest = ramp.latest
    return latest.stage == CycleStage.ACT and latest.decision in {Decision.ADOPT, Decision.ABANDON}


def ramp_of(cycle: PdsaCycle) -> Ramp:
    """The whole ramp a cycle belongs to."""
    project_cycles = list(cycle.project.cycles.select_related("change__change_idea"))
    for ramp in ramps(project_cycles):
        if any(c.pk == cycle.pk for c in ramp.cycles):
            return ramp
    raise LookupError(f"cycle {cycle.pk} is in no ramp")  # pragma: no cover - ramps() covers all


def finished_ramps_to_write(user) -> list[Ramp]:
    """Finished ramps on wards where the person may write case studies, not yet written up."""
    wards = wards_where(user, Permission.CASE_STUDY_WRITE).values("id")
    cycles = list(
        PdsaCycle.objects.filter(project__ward__in=wards).select_related(
            "project__ward", "change__change_idea"
        )
    )
    told = set(CaseStudy.objects.values_list("first_cycle_id", flat=True))
    return [ramp for ramp in ramps(cycles) if ramp_finished(ramp) and ramp.cycles[0].pk not in told]


def _case_studies() -> QuerySet[CaseStudy]:
    return CaseStudy.objects.select_related(
        "ward__site__parent__parent", "change__change_idea", "change__project", "author", "network"
    )


def may_see_unpublished(user, case_study: CaseStudy) -> bool:
    ward = case_study.ward
    return has_permission(user, Permission.CASE_STUDY_WRITE, ward=ward) or has_permission(
        user, Permission.CASE_STUDY_APPROVE, ward=ward
    )


def case_study_for(user, pk: int) -> CaseStudy:
    """A published case study for members of its network; an unpublished one for its ward's
    writers and its provider's approvers. 404 for anyone else."""
    case_study = _case_studies().filter(pk=pk).first()
    if case_study is None:
        raise Http404("No such case study")
    published = case_study.status == CaseStudyStatus.PUBLISHED and case_study.network is not None
    if published and is_member(user, case_study.network):
        return case_study
    if may_see_unpublished(user, case_study):
        return case_study
    raise Http404("No such case study")


def case_studies_in_progress(user) -> list[CaseStudy]:
    """Drafts, returned and submitted case studies of wards the person writes for."""
    wards = wards_where(user, Permission.CASE_STUDY_WRITE).values("id")
    return list(
        _case_studies()
        .filter(ward__in=wards)
        .exclude(status=CaseStudyStatus.PUBLISHED)
        .order_by("-updated_at")
    )


def case_studies_to_approve(user) -> list[CaseStudy]:
    wards = wards_where(user, Permission.CASE_STUDY_APPROVE).values("id")
    return list(
        _case_studies()
        .filter(ward__in=wards, status=CaseStudyStatus.SUBMITTED)
        .order_by("submitted_at")
    )


def published_in(network: Organisation) -> QuerySet[CaseStudy]:
    return _case_studies().filter(network=network, status=CaseStudyStatus.PUBLISHED)


def search_library(
    network: Organisation,
    *,
    text: str = "",
    change_idea: int | None = None,
    ward_type: str = "",
    result: str = "",
) -> QuerySet[CaseStudy]:
    """Published case studies of the network, filtered. The text search is a plain
    case-insensitive containment over the title, the story and the change idea's title (the
    same on SQLite and PostgreSQL)."""
    found = published_in(network)
    for word in text.split():
        found = found.filter(
            Q(title__icontains=word)
            | Q(problem__icontains=word)
            | Q(what_happened__icontains=word)
            | Q(co_designed_with__icontains=word)
            | Q(do_differently__icontains=word)
            | Q(change__change_idea__title__icontains=word)
        )
    if change_idea:
        found = found.filter(change__change_idea_id=change_idea)
    if ward_type:
        found = found.filter(ward__ward_type=ward_type)
    if result:
        found = found.filter(result=result)
    return found.order_by("-published_at", "-id")
