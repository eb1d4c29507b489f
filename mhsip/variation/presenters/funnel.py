"""The funnel plot page: each unit's rate against its bed days, within a peer group.

Method: docs/statistics/funnel.md; what the page adds: docs/statistics/variation.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from mhsip.charts.funnel import FLAG_WORDS, build_funnel_chart_spec, funnel_curves
from mhsip.comparison import Flag, funnel
from mhsip.dashboards.presenters import (
    MAIN_MEASURE,
    Target,
)
from mhsip.dashboards.queries import Level
from mhsip.equity.suppression import NHS_DIGITAL, suppress_count
from mhsip.measures import Measure, Periods, load_catalogue
from mhsip.organisations.models import Ward, WardType
from mhsip.variation.presenters.common import (
    DEFAULT_MONTHS,
    MONTH_CHOICES,
    and_list,
    choice,
    dashboard_url,
    in_sentence,
    number,
    period_words,
    plural,
    window,
)
from mhsip.variation.queries import (
    provider_units,
    unit_measure,
    ward_units,
    wards_of,
)

#: The peer group that is every ward, whatever its type.
ALL_WARDS = "all"
OVERDISPERSION_CHOICES = (
    ("none", "No: exact limits (chance alone)"),
    ("multiplicative", "Yes: widen the limits by φ (multiplicative)"),
    ("additive", "Yes: add the spread between units, τ² (additive)"),
)


def funnel_measures() -> list[Measure]:
    """Rates per occupied bed day whose counts add up over months (not people, who would be
    counted once a month)."""
    return [
        m
        for m in load_catalogue().values()
        if m.denominator == "bed_days" and m.numerator in {"interventions", "incidents"}
    ]


@dataclass(frozen=True)
class FunnelOptions:
    measure: str
    months: int
    peer: str
    unit: str
    overdispersion: str


def _type_counts(wards: list[Ward]) -> list[tuple[str, str, int]]:
    """(ward type, its label, how many wards) in WardType order."""
    counts: dict[str, int] = {}
    for ward in wards:
        counts[ward.ward_type] = counts.get(ward.ward_type, 0) + 1
    return [(value, label, counts[value]) for value, label in WardType.choices if value in counts]


def funnel_choices(target: Target, wards: list[Ward]) -> dict[str, list[tuple[str, str]]]:
    types = _type_counts(wards)
    choices = {
        "measure": [(m.id, m.name) for m in funnel_measures()],
        "months": [(str(m), f"The last {m} months") for m in MONTH_CHOICES],
        "peer": [
            *((value, f"{label} wards ({count})") for value, label, count in types),
            (ALL_WARDS, f"All wards, whatever their type ({len(wards)})"),
        ],
        "overdispersion": list(OVERDISPERSION_CHOICES),
    }
    if target.level is Level.NETWORK:
        choices["unit"] = [("provider", "Providers"), ("ward", "Wards")]
    return choices


def funnel_options(
    target: Target, wards: list[Ward], query: Mapping[str, Any]
) -> tuple[FunnelOptions, dict[str, list[tuple[str, str]]]]:
    """The page's options from the query string; anything missing or not allowed takes its
    default: restrictive interventions over 12 months, among wards of the commonest type."""
    choices = funnel_choices(target, wards)
    types = _type_counts(wards)
    commonest = max(types, key=lambda t: t[2])[0] if types else ALL_WARDS
    allowed = {name: [value for value, _ in values] for name, values in choices.items()}
    options = FunnelOptions(
        measure=choice(query, "measure", allowed["measure"], MAIN_MEASURE),
        months=int(choice(query, "months", allowed["months"], str(DEFAULT_MONTHS))),
        peer=choice(query, "peer", allowed["peer"], commonest),
        unit=choice(query, "unit", allowed.get("unit", []), "provider")
        if target.level is Level.NETWORK
        else "ward",
        overdispersion=choice(query, "overdispersion", allowed["overdispersion"], "none"),
    )
    return options, choices


@dataclass
class FunnelRow:
    name: str
    url: str
    ward_type: str
    events: float | None
    bed_days: float
    rate: float | None
    lower_95: float | None
    upper_95: float | None
    lower_998: float | None
    upper_998: float | None
    z: float | None
    flag: str

    @property
    def flag_words(self) -> str:
        return FLAG_WORDS[self.flag]

    @property
    def reading(self) -> str:
        return FLAG_READINGS[self.flag]


FLAG_READINGS = {
    Flag.HIGH: "Higher than chance alone would explain: worth a closer look.",
    Flag.LOW: "Lower than chance alone would explain: a possible bright spot, or under-recording.",
    Flag.IN_RANGE: "Within the limits: no different from the centre beyond chance.",
    Flag.UNKNOWN: "Suppressed: fewer than 5 events or under 100 bed days, so not plotted.",
}


@dataclass
class FunnelPage:
    target: Target
    options: FunnelOptions
    choices: dict[str, list[tuple[str, str]]]
    measure: Measure
    span: Periods
    unit_noun: str
    peer_words: str
    rows: list[FunnelRow] = field(default_factory=list)
    centre: float | None = None
    phi: float | None = None
    tau2: float | None = None
    spec: dict[str, Any] | None = None
    sentences: list[str] = field(default_factory=list)
    problem: str | None = None
    without_bed_days: list[str] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_words(self.span)


def _peer_words(options: FunnelOptions, unit_noun: str) -> str:
    if options.peer == ALL_WARDS:
        kind = "all wards"
    else:
        kind = f"{in_sentence(WardType(options.peer).label)} wards"
    return f"providers' {kind}" if unit_noun == "provider" else kind


def _ward_type_words(wards: list[Ward]) -> str:
    labels = sorted({w.get_ward_type_display() for w in wards})
    return labels[0] if len(labels) == 1 else f"{len(labels)} types"


def shown_totals(events: np.ndarray, bed_days: np.ndarray, exact: bool) -> np.ndarray:
    """Events as a viewer may see them: exact inside the provider; otherwise counts under 5
    hidden (NaN) and others rounded to 5, and hidden too where the bed days are under 100 (a
    rate would be suppressed)."""
    events = np.asarray(events, dtype=float)
    if exact:
        return events
    shown = suppress_count(events)
    return np.where(np.asarray(bed_days) < NHS_DIGITAL.smallest_bed_days, np.nan, shown)


def make_funnel_page(
    target: Target, query: Mapping[str, Any], today: date | None = None
) -> FunnelPage:
    wards = wards_of(target.group)
    options, choices = funnel_options(target, wards, query)
    measure = load_catalogue()[options.measure]
    span = window(options.months, today)
    peers = [w for w in wards if options.peer in (ALL_WARDS, w.ward_type)]
    by_provider = options.unit == "provider"
    units = provider_units(peers) if by_provider else ward_units(peers)
    unit_noun = "provider" if by_provider else "ward"
    page = FunnelPage(
        target=target,
        options=options,
        choices=choices,
        measure=measure,
        span=span,
        unit_noun=unit_noun,
        peer_words=_peer_words(options, unit_noun),
    )
    if not units:
        page.problem = "There are no wards of this type here."
        return page
    values = unit_measure(units, span, measure)
    events = values.numerator.sum(axis=1)
    bed_days = values.denominator.sum(axis=1)
    has_beds = bed_days > 0
    page.without_bed_days = [u.name for u, beds in zip(units, has_beds, strict=True) if not beds]
    units = [u for u, beds in zip(units, has_beds, strict=True) if beds]
    events, bed_days = events[has_beds], bed_days[has_beds]
    if not units:
        page.problem = f"No {unit_noun} here had occupied bed days in these months."
        return page
    shown = shown_totals(events, bed_days, target.exact)
    try:
        result = funnel(
            shown,
            bed_days,
            units=[u.name for u in units],
            multiplier=measure.multiplier,
            overdispersion=options.overdispersion,
        )
    except ValueError as error:
        page.problem = _funnel_problem(error, target, unit_noun)
        return page

    ward_lookup = {w.pk: w for w in wards}
    for index, unit in enumerate(units):
        members = [ward_lookup[pk] for pk in unit.ward_ids]
        page.rows.append(
            FunnelRow(
                name=unit.name,
                url=dashboard_url(unit.level, unit.code),
                ward_type=_ward_type_words(members),
                events=number(shown[index]),
                bed_days=float(bed_days[index]),
                rate=number(result.rate[index]),
                lower_95=number(result.lower_95[index]),
                upper_95=number(result.upper_95[index]),
                lower_998=number(result.lower_998[index]),
                upper_998=number(result.upper_998[index]),
                z=number(result.z[index]),
                flag=result.flag[index],
            )
        )
    page.centre, page.phi, page.tau2 = result.centre, result.phi, result.tau2
    page.spec = build_funnel_chart_spec(
        [_spec_unit(row) for row in page.rows],
        funnel_curves(result, bed_days),
        centre=result.centre,
        y_title=f"Rate per {measure.multiplier:,.0f} occupied bed days",
        unit_noun=unit_noun,
    )
    page.sentences = funnel_sentences(page, result.known_units)
    return page


def _funnel_problem(error: ValueError, target: Target, unit_noun: str) -> str:
    if "no unit has both" in str(error) and target.suppressed:
        return (
            f"Every {unit_noun}'s figures are suppressed (fewer than 5 events, or under 100 bed "
            "days), so there is no funnel to draw. Try a longer period or all wards."
        )
    if "no unit has any events" in str(error):
        return "No events were recorded in these months, so there is no rate to compare against."
    return f"No funnel can be drawn: {error}."


def _spec_unit(row: FunnelRow) -> dict[str, Any]:
    return {
        "unit": row.name,
        "events": row.events,
        "denominator": row.bed_days,
        "rate": row.rate,
        "flag": row.flag,
        "lower_998": row.lower_998,
        "upper_998": row.upper_998,
    }


def funnel_sentences(page: FunnelPage, known_units: int) -> list[str]:
    """What the funnel says, in plain English."""
    noun = page.unit_noun
    per = f"per {page.measure.multiplier:,.0f} occupied bed days"
    rows = page.rows
    sentences = [
        (
            f"{plural(len(rows), noun)} compared: {page.peer_words} in {page.target.name}, "
            f"{page.period}. The centre line is their pooled rate, {page.centre:,.1f} {per}."
        )
    ]
    high = [r.name for r in rows if r.flag == Flag.HIGH]
    low = [r.name for r in rows if r.flag == Flag.LOW]
    if high:
        sentences.append(
            f"Above the upper 99.8% limit: {and_list(high)}. "
            f"{'This rate is' if len(high) == 1 else 'These rates are'} higher than chance "
            "alone would explain. Look at case mix, recording and practice before drawing "
            "conclusions."
        )
    if low:
        sentences.append(
            f"Below the lower 99.8% limit: {and_list(low)}. A low rate may be a bright spot worth "
            "learning from, or a sign that restrictive interventions are under-recorded: check "
            "the recording checks and the records before sharing it as good practice."
        )
    if not high and not low and known_units:
        sentences.append(
            f"Every {noun} with figures lies within the 99.8% limits: their differences are "
            "no larger than chance would give."
        )
    phi = page.phi
    if phi is not None:
        applied = page.options.overdispersion != "none"
        if applied and phi > 1:
            extra = f", τ² = {page.tau2:.2f}" if page.options.overdispersion == "additive" else ""
            sentences.append(
                f"The limits are widened for over-dispersion (φ = {phi:.2f}{extra}): each "
                f"{noun} is judged against the real spread between {noun}s, not chance alone."
            )
        elif applied:
            sentences.append(
                f"φ = {phi:.2f} is not above 1, so the limits are not widened: the {noun}s vary "
                "no more than chance would give."
            )
        elif phi > 1:
            sentences.append(
                f"Over-dispersion φ = {phi:.2f}: the {noun}s differ by more than chance alone "
                f"(φ would be about 1 if they did not). When {noun}s really differ in case mix "
                f"or practice, many fall outside exact limits; choose to allow for "
                f"over-dispersion to judge each against the real spread between {noun}s."
            )
        else:
            sentences.append(f"φ = {phi:.2f}: the {noun}s vary no more than chance would give.")
    if known_units < 5:
        sentences.append(
            f"Only {plural(known_units, noun)} {'has' if known_units == 1 else 'have'} "
            "figures here: the centre is mostly their own rate and φ is poorly estimated, so read "
            "the flags with care, or compare all wards."
        )
    hidden = [r.name for r in rows if r.flag == Flag.UNKNOWN]
    if hidden:
        sentences.append(
            f"Suppressed and not plotted: {and_list(hidden)} (fewer than 5 events, or under 100 "
            "bed days)."
        )
    if page.without_bed_days:
        sentences.append(
            f"No occupied bed days in these months, so not compared: "
            f"{and_list(page.without_bed_days)}."
        )
    return sentences
