"""Reads of improvement work, scoped to what the person may see.

Improvement work is visible to everyone with IMPROVEMENT_PARTICIPATE on the ward (staff,
patient and carer representatives, QI and network leads). None of it is patient-level data;
pages that embed a chart take its figures from `mhsip.dashboards`, which suppresses small
numbers for people outside the provider.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mhsip.authorization.checks import has_permission, wards_where
from mhsip.authorization.permissions import Permission
from mhsip.improvement.models import (
    ChangeIdea,
    ChangeStatus,
    CodesignPost,
    CycleStage,
    Decision,
    Driver,
    ImprovementProject,
    PdsaCycle,
    PostStatus,
    ProjectChange,
    ProjectStatus,
)
from mhsip.measures import load_catalogue
from mhsip.measures.catalogue import MeasureType
from mhsip.organisations.models import Ward

#: A ward whose last cycle began longer ago than this has "no recent cycle": teams in the
#: collaborative met fortnightly or monthly (domain.md §3), so two months without a test is a
#: stall worth a coach's call.
RECENT_CYCLE_DAYS = 60
#: Annotation labels on a chart are kept short so that neighbouring ones stay readable.
LABEL_LENGTH = 32
#: Chart notes this close together share one label (each keeps its own rule and hover text).
CLUSTER_DAYS = 60


def participating_wards(user) -> QuerySet[Ward]:
    return (
        wards_where(user, Permission.IMPROVEMENT_PARTICIPATE)
        .select_related("site__parent")
        .order_by("site__parent__name", "name")
    )


def may(user, permission: Permission, ward: Ward) -> bool:
    return has_permission(user, permission, ward=ward)


def ward_for_improvement(user, code: str) -> Ward:
    """The ward, if the person takes part in its improvement work; 404 otherwise, so that the
    page does not confirm that a ward it will not show exists."""
    ward = participating_wards(user).filter(code=code).first()
    if ward is None:
        raise Http404("No such ward, or you do not take part in its improvement work")
    return ward


# --- Change ideas -------------------------------------------------------------------------------


def change_ideas_visible_to(user) -> QuerySet[ChangeIdea]:
    """The library, and the ideas of the wards the person takes part in."""
    wards = wards_where(user, Permission.IMPROVEMENT_PARTICIPATE).values("id")
    return ChangeIdea.objects.filter(Q(ward__isnull=True) | Q(ward__in=wards)).select_related(
        "ward"
    )


def change_ideas_for_ward(ward: Ward) -> QuerySet[ChangeIdea]:
    """What a project on `ward` can test: the library and the ward's own ideas."""
    return ChangeIdea.objects.filter(Q(ward__isnull=True) | Q(ward=ward)).order_by("theme", "title")


def change_idea_for(user, pk: int) -> ChangeIdea:
    idea = change_ideas_visible_to(user).filter(pk=pk).first()
    if idea is None:
        raise Http404("No such change idea")
    return idea


def projects_testing(user, idea: ChangeIdea) -> list[ProjectChange]:
    """Where the idea is being tested, on the wards the person can see."""
    wards = wards_where(user, Permission.IMPROVEMENT_PARTICIPATE).values("id")
    return list(
        idea.project_changes.filter(project__ward__in=wards)
        .select_related("project__ward")
        .annotate(cycle_count=Count("cycles"))
        .order_by("project__ward__name")
    )


# --- Co-design ----------------------------------------------------------------------------------


def posts_for_ward(user, ward: Ward) -> QuerySet[CodesignPost]:
    """Published posts for everyone taking part; moderators also see those waiting and those
    turned down."""
    posts = CodesignPost.objects.filter(ward=ward)
    if not may(user, Permission.CODESIGN_MODERATE, ward):
        posts = posts.filter(status=PostStatus.PUBLISHED)
    return posts.select_related("change_idea").annotate(
        support_count=Count("supports", distinct=True),
        comment_count=Count("comments", distinct=True),
    )


def post_for(user, pk: int) -> CodesignPost:
    post = CodesignPost.objects.select_related("ward__site__parent", "change_idea").filter(pk=pk)
    post = post.first()
    if post is None or not may(user, Permission.IMPROVEMENT_PARTICIPATE, post.ward):
        raise Http404("No such post")
    if post.status != PostStatus.PUBLISHED and not may(
        user, Permission.CODESIGN_MODERATE, post.ward
    ):
        raise Http404("No such post")
    return post


# --- Projects -----------------------------------------------------------------------------------


def projects_visible_to(user) -> QuerySet[ImprovementProject]:
    wards = wards_where(user, Permission.IMPROVEMENT_PARTICIPATE).values("id")
    return ImprovementProject.objects.filter(ward__in=wards).select_related("ward__site__parent")


def project_for(user, pk: int) -> ImprovementProject:
    project = projects_visible_to(user).filter(pk=pk).first()
    if project is None:
        raise Http404("No such project")
    return project


def cycle_for(user, pk: int) -> PdsaCycle:
    wards = wards_where(user, Permission.IMPROVEMENT_PARTICIPATE).values("id")
    cycle = (
        PdsaCycle.objects.filter(pk=pk, project__ward__in=wards)
        .select_related("project__ward__site__parent", "change__change_idea", "previous")
        .first()
    )
    if cycle is None:
        raise Http404("No such PDSA cycle")
    return cycle


