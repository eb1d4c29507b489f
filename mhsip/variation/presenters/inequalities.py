"""Inequalities by patient characteristic: rates, rate and risk ratios with intervals, for all
interventions and for prone restraint, seclusion and rapid tranquillisation, and over time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from mhsip.charts.equality import build_group_rates_chart_spec, build_ratio_trend_chart_spec
from mhsip.dashboards.presenters import (
    MAIN_MEASURE,
    Target,
    dashboard_span,
)
from mhsip.equity import ReferenceGroupError, format_ratio, group_table, poisson_rate_interval
from mhsip.equity.gap import gap_change, gap_reading
from mhsip.equity.rates import rate_ratio, risk_ratio
from mhsip.equity.suppression import NHS_DIGITAL, suppress_count
from mhsip.measures import Measure, Periods, load_catalogue
from mhsip.variation.characteristics import CHARACTERISTICS, UNKNOWN_GROUPS, Characteristic
from mhsip.variation.presenters.common import (
    DEFAULT_MONTHS,
    choice,
    number,
    period_words,
    window,
)
from mhsip.variation.queries import (
    GroupCounts,
    PeopleRows,
    fetch_people_rows,
    group_counts,
    intervention_types,
)

#: The kinds of intervention inequalities are shown for: the catalogue's measures of them.
KINDS = ("restrictive_interventions", "prone_restraint", "seclusion", "rapid_tranquillisation")


@dataclass(frozen=True)
class InequalityOptions:
    characteristic: str
    reference: str
    months: int
    by: str  # "quarter" or "year"
    kind: str  # the kind of intervention the charts show


BY_CHOICES = (("quarter", "Quarter"), ("year", "Year"))
INEQUALITY_MONTH_CHOICES = (12, 24, 36)


def kind_name(measure: Measure) -> str:
    return measure.name.replace(" per 1,000 occupied bed days", "")


@dataclass
class EqualityRow:
    group: str
    status: str  # "shown", "suppressed" (too few people to describe) or "none" (no patients)
    people: float | None
    restrained: float | None
    percent: float | None
    interventions: float | None
    bed_days: float | None
    rate: float | None
    rate_lower: float | None
    rate_upper: float | None
    rate_ratio: float | None = None
    ratio_lower: float | None = None
    ratio_upper: float | None = None
    risk_ratio: float | None = None
    risk_lower: float | None = None
    risk_upper: float | None = None
    reading: str = ""
    risk_reading: str = ""
    is_reference: bool = False


@dataclass
class EqualityTable:
    kind: str
    name: str
    rows: list[EqualityRow]
    reference: str | None
    note: str | None = None

    @property
    def compared(self) -> list[EqualityRow]:
        """Rows with a ratio and its interval, "Not known" and "Not stated" left out: their
        differences say something about recording, not about a group of people."""
        return [
            row
            for row in self.rows
            if row.ratio_lower is not None
            and not row.is_reference
            and row.group not in UNKNOWN_GROUPS
        ]

    @property
    def readings(self) -> list[str]:
        return [f"{row.group}: {row.reading}" for row in self.compared]

    def differences(self) -> tuple[list[EqualityRow], list[EqualityRow]]:
        """Groups whose rate is higher, and lower, than the reference's beyond chance."""
        higher = [r for r in self.compared if r.ratio_lower > 1]
        lower = [r for r in self.compared if r.ratio_upper is not None and r.ratio_upper < 1]
        return higher, lower


def risk_words(ratio: float, lower: float, upper: float, *, reference: str) -> str:
    """The risk ratio read as the rate ratio is (mhsip.equity.wording's one rule)."""
    interval = f"(95% CI {format_ratio(lower)} to {format_ratio(upper)})"
    if lower > 1:
        verdict = "a real difference, higher than chance alone would explain."
    elif upper < 1:
        verdict = "a real difference, lower than chance alone would explain."
    else:
        verdict = "the interval includes no difference, so this could be chance."
    return (
        f"{format_ratio(ratio)} times the share of {reference}'s patients restrained "
        f"{interval}: {verdict}"
    )


