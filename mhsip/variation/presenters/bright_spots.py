"""Bright spots: low outliers among wards of their type, and wards whose SPC chart shows a
sustained improvement, with the change ideas they adopted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.urls import NoReverseMatch, reverse

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.comparison import Flag, funnel
from mhsip.dashboards.presenters import (
    MAIN_MEASURE,
    Target,
    aim_settings,
    chart_for,
    dashboard_span,
    first_with_data,
    limits_plan,
)
from mhsip.dashboards.queries import Level, computed_measures, fetch_ward_rows
from mhsip.measures import Periods, load_catalogue
from mhsip.measures.aims import CURRENT_MONTHS
from mhsip.organisations.models import Ward
from mhsip.variation.presenters.common import (
    DEFAULT_MONTHS,
    dashboard_url,
    in_sentence,
    month_words,
    number,
    period_words,
    window,
)
from mhsip.variation.presenters.funnel import shown_totals
from mhsip.variation.presenters.recording import ward_quality
from mhsip.variation.queries import (
    unit_measure,
    ward_units,
    wards_of,
)


@dataclass
class AdoptedChange:
    title: str
    adopted_on: date | None
    url: str | None


@dataclass
class BrightSpot:
    ward: Ward
    low_outlier: bool
    peers: int  # wards in its funnel
    rate: float | None
    centre: float | None
    #: The month a sustained improvement on its SPC chart began (one still going on).
    improving_since: str | None
    recording_flags: list[str]
    #: None when the improvement app is not installed or the viewer may not see its work.
    changes: list[AdoptedChange] | None

    @property
    def url(self) -> str:
        return dashboard_url(Level.WARD, self.ward.code)

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.low_outlier and self.rate is not None and self.centre is not None:
            reasons.append(
                f"A low outlier among {self.peers} {in_sentence(self.ward.get_ward_type_display())} "
                f"wards: {self.rate:,.1f} restrictive interventions per 1,000 occupied bed days "
                f"against {self.centre:,.1f} for the group, below the lower 99.8% limit."
            )
        if self.improving_since:
            reasons.append(
                "A sustained special-cause improvement on its SPC chart: a shift below the "
                f"centre line since {self.improving_since}."
            )
        return reasons


@dataclass
class BrightSpotsPage:
    target: Target
    span: Periods
    spots: list[BrightSpot]
    improvement_installed: bool
    alone: list[str]  # wards with no other ward of their type here

    @property
    def period(self) -> str:
        return period_words(self.span)


def improvement_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("mhsip.improvement")


def adopted_changes(user, wards: list[Ward]) -> dict[int, list[AdoptedChange]] | None:
    """The change ideas each ward's improvement projects adopted, for wards whose improvement
    work the viewer takes part in. None when the improvement app is not installed."""
    if not improvement_installed():
        return None
    try:
        from mhsip.improvement.models import ChangeStatus, ProjectChange
    except ImportError:  # pragma: no cover - the app is installed but its models moved
        return None
    visible = [w for w in wards if has_permission(user, Permission.IMPROVEMENT_PARTICIPATE, ward=w)]
    found: dict[int, list[AdoptedChange]] = {w.pk: [] for w in visible}
    changes = (
        ProjectChange.objects.filter(project__ward__in=visible, status=ChangeStatus.ADOPTED)
        .select_related("change_idea", "project")
        .order_by("adopted_on", "pk")
    )
    for change in changes:
        found[change.project.ward_id].append(
            AdoptedChange(
                title=change.change_idea.title,
                adopted_on=change.adopted_on,
                url=_reverse_or_none("improvement:idea-detail", change.change_idea_id),
            )
        )
    return found


def _reverse_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _sustained_improvement(ward: Ward, values, row: int, span: Periods, exact: bool) -> str | None:
    """The month a shift of improvement on the ward's dashboard chart began, if the shift runs
    into the last few months (CURRENT_MONTHS, as the aim tracker's current rate): judged as the
    dashboard judges it, with limits fixed on the ward's baseline when it has one, from figures
    the viewer may see. An improvement that has since ended is not a bright spot now."""
    measure = values.measure
    settings = aim_settings(ward, span, first_with_data(values, row))
    plan = limits_plan(settings, span)
    chart = chart_for(
        measure, values, row, span, exact=exact, rebase=plan.rebase, fix_after=plan.fix_after
    )
    improving = np.array(
        [p["shift"] and p["point_type"] == "special_cause_improvement" for p in chart["points"]]
    )
    if plan.fix_after is not None:
        improving[: settings.baseline.stop] = False
    if not improving.any():
        return None
    last = int(np.flatnonzero(improving)[-1])
    if last < len(improving) - CURRENT_MONTHS:
        return None
    first = last
    while first > 0 and improving[first - 1]:
        first -= 1
    return month_words(span.starts[first])


def make_bright_spots(target: Target, user, today: date | None = None) -> BrightSpotsPage:
    """Wards that are low outliers among wards of their type here (the last 12 months), or whose
    SPC chart shows a sustained improvement (the dashboard's 36 months), with what they changed."""
    span = window(DEFAULT_MONTHS, today)
    history = dashboard_span(today)
    wards = wards_of(target.group)
    rows = fetch_ward_rows(target.group.ward_ids)
    measure = load_catalogue()[MAIN_MEASURE]
    units = ward_units(wards)

    recent = unit_measure(units, span, measure, rows=rows)
    events, bed_days = recent.numerator.sum(axis=1), recent.denominator.sum(axis=1)
    shown = shown_totals(events, bed_days, target.exact)
    low = np.zeros(len(wards), dtype=bool)
    peers = np.zeros(len(wards), dtype=int)
    rate = np.full(len(wards), np.nan)
    centre = np.full(len(wards), np.nan)
    alone = []
    for ward_type in dict.fromkeys(w.ward_type for w in wards):
        members = np.array(
            [w.ward_type == ward_type and bed_days[i] > 0 for i, w in enumerate(wards)]
        )
        if members.sum() < 2:
            alone += [w.name for i, w in enumerate(wards) if members[i]]
            continue
        try:
            result = funnel(shown[members], bed_days[members], multiplier=measure.multiplier)
        except ValueError:
            continue
        low[members] = np.asarray(result.flag) == Flag.LOW
        peers[members] = members.sum()
        rate[members] = result.rate
        centre[members] = result.centre

    (long_run,) = computed_measures(units, history, [measure], rows=rows)
    quality = {q.ward.pk: q for q in ward_quality(target, span, rows=rows)}
    candidates = []
    for i, ward in enumerate(wards):
        since = _sustained_improvement(ward, long_run, i, history, target.exact)
        if low[i] or since:
            candidates.append((i, ward, since))
    changes = adopted_changes(user, [ward for _, ward, _ in candidates])
    spots = [
        BrightSpot(
            ward=ward,
            low_outlier=bool(low[i]),
            peers=int(peers[i]),
            rate=number(rate[i]),
            centre=number(centre[i]),
            improving_since=since,
            recording_flags=quality[ward.pk].reasons,
            changes=None if changes is None else changes.get(ward.pk),
        )
        for i, ward, since in candidates
    ]
    return BrightSpotsPage(target, span, spots, changes is not None, alone)
