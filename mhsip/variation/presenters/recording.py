"""Recording checks: wards with no or implausibly few interventions for their bed days
(mhsip.comparison.recording), from figures the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from mhsip.comparison.recording import (
    expected_from_other_periods,
    expected_from_peers,
    implausibly_few,
)
from mhsip.dashboards.presenters import (
    MAIN_MEASURE,
    Target,
)
from mhsip.dashboards.queries import Level, WardRows
from mhsip.equity.suppression import NHS_DIGITAL, suppress_count
from mhsip.measures import Periods, load_catalogue
from mhsip.organisations.models import Ward
from mhsip.variation.presenters.common import (
    DEFAULT_MONTHS,
    and_list,
    dashboard_url,
    in_sentence,
    month_words,
    number,
    period_words,
    plural,
    window,
)
from mhsip.variation.queries import (
    unit_measure,
    ward_units,
    wards_of,
)


@dataclass
class FlaggedMonth:
    month: str
    events: float | None  # as the viewer may see it
    bed_days: float
    expected: float


@dataclass
class WardQuality:
    ward: Ward
    bed_days: float
    events: float | None  # as the viewer may see it
    expected: float | None  # at the rate of its peers (same ward type here)
    low_against_peers: bool
    months: list[FlaggedMonth]
    #: Months with occupied beds and no record at all (exact viewers only: 0 is a small number).
    silent_months: int
    months_with_beds: int

    @property
    def url(self) -> str:
        return dashboard_url(Level.WARD, self.ward.code)

    @property
    def no_bed_days(self) -> bool:
        return self.bed_days == 0

    @property
    def flagged(self) -> bool:
        return self.low_against_peers or bool(self.months) or self.no_bed_days

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.no_bed_days:
            reasons.append(
                "No occupied bed days: no stays recorded and no monthly bed days entered."
            )
        if self.low_against_peers and self.expected is not None:
            shown = "fewer than 5" if self.events is None else f"{self.events:,.0f}"
            reasons.append(
                f"{shown} recorded where about {self.expected:,.0f} would be expected at the rate "
                f"of other {in_sentence(self.ward.get_ward_type_display())} wards here: below the "
                "funnel's lower 99.8% limit."
            )
        if self.months:
            reasons.append(
                f"{plural(len(self.months), 'month')} with implausibly few records for the "
                "beds occupied, judged by the ward's own other months."
            )
        return reasons


def _bounds(events: np.ndarray, exact: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shown, least possible, most possible) events. Suppressed: hidden counts lie between 0 and
    4, and a count rounded to 5 within 2 of what is shown."""
    if exact:
        return events, events, events
    shown = suppress_count(events)
    hidden = np.isnan(shown)
    least = np.where(hidden, 0.0, np.maximum(shown - 2, 0.0))
    most = np.where(hidden, NHS_DIGITAL.smallest_count - 1.0, shown + 2)
    return shown, least, most


def ward_quality(target: Target, span: Periods, rows: WardRows | None = None) -> list[WardQuality]:
    """The recording checks for each ward of the target, from figures the viewer may see.

    Suppressed viewers get a check that can only be conservative: a month counts as implausibly
    low only if even the most it can hold (4 when hidden) would be, and rates are estimated from
    the least the other months can hold.
    """
    wards = wards_of(target.group)
    measure = load_catalogue()[MAIN_MEASURE]
    values = unit_measure(ward_units(wards), span, measure, rows=rows)
    events, bed_days = values.numerator, values.denominator
    shown, least, most = _bounds(events, target.exact)
    total_shown, total_least, total_most = _bounds(events.sum(axis=1), target.exact)
    total_beds = bed_days.sum(axis=1)
    expected = expected_from_peers(total_least, total_beds, [w.ward_type for w in wards])
    low_total = implausibly_few(total_most, expected) & (total_beds > 0)
    expected_months = expected_from_other_periods(least, bed_days)
    low_month = implausibly_few(most, expected_months) & (bed_days > 0)
    found = []
    for i, ward in enumerate(wards):
        months = [
            FlaggedMonth(
                month=month_words(span.starts[p]),
                events=number(shown[i, p]),
                bed_days=float(bed_days[i, p]),
                expected=float(expected_months[i, p]),
            )
            for p in np.flatnonzero(low_month[i])
        ]
        with_beds = bed_days[i] > 0
        found.append(
            WardQuality(
                ward=ward,
                bed_days=float(total_beds[i]),
                events=number(total_shown[i]),
                expected=number(expected[i]),
                low_against_peers=bool(low_total[i]),
                months=months,
                silent_months=int(((events[i] == 0) & with_beds).sum()) if target.exact else 0,
                months_with_beds=int(with_beds.sum()),
            )
        )
    return found


@dataclass
class DataQualityPage:
    target: Target
    span: Periods
    wards: list[WardQuality]
    sentences: list[str]
    providers: list[tuple[str, int, int]]  # (provider, wards flagged, wards)

    @property
    def flagged(self) -> list[WardQuality]:
        return [w for w in self.wards if w.flagged]

    @property
    def period(self) -> str:
        return period_words(self.span)


def make_data_quality(target: Target, today: date | None = None) -> DataQualityPage:
    span = window(DEFAULT_MONTHS, today)
    wards = ward_quality(target, span)
    flagged = [w for w in wards if w.flagged]
    sentences = [
        f"{plural(len(flagged), 'ward')} of {len(wards)} flagged for review, {period_words(span)}."
        if flagged
        else f"No ward is flagged for review, {period_words(span)}."
    ]
    sentences.append(
        "A ward is flagged when it records no occupied bed days, when its restrictive "
        "interventions fall below the lower 99.8% funnel limit of wards of the same type here, "
        "or when a month holds so few records that, at the rate of the ward's other months, so "
        "few would happen by chance less than once in 1,000. Restraint is known to be "
        "under-recorded: a flag is a question for the records, not a finding."
    )
    alone = [w.ward.name for w in wards if w.expected is None and w.bed_days > 0]
    if alone:
        sentences.append(
            f"No other ward of the same type here to compare with: {and_list(alone)} (only "
            "their own months are checked)."
        )
    if target.suppressed:
        sentences.append(
            "Figures are suppressed: counts under 5 are hidden, so a month is flagged only if "
            "even 4 records would be implausibly few."
        )
    providers: dict[str, list[WardQuality]] = {}
    for w in wards:
        providers.setdefault(w.ward.provider.name, []).append(w)
    rollup = [(name, sum(w.flagged for w in ws), len(ws)) for name, ws in providers.items()]
    return DataQualityPage(target, span, wards, sentences, rollup)
