"""What the network pages show: the network's home (its measures, progress to the aim,
improvement work, the funnel across providers and what changed recently) and "what worked
where".

Every figure is an aggregate. The network's own figures are always suppressed (its members
are mostly outside each provider); a provider's row is exact only for someone who sees that
provider's exact figures anyway (AGGREGATE_VIEW on it).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.dashboards.models import WardAim
from mhsip.dashboards.presenters import (
    MAIN_MEASURE,
    SUMMARY_CACHE_SECONDS,
    Summary,
    SummaryRow,
    Target,
    cached_summary,
    data_version,
)
from mhsip.dashboards.queries import Level, groups_for
from mhsip.improvement.models import (
    ChangeIdea,
    ChangeStatus,
    CycleStage,
    ImprovementProject,
    PdsaCycle,
    ProjectChange,
)
from mhsip.network.models import JoinRequest, RequestStatus
from mhsip.network.queries import member_providers, network_wards, published_in
from mhsip.network.snapshot import Evidence, evidence_for
from mhsip.organisations.models import Organisation, Ward
from mhsip.variation.presenters import FunnelPage, make_funnel_page

#: "What changed recently" looks back this far: about two of the collaborative's bimonthly
#: learning days (domain.md §3).
RECENT_DAYS = 90
RECENT_ITEMS = 12


def network_target(network: Organisation) -> Target | None:
    """The network as a dashboard target, suppressed; None while it has no wards."""
    groups = groups_for(Level.NETWORK, network.code)
    if not groups:
        return None
    return Target(Level.NETWORK, network.code, network.name, groups[0], False, None, network)


@dataclass
class ProviderRow:
    provider: Organisation
    exact: bool
    main: SummaryRow | None
    may_open: bool


@dataclass
class IdeaWork:
    idea: ChangeIdea
    cycles: int = 0
    wards: set[int] = field(default_factory=set)
    adopted: int = 0

    @property
    def ward_count(self) -> int:
        return len(self.wards)


@dataclass(frozen=True)
class RecentItem:
    when: date
    kind: str
    words: str
    url: str = ""


@dataclass
class NetworkHome:
    network: Organisation
    target: Target | None
    summary: Summary | None
    providers: list[ProviderRow]
    wards_total: int
    wards_engaged: list[Ward]
    cycles_run: int
    cycles_finished: int
    ideas: list[IdeaWork]
    adopted_total: int
    funnel: FunnelPage | None
    recent: list[RecentItem]


def _main_row(summary: Summary) -> SummaryRow | None:
    for rows in summary.rows_by_type.values():
        for row in rows:
            if row.measure.id == MAIN_MEASURE:
                return row
    return None


def wards_engaged(network: Organisation) -> list[Ward]:
    """Wards engaged in the programme: with an improvement project or an aim of their own."""
    wards = network_wards(network)
    with_work = ImprovementProject.objects.filter(ward__in=wards).values("ward")
    with_aim = WardAim.objects.filter(ward__in=wards).values("ward")
    return list(
        wards.filter(Q(id__in=with_work) | Q(id__in=with_aim)).order_by(
            "site__parent__name", "name"
        )
    )


def improvement_counts(network: Organisation) -> tuple[int, int, list[IdeaWork], int]:
    """(cycles run, cycles finished, work by change idea, changes adopted) across the network."""
    wards = network_wards(network).values("id")
    by_idea: dict[int, IdeaWork] = {}
    cycles = PdsaCycle.objects.filter(project__ward__in=wards).select_related(
        "project", "change__change_idea"
    )
    run = finished = 0
    for cycle in cycles:
        run += 1
        finished += cycle.stage == CycleStage.ACT
        work = by_idea.setdefault(cycle.change.change_idea_id, IdeaWork(cycle.change.change_idea))
        work.cycles += 1
        work.wards.add(cycle.project.ward_id)
    adopted = ProjectChange.objects.filter(
        project__ward__in=wards, status=ChangeStatus.ADOPTED
    ).select_related("change_idea", "project")
    for change in adopted:
        work = by_idea.setdefault(change.change_idea_id, IdeaWork(change.change_idea))
        work.adopted += 1
        work.wards.add(change.project.ward_id)
    ideas = sorted(by_idea.values(), key=lambda w: (-w.adopted, -w.cycles, w.idea.title))
    return run, finished, ideas, sum(w.adopted for w in ideas)


def _day(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def recent_changes(network: Organisation, today: date | None = None) -> list[RecentItem]:
    """Finished cycles, adopted changes, new members and published case studies, newest first."""
    from django.urls import reverse

    today = today or timezone.localdate()
    since = today - timedelta(days=RECENT_DAYS)
    wards = network_wards(network).values("id")
    items = [
        RecentItem(
            cycle.decided_on,
            "Cycle finished",
            f"{cycle.project.ward.name} finished a PDSA cycle testing “{cycle.change}” "
            f"({cycle.get_decision_display().split(':')[0].lower()})",
        )
        for cycle in PdsaCycle.objects.filter(
            project__ward__in=wards, stage=CycleStage.ACT, decided_on__gte=since
        ).select_related("project__ward", "change__change_idea")
    ]
    items += [
        RecentItem(
            change.adopted_on,
            "Change adopted",
            f"{change.project.ward.name} adopted “{change}”",
        )
        for change in ProjectChange.objects.filter(
            project__ward__in=wards, status=ChangeStatus.ADOPTED, adopted_on__gte=since
        ).select_related("project__ward", "change_idea")
    ]
    items += [
        RecentItem(
            _day(request.decided_at),
            "New member",
            f"{request.who} joined the network",
        )
        for request in JoinRequest.objects.filter(
            network=network, status=RequestStatus.APPROVED, decided_at__date__gte=since
        ).select_related("organisation", "requested_by")
    ]
    items += [
        RecentItem(
            _day(case_study.published_at),
            "Case study",
            f"{case_study.ward.name} published “{case_study.title}”",
            reverse("network:case-study", args=[case_study.pk]),
        )
        for case_study in published_in(network).filter(published_at__date__gte=since)
    ]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:RECENT_ITEMS]


def make_network_home(user, network: Organisation, query: Any = None) -> NetworkHome:
    target = network_target(network)
    summary = cached_summary(target) if target is not None else None
    providers = []
    for group in groups_for(Level.PROVIDER, network.code) if target is not None else []:
        provider = member_providers(network).get(code=group.code)
        exact = has_permission(user, Permission.AGGREGATE_VIEW, organisation=provider)
        may_open = exact or has_permission(
            user, Permission.SUPPRESSED_AGGREGATE_VIEW, organisation=provider
        )
        provider_target = Target(
            Level.PROVIDER, group.code, group.name, group, exact, None, provider
        )
        providers.append(
            ProviderRow(provider, exact, _main_row(cached_summary(provider_target)), may_open)
        )
    run, finished, ideas, adopted = improvement_counts(network)
    funnel = make_funnel_page(target, query or {}) if target is not None else None
    return NetworkHome(
        network=network,
        target=target,
        summary=summary,
        providers=providers,
        wards_total=network_wards(network).count(),
        wards_engaged=wards_engaged(network),
        cycles_run=run,
        cycles_finished=finished,
        ideas=ideas,
        adopted_total=adopted,
        funnel=funnel,
        recent=recent_changes(network),
    )


# --- What worked where --------------------------------------------------------------------------


@dataclass
class WardTrial:
    ward: Ward
    change: ProjectChange
    cycles: int
    evidence: Evidence


@dataclass
class IdeaTrials:
    idea: ChangeIdea
    trials: list[WardTrial]

    @property
    def worked_count(self) -> int:
        return sum(t.evidence.result == "worked" for t in self.trials)


def _cached_evidence(change: ProjectChange) -> Evidence:
    """`evidence_for`, kept until the data changes: each adopted change is a ward's worth of
    measures to compute."""
    ward = change.project.ward_id
    # Other changes on the ward add caveats to the verdict, so its improvement work is in the key.
    work = PdsaCycle.objects.filter(project__ward=ward).aggregate(
        last=Max("updated_at"), n=Count("id")
    )
    about = (
        f"{change.pk}:{change.status}:{change.adopted_on}:{work['last']}:{work['n']}:"
        f"{data_version((ward,))}"
    )
    key = "network-evidence:" + hashlib.sha256(about.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = evidence_for(change)
        # The judgement (chart and all) is not needed here, and is large.
        found = Evidence(
            found.result,
            found.headline,
            found.summary,
            found.measure_name,
            found.ratio,
            found.ratio_lower,
            found.ratio_upper,
        )
        cache.set(key, found, SUMMARY_CACHE_SECONDS)
    return found


def what_worked_where(network: Organisation) -> list[IdeaTrials]:
    """Each change idea tried on the network's wards (tested in a cycle, or adopted), against
    the wards that tried it and what each found, suppressed."""
    wards = network_wards(network).values("id")
    changes = (
        ProjectChange.objects.filter(project__ward__in=wards)
        .filter(Q(cycles__isnull=False) | Q(status=ChangeStatus.ADOPTED))
        .distinct()
        .select_related("change_idea", "project__ward__site__parent")
    )
    cycle_counts: dict[int, int] = defaultdict(int)
    for change_id in PdsaCycle.objects.filter(project__ward__in=wards).values_list(
        "change_id", flat=True
    ):
        cycle_counts[change_id] += 1
    by_idea: dict[int, IdeaTrials] = {}
    for change in changes:
        trials = by_idea.setdefault(change.change_idea_id, IdeaTrials(change.change_idea, []))
        trials.trials.append(
            WardTrial(
                change.project.ward, change, cycle_counts[change.pk], _cached_evidence(change)
            )
        )
    for trials in by_idea.values():
        trials.trials.sort(key=lambda t: (t.ward.provider.name, t.ward.name))
    return sorted(by_idea.values(), key=lambda t: (-t.worked_count, -len(t.trials), t.idea.title))