@dataclass(frozen=True)
class ShownCounts:
    """A characteristic's counts as the viewer may see them (NaN where withheld)."""

    people: np.ndarray
    restrained: np.ndarray
    events: np.ndarray
    bed_days: np.ndarray
    #: Events usable for a rate: NaN where the count is hidden or the bed days are under 100.
    rate_events: np.ndarray
    status: list[str]


def shown_counts(counts: GroupCounts, kind: str, exact: bool) -> ShownCounts:
    people = counts.people_in_hospital
    restrained = counts.people_restrained[kind]
    events = counts.interventions[kind]
    bed_days = counts.bed_days
    if exact:
        status = [
            "shown" if p > 0 or b > 0 else "none" for p, b in zip(people, bed_days, strict=True)
        ]
        rate_events = np.where(bed_days > 0, events, np.nan)
        return ShownCounts(people, restrained, events, bed_days, rate_events, status)
    shown_people = suppress_count(people)
    too_few = np.isnan(shown_people)
    # Rounding to 5 can take the people restrained above the people they are a share of.
    shown_restrained = np.where(too_few, np.nan, np.fmin(suppress_count(restrained), shown_people))
    shown_events = np.where(too_few, np.nan, suppress_count(events))
    shown_beds = np.where(too_few, np.nan, bed_days)
    rate_events = np.where(
        too_few | ~(bed_days >= NHS_DIGITAL.smallest_bed_days), np.nan, shown_events
    )
    status = ["suppressed" if hidden else "shown" for hidden in too_few]
    return ShownCounts(
        shown_people, shown_restrained, shown_events, shown_beds, rate_events, status
    )


def usable_references(counts: GroupCounts, exact: bool, kind: str = MAIN_MEASURE) -> list[str]:
    """Groups that can be the reference: known (not "Not known" or "Not stated") with a rate to
    compare against (events shown, and at least 5 outside the provider), largest first."""
    shown = shown_counts(counts, kind, exact)
    smallest = 1 if exact else NHS_DIGITAL.smallest_count
    order = np.argsort(-np.nan_to_num(counts.bed_days), kind="stable")
    return [
        counts.groups[i]
        for i in order
        if counts.groups[i] not in UNKNOWN_GROUPS
        and np.isfinite(shown.rate_events[i])
        and shown.rate_events[i] >= smallest
    ]