def change_for(user, pk: int) -> ProjectChange:
    wards = wards_where(user, Permission.IMPROVEMENT_PARTICIPATE).values("id")
    change = (
        ProjectChange.objects.filter(pk=pk, project__ward__in=wards)
        .select_related("project__ward__site__parent", "change_idea", "driver")
        .first()
    )
    if change is None:
        raise Http404("No such change")
    return change


@dataclass(frozen=True)
class DriverTree:
    """The project's driver diagram as nested data: primary drivers, each with its secondary
    drivers, each with its change ideas; and change ideas not yet under a driver."""

    aim: str
    primaries: list[tuple[Driver, list[tuple[Driver, list[ProjectChange]]]]]
    unlinked: list[ProjectChange]


def driver_tree(project: ImprovementProject) -> DriverTree:
    drivers = list(project.drivers.all())
    changes = list(project.changes.select_related("change_idea", "driver"))
    under: dict[int | None, list[ProjectChange]] = defaultdict(list)
    for change in changes:
        under[change.driver_id].append(change)
    children: dict[int, list[Driver]] = defaultdict(list)
    for driver in drivers:
        if driver.parent_id is not None:
            children[driver.parent_id].append(driver)
    primaries = [
        (driver, [(secondary, under[secondary.pk]) for secondary in children[driver.pk]])
        for driver in drivers
        if driver.is_primary
    ]
    return DriverTree(project.aim_statement, primaries, under[None])


def planned_measures(project: ImprovementProject) -> dict[str, list]:
    """The measurement plan: {"outcome": [Measure, ...], "process": [...], "balancing": [...]}."""
    catalogue = load_catalogue()
    plan: dict[str, list] = {t.value: [] for t in MeasureType}
    for planned in project.planned_measures.all():
        measure = catalogue.get(planned.measure)
        if measure is not None:  # a measure since removed from the catalogue is not shown
            plan[planned.role].append(measure)
    return plan


@dataclass
class Ramp:
    """Cycles testing one change, each following the last."""

    change: ProjectChange
    cycles: list[PdsaCycle]

    @property
    def latest(self) -> PdsaCycle:
        return self.cycles[-1]

    @property
    def status(self) -> str:
        latest = self.latest
        if latest.stage == CycleStage.ACT:
            return {
                Decision.ADOPT: "Adopted",
                Decision.ADAPT: "Adapted: next cycle to plan",
                Decision.ABANDON: "Abandoned",
            }[Decision(latest.decision)]
        return f"Cycle {len(self.cycles)}: {CycleStage(latest.stage).label.lower()}"

    @property
    def in_progress(self) -> bool:
        return self.latest.stage != CycleStage.ACT


def ramps(cycles: list[PdsaCycle]) -> list[Ramp]:
    """Chains of cycles (each `previous` link followed forwards), oldest first."""
    following = {c.previous_id: c for c in cycles if c.previous_id is not None}
    found = []
    for first in (c for c in cycles if c.previous_id is None):
        chain = [first]
        while chain[-1].pk in following:
            chain.append(following[chain[-1].pk])
        found.append(Ramp(first.change, chain))
    found.sort(key=lambda ramp: (ramp.cycles[0].date, ramp.cycles[0].pk))
    return found


def project_ramps(project: ImprovementProject) -> list[Ramp]:
    return ramps(list(project.cycles.select_related("change__change_idea")))


def cycle_number(cycle: PdsaCycle) -> int:
    """The cycle's place in its ramp (1 for the first)."""
    number, node = 1, cycle
    while node.previous_id is not None:
        node = node.previous
        number += 1
    return number


# --- Chart annotations --------------------------------------------------------------------------


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def annotations_for(ward: Ward, measure_id: str, first: date, last: date) -> list[dict[str, str]]:
    """The chart notes of every PDSA cycle and adopted change whose project has `measure_id`
    in its measurement plan, for dates in [first, last]: {"date", "label", "detail"}.

    Every cycle and adoption gets its own rule at its date, with its words on hover. Notes
    closer together than CLUSTER_DAYS share one label (on the first of them): a team running
    two ramps at once can start several cycles in a month, and a month is a few pixels wide.
    """
    projects = ImprovementProject.objects.filter(
        ward=ward, planned_measures__measure=measure_id
    ).values("id")
    cycles = list(
        PdsaCycle.objects.filter(project__in=projects).select_related("change__change_idea")
    )
    numbers = {}
    for ramp in ramps(cycles):
        for index, cycle in enumerate(ramp.cycles, start=1):
            numbers[cycle.pk] = index
    events = [
        (cycle.date, f"PDSA {numbers[cycle.pk]}: {cycle.change}", str(cycle.change))
        for cycle in cycles
        if first <= cycle.date <= last
    ]
    events += [
        (change.adopted_on, f"Adopted: {change}", str(change))
        for change in ProjectChange.objects.filter(
            project__in=projects, status=ChangeStatus.ADOPTED, adopted_on__range=(first, last)
        ).select_related("change_idea")
    ]
    events.sort(key=lambda event: (event[0], not event[1].startswith("PDSA")))
    clusters: list[list[tuple[date, str, str]]] = []
    for event in events:
        if clusters and (event[0] - clusters[-1][0][0]).days <= CLUSTER_DAYS:
            clusters[-1].append(event)
        else:
            clusters.append([event])
    notes = []
    for cluster in clusters:
        titles = list(dict.fromkeys(title for _, _, title in cluster))
        label = cluster[0][1] if len(cluster) == 1 else f"{len(cluster)} notes: {', '.join(titles)}"
        for index, (day, words, _) in enumerate(cluster):
            notes.append(
                {
                    "date": day.isoformat(),
                    "label": _short(label) if index == 0 else "",
                    "detail": words,
                }
            )
    return notes


