""" "Did it work?" for a change a ward adopted: its measures split at the date of adoption, SPC
re-run on each side, and `mhsip.measures.effect.judge_change`'s verdict.

    judgement = did_it_work(change)                     # the plan's first outcome measure
    judgement = did_it_work(change, "seclusion", exact=False)
    judgement.effect.verdict, judgement.effect.summary, judgement.chart

`did_it_work` needs no user and no request, so the network's learning library can call it for
any adopted change; pages pass `exact=False` for people who may only see suppressed figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from mhsip.dashboards.presenters import chart_for, dashboard_span, first_with_data
from mhsip.dashboards.queries import Level, computed_measures, groups_for
from mhsip.equity.suppression import NHS_DIGITAL, suppress_rate
from mhsip.improvement.models import ChangeStatus, ProjectChange
from mhsip.improvement.queries import other_changes_near
from mhsip.measures import Measure, MeasureType, Periods, load_catalogue
from mhsip.measures.effect import ChangeEffect, Verdict, judge_change
from mhsip.spc.constants import MIN_FIX_AFTER

#: What each verdict says first, in a heading.
HEADLINES = {
    Verdict.WORKED: "Yes, it looks like it worked",
    Verdict.WORSENED: "It looks worse, not better",
    Verdict.NOT_CLEAR: "Not clear yet",
    Verdict.TOO_EARLY: "Too early to tell",
}


class NotAdopted(ValueError):
    """Only an adopted change has a date to split its measures at."""


def judgeable(measure: Measure) -> bool:
    """Counts and rates can be judged; a mean, median or maximum is not a count of events."""
    return not measure.is_statistic


def measures_to_judge(change: ProjectChange) -> list[Measure]:
    """The project's planned measures that can be judged, outcome measures first."""
    catalogue = load_catalogue()
    order = {MeasureType.OUTCOME: 0, MeasureType.PROCESS: 1, MeasureType.BALANCING: 2}
    planned = sorted(
        change.project.planned_measures.all(), key=lambda p: (order[MeasureType(p.role)], p.pk)
    )
    measures = [catalogue[p.measure] for p in planned if p.measure in catalogue]
    return [m for m in measures if judgeable(m)]


def first_period_after(span: Periods, day: date) -> int:
    """The index of the first month wholly after `day`. A change made during a month leaves that
    month partly before it, so "after" starts with the next month; a change made on the 1st
    starts its own month."""
    labels = span.labels
    wanted = day.strftime("%Y-%m")
    index = next((i for i, label in enumerate(labels) if label >= wanted), len(labels))
    if index < len(labels) and labels[index] == wanted and day.day != 1:
        index += 1
    return index


@dataclass
class ChangeJudgement:
    change: ProjectChange
    measure: Measure
    span: Periods
    change_index: int
    effect: ChangeEffect
    chart: dict[str, Any]
    annotations: list[dict[str, str]]
    exact: bool
    #: Rates before and after as the viewer may see them (None: suppressed or no data).
    shown_before: float | None = None
    shown_after: float | None = None
    suppressed: bool = False
    other_measures: list[Measure] = field(default_factory=list)
    #: How the chart's limits were set, in words (the same way the verdict judges the shift).
    limits_note: str = ""

    @property
    def headline(self) -> str:
        return HEADLINES[self.effect.verdict]

    @property
    def summary(self) -> str:
        """The verdict in plain English; without the figures when they are suppressed."""
        if not self.suppressed:
            return self.effect.summary
        return (
            f"{self.headline}. The rates before and after are not shown: there were fewer than "
            f"{NHS_DIGITAL.smallest_count} events on one side of the change, too few to show "
            "outside the provider."
        )


