"""Build what the dashboard pages show: measure summaries, charts, the aim tracker.

Views resolve who is asking and for what (`resolve_target`), then call `make_summary` or
`make_measure_page`; everything here works on the arrays of `mhsip.measures` and the chart
objects of `mhsip.spc`, and applies small-number suppression when the viewer may only see
suppressed figures.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.charts.icons import assurance_icon_svg, variation_icon_svg
from mhsip.charts.sparkline import sparkline_svg
from mhsip.dashboards.models import DEFAULT_BASELINE_MONTHS, DEFAULT_REDUCTION_PERCENT, WardAim
from mhsip.dashboards.queries import (
    Group,
    Level,
    WardRows,
    computed_measures,
    fetch_ward_rows,
    groups_for,
)
from mhsip.equity.suppression import suppress_count
from mhsip.improvement.queries import annotations_for as improvement_annotations
from mhsip.measures import Measure, MeasureType, MeasureValues, Periods, load_catalogue
from mhsip.measures.aims import AimProgress, aim_progress
from mhsip.measures.periods import PeriodKind, month_periods, week_periods
from mhsip.organisations.models import Organisation, OrganisationKind, Ward
from mhsip.spc import ChartType, SpcOptions, spc_chart
from mhsip.spc.constants import MIN_FIX_AFTER
from mhsip.spc.narrative import describe_chart

#: The measure the programme's aim is about, and the one the aim tracker follows.
MAIN_MEASURE = "restrictive_interventions"
#: Months on a dashboard: three years, as the programme's reports look back.
HISTORY_MONTHS = 36
#: Weekly charts show two years: enough weeks for limits, few enough to read each point.
HISTORY_WEEKS = 104


class Limits(StrEnum):
    """How the measure page computes its limits."""

    BASELINE = "baseline"  # from the baseline months, extended (MDC's advice after a change)
    JOINED = "joined"  # recalculated from the month the ward joined the programme
    ALL = "all"  # one set of limits over everything


@dataclass(frozen=True)
class Target:
    """What a dashboard is about, and whether the viewer sees exact or suppressed figures."""

    level: Level
    code: str
    name: str
    group: Group
    exact: bool
    ward: Ward | None = None
    organisation: Organisation | None = None

    @property
    def suppressed(self) -> bool:
        return not self.exact


def resolve_target(user, level: str, code: str) -> Target:
    try:
        level = Level(level)
    except ValueError:
        raise Http404("No such dashboard level") from None
    ward, organisation = _ward_or_organisation(level, code)
    if ward is None and organisation is None:
        raise Http404("No such ward or organisation")
    context: dict[str, Any] = {"ward": ward} if ward else {"organisation": organisation}
    if has_permission(user, Permission.AGGREGATE_VIEW, **context):
        exact = True
    elif has_permission(user, Permission.SUPPRESSED_AGGREGATE_VIEW, **context):
        exact = False
    else:
        raise PermissionDenied("You cannot see this dashboard.")
    target = target_for(level, code, exact=exact, found=(ward, organisation))
    if target is None:
        raise Http404("This dashboard has no wards yet")
    return target


def _ward_or_organisation(level: Level, code: str) -> tuple[Ward | None, Organisation | None]:
    if level is Level.WARD:
        return Ward.objects.select_related("site__parent__parent").filter(code=code).first(), None
    kind = OrganisationKind.PROVIDER if level is Level.PROVIDER else OrganisationKind.NETWORK
    return None, Organisation.objects.filter(code=code, kind=kind).first()


def target_for(
    level: Level,
    code: str,
    *,
    exact: bool,
    found: tuple[Ward | None, Organisation | None] | None = None,
) -> Target | None:
    """The dashboard of a ward, provider or network, as exact or suppressed figures, whoever
    asks (permission is the caller's business); None if it does not exist or has no wards."""
    ward, organisation = found or _ward_or_organisation(level, code)
    if ward is None and organisation is None:
        return None
    groups = groups_for(level, code)
    if not groups:
        return None
    name = ward.name if ward else organisation.name
    return Target(level, code, name, groups[0], exact, ward, organisation)


def dashboard_span(today: date | None = None, kind: PeriodKind | str = PeriodKind.MONTH) -> Periods:
    """The last HISTORY_MONTHS complete months, or the last HISTORY_WEEKS complete weeks."""
    today = today or timezone.localdate()
    if PeriodKind(kind) is PeriodKind.WEEK:
        this_monday = today - timedelta(days=today.weekday())
        last_sunday = this_monday - timedelta(days=1)
        return week_periods(this_monday - timedelta(weeks=HISTORY_WEEKS), last_sunday)
    last = date(today.year, today.month, 1).toordinal() - 1
    last_month = date.fromordinal(last)
    first = np.datetime64(last_month, "M") - (HISTORY_MONTHS - 1)
    return month_periods(first.astype("datetime64[D]").item(), last_month)


# --- Charts ----------------------------------------------------------------------------------


def shown_counts(measure: Measure, values: MeasureValues, row: int, exact: bool):
    """The numerator and denominator a viewer may see (suppressed outside the provider)."""
    numerator = values.numerator[row]
    denominator = None if values.denominator is None else values.denominator[row]
    if exact or measure.is_statistic:
        return numerator, denominator
    numerator = suppress_count(numerator)
    if measure.denominator == "bed_days" and denominator is not None:
        numerator = np.where(denominator < 100, np.nan, numerator)
    if measure.chart in {ChartType.P, ChartType.PP} and denominator is not None:
        # Rounding to 5 can take a count of people above the people it is a share of.
        numerator = np.minimum(numerator, denominator)  # NaN (suppressed) stays NaN
    return numerator, denominator


def chart_for(
    measure: Measure,
    values: MeasureValues,
    row: int,
    span: Periods,
    *,
    exact: bool,
    target: float | None = None,
    rebase: list[int] | None = None,
    fix_after: int | None = None,
) -> dict[str, Any]:
    numerator, denominator = shown_counts(measure, values, row, exact)
    options = SpcOptions(
        improvement=measure.improvement,
        target=target,
        fix_after=fix_after,
        multiplier=measure.multiplier if measure.chart.needs_denominator else 1.0,
    )
    dates = span.starts
    if measure.chart.needs_denominator:
        chart = spc_chart(
            numerator,
            denominators=denominator,
            chart=measure.chart,
            dates=dates,
            rebase=rebase or [],
            options=options,
        )
    elif measure.is_statistic or measure.denominator != "none":
        value = numerator if measure.is_statistic else values.value[row]
        if not exact and not measure.is_statistic and denominator is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(
                    denominator > 0, numerator / denominator * measure.multiplier, np.nan
                )
        chart = spc_chart(
            value, chart=measure.chart, dates=dates, rebase=rebase or [], options=options
        )
    else:
        chart = spc_chart(
            numerator, chart=measure.chart, dates=dates, rebase=rebase or [], options=options
        )
    return chart.to_dict()


# --- Aims ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AimSettings:
    baseline: slice  # periods of the dashboard span
    baseline_label: str
    reduction_percent: int
    joined_index: int | None
    joined_on: date | None
    aim_by: date | None
    saved: bool


def target_aim_settings(target: Target, span: Periods) -> AimSettings:
    (main,) = computed_measures([target.group], span, [load_catalogue()[MAIN_MEASURE]])
    return aim_settings(target.ward, span, first_with_data(main))


def first_with_data(values: MeasureValues, row: int = 0) -> int:
    """The first period with any exposure or events: the default baseline starts there."""
    has = values.numerator[row] > 0
    if values.denominator is not None:
        has = has | (values.denominator[row] > 0)
    found = np.flatnonzero(has)
    return int(found[0]) if len(found) else 0


def aim_settings(ward: Ward | None, span: Periods, first_index: int = 0) -> AimSettings:
    """The ward's saved baseline and aim, or the defaults: the 12 months before it joined the
    programme, or else its first 12 months with data."""
    aim = WardAim.objects.filter(ward=ward).first() if ward is not None else None

    def index_of(day: date) -> int:
        """The period holding `day`: 0 before the span, len(span) after it."""
        when = np.datetime64(day, "D")
        if when >= span.stops[-1]:
            return len(span)
        return max(int(np.searchsorted(span.starts, when, side="right")) - 1, 0)

    joined = aim.joined_programme_on if aim else None
    if aim is not None:
        start, stop = index_of(aim.baseline_start), index_of(aim.baseline_end) + 1
    elif joined is not None:
        stop = index_of(joined)
        start = index_of(_months_before(joined, DEFAULT_BASELINE_MONTHS))
    else:
        start = first_index
        stop = index_of(_months_before(span.starts[start].item(), -DEFAULT_BASELINE_MONTHS))
    stop = max(stop, start + 1)
    last = min(stop, len(span)) - 1
    first_day = span.starts[min(start, len(span) - 1)].item()
    last_day = span.stops[last].item() - timedelta(days=1)
    label = f"{first_day:%B %Y} to {last_day:%B %Y}"
    return AimSettings(
        baseline=slice(start, stop),
        baseline_label=label,
        reduction_percent=aim.reduction_percent if aim else DEFAULT_REDUCTION_PERCENT,
        joined_index=index_of(joined) if joined else None,
        joined_on=joined,
        aim_by=aim.aim_by if aim else None,
        saved=aim is not None,
    )


def _month_words(label: str) -> str:
    """'2025-03' as 'March 2025'; a week's Monday '2025-03-03' as 'week of 3 March 2025'."""
    if len(label) == 7:
        return date.fromisoformat(label + "-01").strftime("%B %Y")
    day = date.fromisoformat(label)
    return f"week of {day.day} {day:%B %Y}"


def _months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (later when negative), or that month's last
    day when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _progress(
    values: MeasureValues, row: int, settings: AimSettings, multiplier: float
) -> AimProgress:
    return aim_progress(
        values.numerator[row],
        values.denominator[row],
        baseline=settings.baseline,
        multiplier=multiplier,
        reduction_percent=settings.reduction_percent,
    )


@dataclass(frozen=True)
class LimitsPlan:
    limits: Limits
    rebase: list[int]
    fix_after: int | None
    note: str


def limits_plan(settings: AimSettings, span: Periods, wanted: str | None = None) -> LimitsPlan:
    """How to compute the limits: fixed on the baseline (the default once it has 12 months),
    recalculated from the month the ward joined, or one set for everything."""
    chosen = Limits(wanted) if wanted in set(Limits) else None
    baseline = settings.baseline
    long_enough = baseline.stop - baseline.start >= MIN_FIX_AFTER
    if chosen is None:
        chosen = Limits.BASELINE if long_enough else Limits.ALL
    if chosen is Limits.BASELINE:
        if long_enough:
            return LimitsPlan(
                chosen,
                [baseline.start] if baseline.start > 0 else [],
                baseline.stop - baseline.start,
                f"Limits from the baseline ({settings.baseline_label}), extended: later months "
                "are judged against the baseline.",
            )
        return LimitsPlan(
            Limits.ALL,
            [],
            None,
            f"The baseline ({settings.baseline_label}) has fewer than {MIN_FIX_AFTER} months, "
            "too few to fix limits on: one set of limits is shown instead.",
        )
    if chosen is Limits.JOINED:
        joined = settings.joined_index
        if joined is not None and 0 < joined < len(span):
            return LimitsPlan(
                chosen,
                [joined],
                None,
                f"Limits recalculated from {settings.joined_on:%B %Y}, when the ward joined.",
            )
        return LimitsPlan(
            Limits.ALL, [], None, "The date the ward joined is not set: one set of limits is shown."
        )
    return LimitsPlan(Limits.ALL, [], None, "One set of limits from every month shown.")


# --- Pages -----------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    measure: Measure
    chart: dict[str, Any]
    latest_label: str
    latest_value: float | None
    variation_icon: str
    assurance_icon: str | None
    sparkline: str


@dataclass
class Summary:
    target: Target
    span: Periods
    rows_by_type: dict[str, list[SummaryRow]]
    aim: AimProgress | None
    aim_settings: AimSettings
    wards_total: int = 0
    wards_meeting_aim: int = 0
    wards_with_shift: int = 0
    ward_aims: list[tuple[Group, AimProgress]] = field(default_factory=list)


#: Seconds a computed dashboard is kept; any change to the data makes a new key anyway.
SUMMARY_CACHE_SECONDS = 60 * 60


def data_version(ward_ids: tuple[int, ...] | list[int]) -> str:
    """Changes whenever anything a dashboard of these wards counts changes, and only then.

    The tables' largest ids and counts catch rows added or deleted (also in bulk, by imports and
    the demo); their newest `updated_at` catches rows changed in place. Scoped to the wards, so
    a change on one ward leaves every other ward's dashboards cached, and reading a record
    (which writes an audit event) changes nothing.
    """
    from django.db.models import Count, Max

    from mhsip.dashboards.models import TeamEnteredValue, WardAim
    from mhsip.incidents.models import Intervention, UseOfForceRecord
    from mhsip.patients.models import MonthlyBedDays, WardStay

    wards = list(ward_ids)
    parts: list[object] = []
    for queryset, changed in (
        (UseOfForceRecord.objects.filter(ward__in=wards), "updated_at"),
        (Intervention.objects.filter(record__ward__in=wards), None),
        (WardStay.objects.filter(ward__in=wards), "updated_at"),
        (MonthlyBedDays.objects.filter(ward__in=wards), "entered_at"),
        (TeamEnteredValue.objects.filter(ward__in=wards), "entered_at"),
        (WardAim.objects.filter(ward__in=wards), "updated_at"),
    ):
        aggregates = {"m": Max("id"), "n": Count("id")}
        if changed:
            aggregates["u"] = Max(changed)
        parts += queryset.aggregate(**aggregates).values()
    parts += [source(wards) for source in EXTRA_DATA_VERSIONS]
    return ":".join(str(p) for p in parts)


#: Other apps whose data reaches the dashboards (e.g. imported MHSDS extracts) add a function
#: of the ward ids here that returns something that changes when their data does.
EXTRA_DATA_VERSIONS: list = []


def summary_cache_key(target: Target, span: Periods) -> str:
    about = (
        f"{target.level}:{target.code}:{target.exact}:{span.labels[-1]}:"
        f"{data_version(target.group.ward_ids)}"
    )
    return "dashboard-summary:" + hashlib.sha256(about.encode()).hexdigest()


def cached_summary(target: Target) -> Summary:
    """`make_summary`, kept in the cache until the wards' data changes (or an hour passes).

    A provider's or network's summary reads every stay and record of its wards; people open
    the same dashboards many times between changes. After each change a background task
    computes the summaries again (`mhsip.dashboards.tasks`), so people rarely wait for one.
    """
    from django.core.cache import cache

    span = dashboard_span()
    key = summary_cache_key(target, span)
    summary = cache.get(key)
    if summary is None:
        summary = make_summary(target, span)
        cache.set(key, summary, SUMMARY_CACHE_SECONDS)
    return summary


def make_summary(
    target: Target, span: Periods | None = None, rows: WardRows | None = None
) -> Summary:
    """`rows` may hold more wards than the target's (a network's, when summarising a ward, its
    provider and its network in turn): only the target's are counted."""
    span = span or dashboard_span()
    catalogue = load_catalogue()
    ward_rows = rows or fetch_ward_rows(target.group.ward_ids)
    results = {r.measure.id: r for r in computed_measures([target.group], span, rows=ward_rows)}
    main = results[MAIN_MEASURE]
    settings = aim_settings(target.ward, span, first_with_data(main))
    plan = limits_plan(settings, span)
    aim = _progress(main, 0, settings, main.measure.multiplier)

    rows: dict[str, list[SummaryRow]] = {t.value: [] for t in MeasureType}
    for measure in catalogue.values():
        values = results.get(measure.id)
        if values is None:
            continue
        goal = aim.target_rate if measure.id == MAIN_MEASURE and target.exact else None
        chart = chart_for(
            measure,
            values,
            0,
            span,
            exact=target.exact,
            target=goal,
            rebase=plan.rebase,
            fix_after=plan.fix_after,
        )
        shown = [p for p in chart["points"] if p["value"] is not None]
        rows[measure.type.value].append(
            SummaryRow(
                measure=measure,
                chart=chart,
                latest_label=_month_words(span.labels[-1]),
                latest_value=chart["points"][-1]["value"],
                variation_icon=variation_icon_svg(chart, size=40),
                assurance_icon=assurance_icon_svg(chart, size=40),
                sparkline=sparkline_svg(chart, label=f"{measure.name}: the last 24 months")
                if shown
                else sparkline_svg(chart),
            )
        )
    summary = Summary(target, span, rows, aim if target.exact else None, settings)
    if target.level is not Level.WARD:
        _ward_aims(summary, span, ward_rows)
    return summary


def _ward_aims(summary: Summary, span: Periods, rows: WardRows) -> None:
    """How many of the wards under a provider or network have met their aim."""
    wards = groups_for(Level.WARD, summary.target.code)
    catalogue = load_catalogue()
    (main,) = computed_measures(wards, span, [catalogue[MAIN_MEASURE]], rows=rows)
    by_code = {w.code: w for w in Ward.objects.filter(code__in=[g.code for g in wards])}
    summary.wards_total = len(wards)
    for row, group in enumerate(wards):
        progress = _progress(
            main, row, aim_settings(by_code[group.code], span), main.measure.multiplier
        )
        summary.wards_meeting_aim += progress.met
        summary.wards_with_shift += bool(progress.sustained_shift)
        if summary.target.exact:
            summary.ward_aims.append((group, progress))


@dataclass
class MeasurePage:
    target: Target
    measure: Measure
    chart: dict[str, Any]
    narrative: list[str]
    limits: Limits
    limits_note: str
    annotations: list[dict[str, str]]
    aim: AimProgress | None
    aim_settings: AimSettings
    variation_icon: str
    assurance_icon: str | None
    span: Periods


def make_measure_page(
    target: Target, measure_id: str, limits: str | None = None, span: Periods | None = None
) -> MeasurePage:
    catalogue = load_catalogue()
    measure = catalogue.get(measure_id)
    if measure is None:
        raise Http404("No such measure")
    span = span or dashboard_span()
    main_measure = catalogue[MAIN_MEASURE]
    wanted = [measure] if measure.id == MAIN_MEASURE else [measure, main_measure]
    results = {r.measure.id: r for r in computed_measures([target.group], span, wanted)}
    values = results[measure.id]
    settings = aim_settings(target.ward, span, first_with_data(results[MAIN_MEASURE]))
    aim = None
    goal = None
    if measure.id == MAIN_MEASURE and target.exact:
        aim = _progress(values, 0, settings, measure.multiplier)
        goal = aim.target_rate

    plan = limits_plan(settings, span, limits)
    chart = chart_for(
        measure,
        values,
        0,
        span,
        exact=target.exact,
        target=goal,
        rebase=plan.rebase,
        fix_after=plan.fix_after,
    )
    annotations = []
    joined = settings.joined_index
    if settings.joined_on is not None and joined is not None and 0 < joined < len(span):
        annotations.append(
            {
                "date": span.starts[settings.joined_index].item().isoformat(),
                "label": "Joined the programme",
            }
        )
    if target.ward is not None:
        # PDSA cycles and adopted changes of the ward's projects that plan to watch this measure.
        annotations += improvement_annotations(
            target.ward, measure.id, span.starts[0].item(), timezone.localdate()
        )
    noun = "rate" if measure.is_rate else "value"
    return MeasurePage(
        target=target,
        measure=measure,
        chart=chart,
        narrative=describe_chart(chart, noun=noun),
        limits=plan.limits,
        limits_note=plan.note,
        annotations=annotations,
        aim=aim,
        aim_settings=settings,
        variation_icon=variation_icon_svg(chart, size=56),
        assurance_icon=assurance_icon_svg(chart, size=56),
        span=span,
    )


def chart_csv_rows(page: MeasurePage) -> list[list[Any]]:
    header = [
        "period",
        "value",
        "denominator",
        "centre",
        "lower",
        "upper",
        "point_type",
        "special_cause",
        "phase",
    ]
    rows: list[list[Any]] = [header]
    for label, point in zip(page.span.labels, page.chart["points"], strict=True):
        rows.append(
            [
                label,
                point["value"],
                point["denominator"],
                point["centre"],
                point["lower"],
                point["upper"],
                point["point_type"],
                point["special_cause"],
                point["phase"],
            ]
        )
    return rows


__all__ = [
    "ChartType",
    "Limits",
    "MAIN_MEASURE",
    "make_measure_page",
    "make_summary",
    "resolve_target",
]