def equality_table(
    counts: GroupCounts,
    kind: str,
    reference: str | None,
    exact: bool,
    *,
    multiplier: float = 1000,
) -> EqualityTable:
    """One characteristic's table for one kind of intervention: people, interventions, bed days,
    the rate with its exact interval, % restrained, and the rate and risk ratios against
    `reference` with 95% intervals and readings (mhsip.equity.group_table)."""
    measure = load_catalogue()[kind]
    shown = shown_counts(counts, kind, exact)
    rate_lower, rate_upper = poisson_rate_interval(
        shown.rate_events, shown.bed_days, multiplier=multiplier
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = np.where(shown.people > 0, shown.restrained / shown.people * 100, np.nan)
        rate = shown.rate_events / shown.bed_days * multiplier
    rows = []
    for i, group in enumerate(counts.groups):
        if shown.status[i] == "none" and exact:
            continue  # no patients of this group here: nothing to show
        rows.append(
            EqualityRow(
                group=group,
                status=shown.status[i],
                people=number(shown.people[i]),
                restrained=number(shown.restrained[i]),
                percent=number(percent[i]),
                interventions=number(shown.events[i]),
                bed_days=number(shown.bed_days[i]),
                rate=number(rate[i]),
                rate_lower=number(rate_lower[i]),
                rate_upper=number(rate_upper[i]),
                is_reference=group == reference,
            )
        )
    table = EqualityTable(kind, kind_name(measure), rows, reference)
    if reference is None:
        table.note = "No group has enough interventions to compare the others against."
        return table
    _add_ratios(table, counts, shown, reference, exact, multiplier)
    return table


def _add_ratios(
    table: EqualityTable,
    counts: GroupCounts,
    shown: ShownCounts,
    reference: str,
    exact: bool,
    multiplier: float,
) -> None:
    known = [
        i
        for i, group in enumerate(counts.groups)
        if shown.status[i] == "shown" and shown.bed_days[i] > 0
    ]
    names = [counts.groups[i] for i in known]
    if reference not in names:
        table.note = f"No ratios: {reference} has no figures for {table.name.lower()} here."
        return
    try:
        result = group_table(
            names,
            [number(shown.rate_events[i]) for i in known],
            [float(shown.bed_days[i]) for i in known],
            reference=reference,
            multiplier=multiplier,
            rule=None if exact else NHS_DIGITAL,
        )
    except ReferenceGroupError:
        few = "no" if exact else "fewer than 5 (or suppressed)"
        table.note = (
            f"No ratios for {table.name.lower()}: {reference} had {few} such interventions here, "
            "so there is no rate to compare against."
        )
        return
    ratios = {row.group: row for row in result.rows}
    ref = counts.groups.index(reference)
    risk = risk_ratio(shown.restrained, shown.people, shown.restrained[ref], shown.people[ref])
    for row in table.rows:
        found = ratios.get(row.group)
        if found is None or found.suppressed:
            row.reading = "Suppressed: too few to compare." if not exact else ""
            continue
        row.rate_ratio, row.ratio_lower, row.ratio_upper = (
            found.rate_ratio,
            found.ratio_lower,
            found.ratio_upper,
        )
        row.reading = found.reading
        i = counts.groups.index(row.group)
        if row.is_reference:
            row.risk_ratio = 1.0
            continue
        if np.isfinite(risk.ratio[i]):
            row.risk_ratio = float(risk.ratio[i])
            row.risk_lower, row.risk_upper = float(risk.lower[i]), float(risk.upper[i])
            row.risk_reading = risk_words(
                row.risk_ratio, row.risk_lower, row.risk_upper, reference=reference
            )


@dataclass
class TrendCell:
    period: str
    ratio: float | None
    lower: float | None
    upper: float | None


@dataclass
class OverviewRow:
    characteristic: Characteristic
    reference: str | None
    higher: list[EqualityRow]
    lower: list[EqualityRow]


@dataclass
class InequalitiesPage:
    target: Target
    options: InequalityOptions
    choices: dict[str, list[tuple[str, str]]]
    characteristic: Characteristic
    span: Periods
    tables: list[EqualityTable]
    rates_spec: dict[str, Any] | None
    trend_spec: dict[str, Any] | None
    trend_periods: list[str]
    trend_rows: list[tuple[str, list[TrendCell]]]
    gap_readings: list[str]
    overview: list[OverviewRow]

    @property
    def period(self) -> str:
        return period_words(self.span)

    @property
    def main(self) -> EqualityTable:
        return self.tables[0]

    @property
    def trend_by_period(self) -> list[tuple[str, list[TrendCell]]]:
        """The trend table's rows: each period with one cell per group (as `trend_rows`)."""
        return [
            (label, [cells[index] for _, cells in self.trend_rows])
            for index, label in enumerate(self.trend_periods)
        ]

    @property
    def chart_kind_name(self) -> str:
        return next(t.name for t in self.tables if t.kind == self.options.kind)


def _kinds() -> dict[str, tuple[int, ...] | None]:
    catalogue = load_catalogue()
    return {kind: intervention_types(catalogue[kind]) for kind in KINDS}


def trend_periods(by: str, today: date | None = None) -> list[tuple[str, date, date]]:
    """(label, first day, day after) of each quarter (3 months) or year (12 months) of the
    dashboard's span, ending with the last complete month, so every period is whole."""
    starts = dashboard_span(today).starts
    step = 3 if by == "quarter" else 12
    periods = []
    for block in range(0, len(starts), step):
        first = starts[block].item()
        last = starts[block + step - 1].item()
        stop = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        if first.year == last.year:
            label = f"{first:%b}–{last:%b %Y}"
        else:
            label = f"{first:%b %Y}–{last:%b %Y}"
        periods.append((label, first, stop))
    return periods


def inequality_options(
    query: Mapping[str, Any], references: list[str], characteristic: str
) -> InequalityOptions:
    months = choice(
        query, "months", [str(m) for m in INEQUALITY_MONTH_CHOICES], str(DEFAULT_MONTHS)
    )
    return InequalityOptions(
        characteristic=characteristic,
        reference=choice(query, "reference", references, references[0] if references else ""),
        months=int(months),
        by=choice(query, "by", [v for v, _ in BY_CHOICES], "quarter"),
        kind=choice(query, "kind", list(KINDS), MAIN_MEASURE),
    )


def make_inequalities_page(
    target: Target, query: Mapping[str, Any], today: date | None = None
) -> InequalitiesPage:
    rows = fetch_people_rows(target.group.ward_ids)
    kinds = _kinds()
    catalogue = load_catalogue()
    key = choice(query, "characteristic", list(CHARACTERISTICS), "ethnic_group")
    characteristic = CHARACTERISTICS[key]
    months = int(
        choice(query, "months", [str(m) for m in INEQUALITY_MONTH_CHOICES], str(DEFAULT_MONTHS))
    )
    span = window(months, today)
    first, stop = span.starts[0].item(), span.stops[-1].item()
    counts = group_counts(rows, characteristic, first, stop, kinds)
    references = usable_references(counts, target.exact)
    options = inequality_options(query, references, key)
    reference = options.reference or None
    tables = [equality_table(counts, kind, reference, target.exact) for kind in KINDS]

    chart_table = next(t for t in tables if t.kind == options.kind)
    rates_spec = build_group_rates_chart_spec(
        [
            {
                "group": r.group,
                "rate": r.rate,
                "rate_lower": r.rate_lower,
                "rate_upper": r.rate_upper,
                "events": r.interventions,
                "denominator": r.bed_days,
                "note": "suppressed" if target.suppressed else "no bed days",
            }
            for r in chart_table.rows
        ],
        reference=reference,
        x_title=f"{chart_table.name} per 1,000 occupied bed days (95% CI)",
    )

    periods = trend_periods(options.by, today)
    trend_rows, trend_spec, gap_readings = [], None, []
    if reference is not None:
        trend_rows, points = _trend(
            rows, characteristic, periods, options, reference, kinds, target.exact
        )
        trend_spec = build_ratio_trend_chart_spec(
            points,
            reference=reference,
            periods=[label for label, _, _ in periods],
        )
        gap_readings = _gap_readings(
            rows, characteristic, periods, options, reference, kinds, target.exact
        )

    overview = []
    for other in CHARACTERISTICS.values():
        other_counts = (
            counts
            if other.key == key
            else group_counts(rows, other, first, stop, {MAIN_MEASURE: kinds[MAIN_MEASURE]})
        )
        other_references = usable_references(other_counts, target.exact)
        other_reference = (
            reference if other.key == key else (other_references[0] if other_references else None)
        )
        main = (
            tables[0]
            if other.key == key
            else equality_table(other_counts, MAIN_MEASURE, other_reference, target.exact)
        )
        higher, lower = main.differences()
        overview.append(OverviewRow(other, other_reference, higher, lower))

    choices = {
        "characteristic": [(c.key, c.name) for c in CHARACTERISTICS.values()],
        "reference": [(group, group) for group in references],
        "months": [(str(m), f"The last {m} months") for m in INEQUALITY_MONTH_CHOICES],
        "by": list(BY_CHOICES),
        "kind": [(kind, kind_name(catalogue[kind])) for kind in KINDS],
    }
    return InequalitiesPage(
        target=target,
        options=options,
        choices=choices,
        characteristic=characteristic,
        span=span,
        tables=tables,
        rates_spec=rates_spec,
        trend_spec=trend_spec,
        trend_periods=[label for label, _, _ in periods],
        trend_rows=trend_rows,
        gap_readings=gap_readings,
        overview=overview,
    )


def _period_ratios(
    rows: PeopleRows,
    characteristic: Characteristic,
    first: date,
    stop: date,
    options: InequalityOptions,
    reference: str,
    kinds: dict[str, tuple[int, ...] | None],
    exact: bool,
) -> tuple[ShownCounts, GroupCounts]:
    counts = group_counts(rows, characteristic, first, stop, {options.kind: kinds[options.kind]})
    return shown_counts(counts, options.kind, exact), counts


def _trend(
    rows: PeopleRows,
    characteristic: Characteristic,
    periods: list[tuple[str, date, date]],
    options: InequalityOptions,
    reference: str,
    kinds: dict[str, tuple[int, ...] | None],
    exact: bool,
) -> tuple[list[tuple[str, list[TrendCell]]], list[dict[str, Any]]]:
    """Each known group's rate ratio against the reference in each period, from figures the
    viewer may see; a period where the reference has no usable rate has no ratios."""
    groups = [g for g in characteristic.groups if g not in UNKNOWN_GROUPS and g != reference]
    ref = characteristic.groups.index(reference)
    smallest = 1 if exact else NHS_DIGITAL.smallest_count
    cells: dict[str, list[TrendCell]] = {g: [] for g in groups}
    points = []
    for label, first, stop in periods:
        shown, _ = _period_ratios(
            rows, characteristic, first, stop, options, reference, kinds, exact
        )
        ref_events, ref_beds = shown.rate_events[ref], shown.bed_days[ref]
        usable_reference = np.isfinite(ref_events) and ref_events >= smallest and ref_beds > 0
        for group in groups:
            i = characteristic.groups.index(group)
            ratio = lower = upper = None
            events, beds = shown.rate_events[i], shown.bed_days[i]
            if (
                usable_reference
                and np.isfinite(events)
                and beds > 0
                and (exact or events >= smallest)
            ):
                found = rate_ratio(events, beds, ref_events, ref_beds)
                ratio = number(float(found.ratio))
                lower = number(float(found.lower))
                upper = number(float(found.upper))
            cells[group].append(TrendCell(label, ratio, lower, upper))
            if ratio is not None:
                points.append(
                    {
                        "period": label,
                        "group": group,
                        "ratio": ratio,
                        "lower": lower,
                        "upper": upper,
                    }
                )
    shown_groups = [(g, c) for g, c in cells.items() if any(cell.ratio is not None for cell in c)]
    return shown_groups, points


def _gap_readings(
    rows: PeopleRows,
    characteristic: Characteristic,
    periods: list[tuple[str, date, date]],
    options: InequalityOptions,
    reference: str,
    kinds: dict[str, tuple[int, ...] | None],
    exact: bool,
) -> list[str]:
    """Is the gap closing? Each group's rate ratio in the first half of the periods against the
    second half (mhsip.equity.gap), from figures the viewer may see."""
    half = len(periods) // 2
    if half == 0:
        return []
    halves = [(periods[0][1], periods[half - 1][2]), (periods[half][1], periods[-1][2])]
    shown = [
        _period_ratios(rows, characteristic, a, b, options, reference, kinds, exact)[0]
        for a, b in halves
    ]
    ref = characteristic.groups.index(reference)
    first_words = f"{halves[0][0]:%B %Y} to {date.fromordinal(halves[0][1].toordinal() - 1):%B %Y}"
    second_words = f"{halves[1][0]:%B %Y} to {date.fromordinal(halves[1][1].toordinal() - 1):%B %Y}"
    readings = []
    for i, group in enumerate(characteristic.groups):
        if group in UNKNOWN_GROUPS or group == reference:
            continue
        sides = [
            (s.rate_events[i], s.bed_days[i], s.rate_events[ref], s.bed_days[ref]) for s in shown
        ]
        if any(not all(np.isfinite(v) for v in side) for side in sides):
            continue
        change = gap_change(sides[0], sides[1])
        if change is not None:
            readings.append(gap_reading(change, group=group, reference=reference))
    if readings:
        readings.insert(0, f"Comparing {first_words} (at first) with {second_words} (later):")
    return readings
