"""Compute every measure for groups (wards, providers or a network) x periods.

The web layer turns database rows into a `RecordsData` of plain arrays (one row per stay,
intervention and record, each tagged with its group) and calls `compute_measures`; analysts can
build the same arrays from any source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mhsip.measures import counting
from mhsip.measures.catalogue import Measure
from mhsip.measures.periods import Periods

#: MHSDS type codes by the Act's kinds of force (mhsip.incidents.codes.GROUP_OF, as numbers so
#: this module stays free of Django).
TYPE_GROUPS = {
    "physical": (1, 7, 8, 9, 10, 11, 12, 13),
    "mechanical": (4,),
    "seclusion": (5,),
    "segregation": (6,),
    "chemical": (14, 15, 16, 17),
}


@dataclass(frozen=True)
class RecordsData:
    """Plain arrays describing stays, interventions and records, each row tagged with a group.

    Dates are datetime64 (NaT where not known or still open); types are MHSDS codes as ints.
    """

    n_groups: int
    stay_group: np.ndarray
    stay_patient: np.ndarray
    stay_start: np.ndarray
    stay_end: np.ndarray
    intervention_group: np.ndarray
    intervention_record: np.ndarray
    intervention_patient: np.ndarray
    intervention_type: np.ndarray
    intervention_start: np.ndarray
    intervention_end: np.ndarray
    record_group: np.ndarray
    record_start: np.ndarray
    record_end: np.ndarray
    record_complete: np.ndarray
    record_review_offered: np.ndarray
    record_injury: np.ndarray
    record_completed_at: np.ndarray
    #: (G, P) bed days entered by hand for periods without stays; NaN where none was entered.
    entered_bed_days: np.ndarray | None = None
    #: measure id -> ((G, P) numerators, (G, P) denominators or None) entered by the team;
    #: NaN where nothing was entered for a period (missing, not zero).
    team_entered: dict[str, tuple[np.ndarray, np.ndarray | None]] | None = None


@dataclass(frozen=True)
class MeasureValues:
    measure: Measure
    numerator: np.ndarray  # (G, P)
    denominator: np.ndarray | None  # (G, P)
    value: np.ndarray  # (G, P), NaN where it cannot be computed


def _in_period_by_record_start(data: RecordsData, periods: Periods) -> np.ndarray:
    """(N, P): the period in which each record's incident started."""
    starts = np.asarray(data.record_start, dtype="datetime64[D]")[:, None]
    return (starts >= periods.starts[None, :]) & (starts < periods.stops[None, :])


class _Counts:
    """Lazily computed counts shared by the measures of one computation."""

    def __init__(self, data: RecordsData, periods: Periods):
        self.data, self.periods = data, periods
        self._cache: dict[str, np.ndarray] = {}

    def _cached(self, key: str, make) -> np.ndarray:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def bed_days(self) -> np.ndarray:
        def make() -> np.ndarray:
            d = self.data
            days = counting.bed_days(
                d.stay_group, d.stay_start, d.stay_end, self.periods, d.n_groups
            ).astype(float)
            if d.entered_bed_days is not None:
                entered = ~np.isnan(d.entered_bed_days)
                days = np.where(entered, d.entered_bed_days, days)
            return days

        return self._cached("bed_days", make)

    @property
    def intervention_mask(self) -> np.ndarray:
        d = self.data
        start = np.asarray(d.intervention_start, dtype="datetime64[D]")
        return self._cached(
            "intervention_mask",
            lambda: (
                counting.in_period(start, d.intervention_end, self.periods)
                & ~np.isnat(start)[:, None]
            ),
        )

    def interventions(self, types: tuple[int, ...] | None) -> np.ndarray:
        d = self.data
        mask = self.intervention_mask
        if types is not None:
            mask = mask & np.isin(d.intervention_type, types)[:, None]
        pair = np.asarray(d.intervention_record, dtype=np.int64) * 100 + d.intervention_type
        return counting.distinct_by_group(d.intervention_group, pair, mask, d.n_groups)

    @property
    def incidents(self) -> np.ndarray:
        d = self.data
        return self._cached(
            "incidents",
            lambda: counting.distinct_by_group(
                d.intervention_group, d.intervention_record, self.intervention_mask, d.n_groups
            ),
        )

    @property
    def people_restrained(self) -> np.ndarray:
        d = self.data
        return self._cached(
            "people_restrained",
            lambda: counting.distinct_by_group(
                d.intervention_group, d.intervention_patient, self.intervention_mask, d.n_groups
            ),
        )

    @property
    def people_in_hospital(self) -> np.ndarray:
        d = self.data

        def make() -> np.ndarray:
            mask = counting.in_period(d.stay_start, d.stay_end, self.periods)
            return counting.distinct_by_group(d.stay_group, d.stay_patient, mask, d.n_groups)

        return self._cached("people_in_hospital", make)

    def records_where(self, condition: np.ndarray, complete_only: bool) -> np.ndarray:
        d = self.data
        keep = np.asarray(condition, dtype=bool)
        if complete_only:
            keep = keep & np.asarray(d.record_complete, dtype=bool)
        mask = _in_period_by_record_start(d, self.periods) & keep[:, None]
        return counting.sum_by_group(d.record_group, mask.astype(np.int64), d.n_groups)

    def durations(self, types: tuple[int, ...], unit_seconds: float) -> dict[str, np.ndarray]:
        d = self.data
        chosen = np.isin(d.intervention_type, types)
        return counting.durations_by_group(
            d.intervention_group[chosen],
            d.intervention_start[chosen],
            d.intervention_end[chosen],
            self.periods,
            d.n_groups,
            unit_seconds=unit_seconds,
        )