def other_changes_near(change: ProjectChange) -> dict[str, list[tuple[date, str]]]:
    """Other changes made on the change's ward (in any of its projects), by change idea: the
    start of each cycle testing it and its adoption, as (date, what happened)."""
    ward = change.project.ward
    found: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for other in (
        ProjectChange.objects.filter(
            project__ward=ward, status=ChangeStatus.ADOPTED, adopted_on__isnull=False
        )
        .exclude(pk=change.pk)
        .select_related("change_idea")
    ):
        found[str(other)].append((other.adopted_on, "adopted"))
    for cycle in (
        PdsaCycle.objects.filter(project__ward=ward)
        .exclude(change=change)
        .select_related("change__change_idea")
    ):
        found[str(cycle.change)].append((cycle.date, "tested in a PDSA cycle"))
    return dict(found)


# --- The coach's view ---------------------------------------------------------------------------


@dataclass
class WardSummary:
    ward: Ward
    projects: list[ImprovementProject] = field(default_factory=list)
    cycles_in_progress: int = 0
    last_cycle_on: date | None = None

    @property
    def active_projects(self) -> list[ImprovementProject]:
        return [p for p in self.projects if p.status == ProjectStatus.ACTIVE]


@dataclass
class IdeaCount:
    idea: ChangeIdea
    cycles: int
    wards: int
    adopted: int


@dataclass
class CoachOverview:
    wards: list[WardSummary]
    ideas: list[IdeaCount]
    quiet_wards: list[WardSummary]
    since: date

    @property
    def project_count(self) -> int:
        return sum(len(w.projects) for w in self.wards)

    @property
    def cycles_in_progress(self) -> int:
        return sum(w.cycles_in_progress for w in self.wards)


def coach_overview(user, today: date | None = None) -> CoachOverview:
    """Improvement work across every ward the person coaches: counts and names, no figures."""
    today = today or timezone.localdate()
    since = today - timedelta(days=RECENT_CYCLE_DAYS)
    wards = list(
        wards_where(user, Permission.IMPROVEMENT_COACH)
        .select_related("site__parent")
        .order_by("site__parent__name", "name")
    )
    summaries = {ward.pk: WardSummary(ward) for ward in wards}
    for project in ImprovementProject.objects.filter(ward__in=wards).order_by("title"):
        summaries[project.ward_id].projects.append(project)
    cycles = list(
        PdsaCycle.objects.filter(project__ward__in=wards).select_related(
            "project", "change__change_idea"
        )
    )
    per_idea: dict[int, list[PdsaCycle]] = defaultdict(list)
    for cycle in cycles:
        summary = summaries[cycle.project.ward_id]
        if cycle.stage != CycleStage.ACT:
            summary.cycles_in_progress += 1
        if summary.last_cycle_on is None or cycle.date > summary.last_cycle_on:
            summary.last_cycle_on = cycle.date
        per_idea[cycle.change.change_idea_id].append(cycle)
    adopted = Counter(
        ProjectChange.objects.filter(
            project__ward__in=wards, status=ChangeStatus.ADOPTED
        ).values_list("change_idea", flat=True)
    )
    ideas = {idea.pk: idea for idea in ChangeIdea.objects.filter(pk__in=per_idea)}
    counts = [
        IdeaCount(
            ideas[pk],
            cycles=len(found),
            wards=len({c.project.ward_id for c in found}),
            adopted=adopted[pk],
        )
        for pk, found in per_idea.items()
    ]
    counts.sort(key=lambda c: (-c.cycles, c.idea.title))
    quiet = [s for s in summaries.values() if s.last_cycle_on is None or s.last_cycle_on < since]
    return CoachOverview(list(summaries.values()), counts, quiet, since)


def people_on_ward(ward: Ward) -> list:
    """People who take part in the ward's improvement work (to choose team members from): a
    role on the ward, or on its site, provider or network."""
    from django.contrib.auth import get_user_model

    from mhsip.authorization.checks import roles_with
    from mhsip.organisations.models import Membership

    memberships = Membership.objects.filter(
        Q(ward=ward) | Q(organisation__in=ward.site.ancestors_and_self()),
        role__in=roles_with(Permission.IMPROVEMENT_PARTICIPATE),
    )
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__in=memberships)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
