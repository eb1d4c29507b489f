"""The national benchmarking page: one month's funnel of people restrained per 1,000 occupied bed
days across every provider NHS England published, with the viewer's own providers marked, and
the national trend month by month.

What is compared, and what is left out (said on the page, never silently):
- a provider is plotted when its MHS76 and its bed days are both published as numbers;
- MHS76 shown as `*` (1 to 4 people) is left out, counted and named: NHS Digital suppressed it;
- an MHS76 figure without published bed days (or with `*` bed days) cannot be made a rate;
- providers with bed days but no MHS76 row are counted: no row is *not* zero (under-reporting of
  restraint is the PROD-ALERT papers' main finding).
MHS76 counts people, not interventions, rounded by NHS Digital to the nearest 5.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from mhsip.charts.funnel import FLAG_WORDS, build_funnel_chart_spec, funnel_curves
from mhsip.charts.spc import build_spc_chart_spec
from mhsip.comparison import Flag, funnel
from mhsip.national.published import MEASURE_WORDS, PublishedMeasure
from mhsip.national.queries import (
    ProviderMonth,
    detention_totals,
    months_published,
    own_provider_ids,
    provider_months,
)
from mhsip.spc import ChartType, ImprovementDirection, SpcOptions, spc_chart

#: Rates per this many occupied bed days, as NHS Digital's MHS96 and the programme's measures.
PER_BED_DAYS = 1000
OVERDISPERSION_CHOICES = (
    ("none", "No: exact limits (chance alone)"),
    ("multiplicative", "Yes: widen the limits by φ (multiplicative)"),
    ("additive", "Yes: add the spread between providers, τ² (additive)"),
)
#: The ring around the viewer's own providers: NHS blue, which no funnel flag uses.
OWN_PROVIDER = "#005EB8"


def month_label(day: date) -> str:
    return f"{day:%Y-%m}"


def month_words(day: date) -> str:
    return f"{day:%B %Y}"


@dataclass
class BenchmarkRow:
    name: str
    people: int
    bed_days: int
    rate: float | None
    lower_998: float | None
    upper_998: float | None
    flag: str
    own: bool

    @property
    def flag_words(self) -> str:
        return FLAG_WORDS[self.flag]


@dataclass
class TrendRow:
    month: date
    providers: int  # plotted: MHS76 and bed days both published
    people: int
    bed_days: int
    rate: float | None
    restrained_suppressed: int
    all_bed_days: int  # Σ published bed days, every provider


@dataclass
class BenchmarkPage:
    months: list[date]
    month: date | None
    overdispersion: str
    rows: list[BenchmarkRow] = field(default_factory=list)
    centre: float | None = None
    phi: float | None = None
    spec: dict[str, Any] | None = None
    suppressed: list[str] = field(default_factory=list)
    without_bed_days: list[str] = field(default_factory=list)
    without_restraint_row: int = 0
    own_unmatched: bool = False
    own_names: list[str] = field(default_factory=list)
    own_not_plotted: list[str] = field(default_factory=list)
    trend: list[TrendRow] = field(default_factory=list)
    trend_spec: dict[str, Any] | None = None
    detentions: list[dict[str, Any]] = field(default_factory=list)
    problem: str | None = None

    @property
    def month_choices(self) -> list[tuple[str, str]]:
        return [(month_label(m), month_words(m)) for m in reversed(self.months)]

    @property
    def high(self) -> list[str]:
        return [r.name for r in self.rows if r.flag == Flag.HIGH]

    @property
    def low(self) -> list[str]:
        return [r.name for r in self.rows if r.flag == Flag.LOW]


def _chosen_month(months: list[date], wanted: str | None) -> date | None:
    by_label = {month_label(m): m for m in months}
    if wanted in by_label:
        return by_label[wanted]
    return months[-1] if months else None


def plotted(row: ProviderMonth) -> bool:
    return row.people_restrained is not None and row.bed_days is not None and row.bed_days > 0


def make_benchmark_page(user, query: Mapping[str, Any]) -> BenchmarkPage:
    months = months_published(PublishedMeasure.PEOPLE_RESTRAINED)
    wanted = query.get("overdispersion")
    page = BenchmarkPage(
        months=months,
        month=_chosen_month(months, query.get("month")),
        overdispersion=wanted if wanted in dict(OVERDISPERSION_CHOICES) else "none",
    )
    if page.month is None:
        page.problem = (
            "No national statistics have been imported yet. Someone who imports data can add "
            "NHS England's monthly files."
        )
        return page
    by_month = provider_months(months)
    own = own_provider_ids(user)
    _funnel(page, by_month[page.month], own)
    _trend(page, by_month)
    page.detentions = [
        {
            "month": period,
            "measure": measure,
            "words": MEASURE_WORDS[PublishedMeasure(measure)],
            "people": people,
            "suppressed": suppressed,
            "comparable": measure == PublishedMeasure.PEOPLE_DETAINED_END,
        }
        for period, measure, people, suppressed in detention_totals()
    ]
    return page


def _funnel(page: BenchmarkPage, rows: list[ProviderMonth], own: set[int]) -> None:
    page.own_names = sorted({r.name for r in rows if r.organisation_id in own})
    page.own_unmatched = bool(own) and not page.own_names
    page.suppressed = [r.name for r in rows if r.restrained_suppressed]
    page.without_bed_days = [
        r.name
        for r in rows
        if r.people_restrained is not None and not (r.bed_days is not None and r.bed_days > 0)
    ]
    page.without_restraint_row = sum(
        1 for r in rows if not r.restrained_row and r.bed_days is not None and r.bed_days > 0
    )
    units = [r for r in rows if plotted(r)]
    page.own_not_plotted = [n for n in page.own_names if n not in {u.name for u in units}]
    if not units:
        page.problem = (
            f"No provider has both MHS76 and bed days published for {month_words(page.month)}."
        )
        return
    events = np.array([u.people_restrained for u in units], dtype=float)
    bed_days = np.array([u.bed_days for u in units], dtype=float)
    try:
        result = funnel(
            events,
            bed_days,
            units=[u.name for u in units],
            multiplier=PER_BED_DAYS,
            overdispersion=page.overdispersion,
        )
    except ValueError as error:
        page.problem = f"No funnel can be drawn: {error}."
        return
    page.centre, page.phi = result.centre, result.phi
    for index, unit in enumerate(units):
        page.rows.append(
            BenchmarkRow(
                name=unit.name,
                people=int(events[index]),
                bed_days=int(bed_days[index]),
                rate=_number(result.rate[index]),
                lower_998=_number(result.lower_998[index]),
                upper_998=_number(result.upper_998[index]),
                flag=result.flag[index],
                own=unit.organisation_id in own,
            )
        )
    page.rows.sort(key=lambda r: (not r.own, r.name))
    spec = build_funnel_chart_spec(
        [
            {
                "unit": r.name,
                "events": r.people,
                "denominator": r.bed_days,
                "rate": r.rate,
                "flag": r.flag,
                "lower_998": r.lower_998,
                "upper_998": r.upper_998,
            }
            for r in page.rows
        ],
        funnel_curves(result, bed_days),
        centre=result.centre,
        title=f"People restrained per 1,000 occupied bed days, {month_words(page.month)}",
        y_title="People restrained per 1,000 occupied bed days",
        unit_noun="provider",
        width=720,
        height=400,
    )
    highlighted = [r for r in page.rows if r.own and r.rate is not None]
    if highlighted:
        spec["layer"].append(_highlight_layer(highlighted, spec))
        spec["description"] += f"; yours ringed in blue: {', '.join(r.name for r in highlighted)}"
    page.spec = spec


def _highlight_layer(rows: list[BenchmarkRow], spec: dict[str, Any]) -> dict[str, Any]:
    """A blue ring and the name at the viewer's own providers, over the funnel's points."""
    points = next(layer for layer in spec["layer"] if layer.get("name") == "limits")
    x = points["encoding"]["x"]
    y = {k: v for k, v in points["encoding"]["y"].items() if k != "field"}
    values = [
        {"denominator": r.bed_days, "rate": r.rate, "unit": f"{r.name} (yours)"} for r in rows
    ]
    return {
        "name": "yours",
        "data": {"values": values},
        "layer": [
            {
                "mark": {
                    "type": "point",
                    "shape": "circle",
                    "size": 360,
                    "filled": False,
                    "strokeWidth": 3,
                    "color": OWN_PROVIDER,
                },
                "encoding": {"x": x, "y": {**y, "field": "rate"}},
            },
            {
                "mark": {
                    "type": "text",
                    "align": "right",
                    "dx": -12,
                    "dy": 4,
                    "fontSize": 12,
                    "fontWeight": "bold",
                    "color": OWN_PROVIDER,
                },
                "encoding": {"x": x, "y": {**y, "field": "rate"}, "text": {"field": "unit"}},
            },
        ],
    }


def _trend(page: BenchmarkPage, by_month: dict[date, list[ProviderMonth]]) -> None:
    """Σ MHS76 / Σ bed days of the providers with both published, month by month, as a
    u-chart: the national rate among providers that report restraint."""
    for month in page.months:
        rows = by_month[month]
        units = [r for r in rows if plotted(r)]
        people = sum(r.people_restrained for r in units)
        beds = sum(r.bed_days for r in units)
        page.trend.append(
            TrendRow(
                month=month,
                providers=len(units),
                people=people,
                bed_days=beds,
                rate=people / beds * PER_BED_DAYS if beds else None,
                restrained_suppressed=sum(1 for r in rows if r.restrained_suppressed),
                all_bed_days=sum(r.bed_days or 0 for r in rows),
            )
        )
    if len(page.trend) < 2:
        return
    chart = spc_chart(
        [t.people for t in page.trend],
        denominators=[t.bed_days or np.nan for t in page.trend],
        chart=ChartType.U,
        dates=np.array([np.datetime64(t.month, "D") for t in page.trend]),
        options=SpcOptions(improvement=ImprovementDirection.DECREASE, multiplier=PER_BED_DAYS),
    ).to_dict()
    page.trend_spec = build_spc_chart_spec(
        chart,
        title="England: people restrained per 1,000 occupied bed days",
        y_title="People restrained per 1,000 bed days",
        width=720,
        height=300,
    )


def _number(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)