def did_it_work(
    change: ProjectChange,
    measure_id: str | None = None,
    *,
    exact: bool = True,
    span: Periods | None = None,
) -> ChangeJudgement:
    """Judge an adopted change on one of its project's planned measures (by default the first
    outcome measure that can be judged, or else the catalogue's main measure)."""
    if change.status != ChangeStatus.ADOPTED or change.adopted_on is None:
        raise NotAdopted(f"“{change}” has not been adopted")
    catalogue = load_catalogue()
    candidates = measures_to_judge(change)
    if measure_id is None:
        measure = candidates[0] if candidates else catalogue["restrictive_interventions"]
    else:
        measure = catalogue.get(measure_id)
        if measure is None or not judgeable(measure):
            raise KeyError(f"{measure_id!r} is not a measure that can be judged")
    span = span or dashboard_span()
    ward = change.project.ward
    (group,) = groups_for(Level.WARD, ward.code)
    (values,) = computed_measures([group], span, [measure])
    index = first_period_after(span, change.adopted_on)

    events = values.numerator[0]
    exposure = values.denominator[0] if measure.is_rate and values.denominator is not None else None
    labels = span.labels
    others = _nearest_other_changes(change, span, index)
    effect = judge_change(
        events,
        exposure,
        change_index=index,
        improvement=measure.improvement,
        multiplier=measure.multiplier if exposure is not None else 1.0,
        labels=labels,
        other_changes=others,
        measure_name="the rate" if exposure is not None else "the monthly count",
    )
    # Draw the chart the way the verdict judges it: limits fixed on the months before the change
    # and extended after it, once there are enough of them (as judge_change does).
    first = first_with_data(values)
    months_before = index - first
    if months_before >= MIN_FIX_AFTER and index < len(span):
        rebase, fix_after = ([first] if first > 0 else []), months_before
        limits_note = (
            "Limits come from the months before the change and are extended after it: the "
            "months after are judged against what was usual before. A dotted line marks when "
            "it was adopted."
        )
    else:
        rebase, fix_after = ([index] if 0 < index < len(span) else []), None
        limits_note = (
            f"Fewer than {MIN_FIX_AFTER} months before the change, so the limits are worked out "
            "separately before and after it. A dotted line marks when it was adopted."
        )
    chart = chart_for(measure, values, 0, span, exact=exact, rebase=rebase, fix_after=fix_after)
    notes = [{"date": change.adopted_on.isoformat(), "label": f"Adopted: {change}"}]

    judgement = ChangeJudgement(
        change=change,
        measure=measure,
        span=span,
        change_index=index,
        effect=effect,
        chart=chart,
        annotations=notes,
        exact=exact,
        shown_before=effect.rate_before,
        shown_after=effect.rate_after,
        other_measures=[m for m in candidates if m.id != measure.id],
        limits_note=limits_note,
    )
    if not exact:
        _suppress(judgement, events, exposure, index)
    return judgement


def _nearest_other_changes(
    change: ProjectChange, span: Periods, index: int
) -> list[tuple[int, str]]:
    """Each other change idea once, at whichever of its dates (cycles, adoption) came closest
    to this change, so that a caveat names it once."""
    nearest = []
    for title, events in other_changes_near(change).items():
        placed = [
            (first_period_after(span, day), what)
            for day, what in events
            if span.starts[0].item() <= day
        ]
        if placed:
            at, what = min(placed, key=lambda p: abs(p[0] - index))
            nearest.append((at, f"“{title}” ({what})"))
    return sorted(nearest)


def _suppress(judgement: ChangeJudgement, events, exposure, index: int) -> None:
    """Outside the provider, a rate is shown only if its count and bed days are not small
    (NHS Digital's rule, `mhsip.equity.suppression`)."""
    usable = ~np.isnan(events)
    shown = []
    for side, rate in ((slice(0, index), judgement.effect.rate_before),
                       (slice(index, None), judgement.effect.rate_after)):  # fmt: skip
        count = np.nansum(events[side][usable[side]])
        days = None if exposure is None else np.nansum(exposure[side][usable[side]])
        value = np.nan if rate is None else rate
        shown.append(
            float(
                suppress_rate(
                    np.array([value]),
                    np.array([count]),
                    None if days is None else np.array([days]),
                )[0]
            )
        )
    before, after = (None if np.isnan(v) else v for v in shown)
    judgement.shown_before, judgement.shown_after = before, after
    judgement.suppressed = before is None or after is None