def _types_of(measure: Measure) -> tuple[int, ...] | None:
    if not (measure.intervention_groups or measure.intervention_types):
        return None
    codes = {int(code) for code in measure.intervention_types}
    for group in measure.intervention_groups:
        codes.update(TYPE_GROUPS[group])
    return tuple(sorted(codes))


def _numerator(measure: Measure, counts: _Counts) -> np.ndarray:
    d = counts.data
    match measure.numerator:
        case "team_entered":
            entered = (d.team_entered or {}).get(measure.id)
            if entered is None:
                return np.full((d.n_groups, len(counts.periods)), np.nan)
            return entered[0]
        case "interventions":
            return counts.interventions(_types_of(measure))
        case "incidents":
            return counts.incidents
        case "people_restrained":
            return counts.people_restrained
        case "incidents_review_offered":
            return counts.records_where(d.record_review_offered, complete_only=True)
        case "incidents_with_injury":
            return counts.records_where(d.record_injury, complete_only=True)
        case "records_completed_within_24h":
            ends = np.asarray(d.record_end, dtype="datetime64[s]")
            done = np.asarray(d.record_completed_at, dtype="datetime64[s]")
            quick = ~np.isnat(done) & ~np.isnat(ends) & (done - ends <= np.timedelta64(1, "D"))
            return counts.records_where(quick, complete_only=False)
        case "physical_minutes_mean" | "physical_minutes_median" | "physical_minutes_max":
            statistic = measure.numerator.rsplit("_", 1)[1]
            key = {"max": "maximum"}.get(statistic, statistic)
            return counts.durations(TYPE_GROUPS["physical"], 60.0)[key]
        case "seclusion_hours_mean":
            return counts.durations(TYPE_GROUPS["seclusion"], 3600.0)["mean"]
    raise ValueError(f"{measure.id}: numerator {measure.numerator!r} is not computed from records")


def _denominator(measure: Measure, counts: _Counts) -> np.ndarray | None:
    d = counts.data
    match measure.denominator:
        case "bed_days":
            return counts.bed_days
        case "people_in_hospital":
            return counts.people_in_hospital.astype(float)
        case "incidents":
            return counts.incidents.astype(float)
        case "team_entered":
            entered = (d.team_entered or {}).get(measure.id)
            if entered is None or entered[1] is None:
                return np.full((d.n_groups, len(counts.periods)), np.nan)
            return entered[1]
        case "records":
            everything = np.ones(len(d.record_group), dtype=bool)
            complete_only = measure.numerator in {"incidents_review_offered"}
            return counts.records_where(everything, complete_only=complete_only).astype(float)
    return None


def compute_measures(
    data: RecordsData, periods: Periods, measures: list[Measure]
) -> list[MeasureValues]:
    """Every measure, from the records and from the values teams entered."""
    counts = _Counts(data, periods)
    results = []
    for measure in measures:
        numerator = _numerator(measure, counts).astype(float)
        denominator = _denominator(measure, counts)
        if denominator is None:
            value = numerator.copy()
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(
                    denominator > 0, numerator / denominator * measure.multiplier, np.nan
                )
        results.append(MeasureValues(measure, numerator, denominator, value))
    return results
