"""The watcher: chart every followed ward and provider as the dashboards do, and raise the alert
rules' new signals (`mhsip.measures.alerts`) as alerts, once each.

Charts are drawn exactly as the dashboard's measure page draws them by default: the same
measure values (`computed_measures`), the same limits plan (`aim_settings`, `limits_plan`: fixed
on the baseline once it has 12 months) and the same chart (`chart_for`), exact or suppressed as
the follower sees them. The signal rules need the chart as it stood one period earlier too, so
the measures are computed once over one more month than the dashboard shows and both charts
are cut from that: last month's dashboard and this month's.

Runs as a background task (`mhsip.champions.tasks.watch_measures`), never in a web request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import transaction
from django.urls import reverse

from mhsip.auditing import services as audit
from mhsip.champions.models import Alert, Follow
from mhsip.champions.queries import follow_access
from mhsip.dashboards.presenters import (
    MAIN_MEASURE,
    aim_settings,
    chart_for,
    dashboard_span,
    first_with_data,
    limits_plan,
)
from mhsip.dashboards.queries import Level, computed_measures, fetch_ward_rows, groups_for
from mhsip.measures import MeasureValues, Periods, load_catalogue
from mhsip.measures.alerts import AlertKind, Signal, data_stopped_signal, new_signals
from mhsip.measures.periods import month_periods
from mhsip.organisations.models import Organisation, Ward


@dataclass(frozen=True)
class Found:
    """A signal about a ward or provider, ready to become one alert per follower."""

    ward: Ward | None
    provider: Organisation | None
    measure: str
    signal: Signal
    message: str

    @property
    def key(self) -> str:
        level, code = ("ward", self.ward.code) if self.ward else ("provider", self.provider.code)
        return f"{level}:{code}:{self.measure}:{self.signal.kind}:{self.signal.period}"


@dataclass
class WatchReport:
    follows: int = 0
    skipped: int = 0
    raised: int = 0
    alerts: list[Alert] = field(default_factory=list)


def _cut(values: MeasureValues, columns: slice) -> MeasureValues:
    return MeasureValues(
        values.measure,
        values.numerator[:, columns],
        None if values.denominator is None else values.denominator[:, columns],
        values.value[:, columns],
    )


def _span(periods: Periods, columns: slice) -> Periods:
    return Periods(periods.kind, periods.starts[columns], periods.stops[columns])


def _one_more_month(span: Periods) -> Periods:
    first = (np.datetime64(span.starts[0], "M") - 1).astype("datetime64[D]").item()
    return month_periods(first, span.starts[-1].item())


def signals_for(
    ward: Ward | None, provider: Organisation | None, *, exact: bool, today: date | None = None
) -> list[Found]:
    """Every new signal in the newest complete month of the ward's or provider's measures."""
    level, code = (Level.WARD, ward.code) if ward else (Level.PROVIDER, provider.code)
    groups = groups_for(level, code)
    if not groups:
        return []
    span = dashboard_span(today)
    both = _one_more_month(span)
    now, before = slice(1, None), slice(0, -1)
    rows = fetch_ward_rows(groups[0].ward_ids)
    results = {r.measure.id: r for r in computed_measures(groups, both, rows=rows)}
    catalogue = load_catalogue()
    name = (ward or provider).name

    def plan(columns: slice):
        main = _cut(results[MAIN_MEASURE], columns)
        cut = _span(both, columns)
        return cut, limits_plan(aim_settings(ward, cut, first_with_data(main)), cut)

    (span_now, plan_now), (span_before, plan_before) = plan(now), plan(before)
    found = []
    for measure_id, values in results.items():
        measure = catalogue[measure_id]
        current = chart_for(
            measure,
            _cut(values, now),
            0,
            span_now,
            exact=exact,
            rebase=plan_now.rebase,
            fix_after=plan_now.fix_after,
        )
        previous = chart_for(
            measure,
            _cut(values, before),
            0,
            span_before,
            exact=exact,
            rebase=plan_before.rebase,
            fix_after=plan_before.fix_after,
        )
        for signal in new_signals(current, previous):
            found.append(
                Found(
                    ward, provider, measure.id, signal, f"{measure.name}, {name}: {signal.reason}"
                )
            )
    found += _data_stopped(level, code, span, rows)
    return found


def _data_stopped(level: Level, code: str, span: Periods, rows) -> list[Found]:
    """Wards (the followed ward, or each of the provider's) whose records and bed days stopped."""
    wards = groups_for(Level.WARD, code)
    main = load_catalogue()[MAIN_MEASURE]
    (values,) = computed_measures(wards, span, [main], rows=rows)
    by_code = {w.code: w for w in Ward.objects.filter(code__in=[g.code for g in wards])}
    found = []
    for row, group in enumerate(wards):
        has = values.numerator[row] > 0
        if values.denominator is not None:
            has = has | (values.denominator[row] > 0)
        signal = data_stopped_signal([bool(h) for h in has], span.labels)
        ward = by_code[group.code]
        if signal is None or (ward.closed_on and ward.closed_on.strftime("%Y-%m") <= signal.period):
            continue  # a ward that closed is not missing its data
        found.append(Found(ward, None, "", signal, f"{ward.name}: {signal.reason}"))
    return found


def raise_alerts(found: Iterable[Found], follower) -> list[Alert]:
    """One alert per new signal for this follower; signals raised before are left alone."""
    raised = []
    for item in found:
        alert, created = Alert.objects.get_or_create(
            follower=follower,
            key=item.key,
            defaults={
                "ward": item.ward,
                "provider": item.provider,
                "measure": item.measure,
                "kind": item.signal.kind,
                "period": item.signal.period,
                "message": item.message,
            },
        )
        if created:
            raised.append(alert)
    return raised


def watch(today: date | None = None) -> WatchReport:
    """Look at every follow and raise the alerts that are new. Safe to run again: a signal
    already raised for a follower is never raised twice."""
    report = WatchReport()
    computed: dict[tuple, list[Found]] = {}
    follows = Follow.objects.select_related("follower", "ward__site__parent", "provider")
    for item in follows.order_by("pk"):
        report.follows += 1
        exact = follow_access(item.follower, ward=item.ward, provider=item.provider)
        if exact is None:
            report.skipped += 1  # their role there has gone; the follow waits, unused
            continue
        about = (item.ward_id, item.provider_id, exact)
        if about not in computed:
            computed[about] = signals_for(item.ward, item.provider, exact=exact, today=today)
        with transaction.atomic():
            report.alerts += raise_alerts(computed[about], item.follower)
    report.raised = len(report.alerts)
    audit.record_event(
        by=None,
        action="champions.watch",
        summary=f"Watched {report.follows} follows; raised {report.raised} new alerts",
        detail={"follows": report.follows, "skipped": report.skipped, "raised": report.raised},
    )
    return report


def chart_path(alert: Alert) -> str:
    """The dashboard page the alert is about: the measure's chart, or the ward's summary."""
    if alert.measure:
        return reverse("dashboards:measure", args=[alert.level, alert.code, alert.measure])
    return reverse("dashboards:summary", args=[alert.level, alert.code])


__all__ = ["AlertKind", "Found", "WatchReport", "chart_path", "signals_for", "watch"]
