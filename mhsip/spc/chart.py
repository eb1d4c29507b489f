"""The SPC pipeline: validate, split into phases, compute limits, apply the rules, classify.

`spc_chart` takes one series (1-D) or many series sharing the same dates (2-D: series x points)
and works on whole phases of all series at once; nothing loops over points in Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from mhsip.spc import rules
from mhsip.spc.classify import (
    PointType,
    assurance,
    last_judged_index,
    point_types,
    special_cause_direction,
    variation,
)
from mhsip.spc.constants import TRIAL_LIMITS_BELOW
from mhsip.spc.limits import LIMITS, Limits, PhaseInput
from mhsip.spc.options import ChartType, SpcOptions
from mhsip.spc.runs import RunsAnalysis, runs_analysis

_LINES = ("centre", "lower", "upper", "lower_2sigma", "upper_2sigma")


@dataclass(frozen=True)
class Phase:
    """A run of consecutive points with its own centre line and limits."""

    start: int  # column of its first point
    stop: int  # one past its last point
    limits: Limits  # before the multiplier; (S, 1) where constant over the phase
    runs: RunsAnalysis
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpcResult:
    """Everything computed for S series of T points. Arrays are (S, T) unless noted.

    Rule arrays hold the direction of the pattern a point belongs to (+1 high or increasing, -1 low
    or decreasing, 0 none); `point_type` holds `PointType` codes.
    """

    chart: ChartType
    options: SpcOptions
    dates: np.ndarray  # (T,)
    values: np.ndarray
    numerators: np.ndarray
    denominators: np.ndarray | None
    phase: np.ndarray  # (T,) phase index of each point
    excluded: np.ndarray  # (T,) bool
    outside_limits: np.ndarray
    shift: np.ndarray
    trend: np.ndarray
    two_in_three: np.ndarray
    point_type: np.ndarray
    variation: np.ndarray  # (S,) PointType codes
    assurance: np.ndarray  # (S,) Assurance or None
    phases: tuple[Phase, ...]

    # The lines are kept per phase and only laid out as (S, T) arrays when asked for: a caller
    # charting 100,000 wards for their icons never pays for five more 100,000 x T arrays.
    def line(self, name: str, series: int | None = None) -> np.ndarray:
        """One of centre, lower, upper, lower_2sigma, upper_2sigma: (S, T), or (T,) for a series."""
        rows = slice(None) if series is None else slice(series, series + 1)
        count = self.values.shape[0] if series is None else 1
        parts = [
            np.broadcast_to(getattr(p.limits, name)[rows], (count, p.stop - p.start))
            for p in self.phases
        ]
        laid_out = np.concatenate(parts, axis=1) * self.options.multiplier
        return laid_out if series is None else laid_out[0]

    @cached_property
    def centre(self) -> np.ndarray:
        return self.line("centre")

    @cached_property
    def lower(self) -> np.ndarray:
        return self.line("lower")

    @cached_property
    def upper(self) -> np.ndarray:
        return self.line("upper")

    @cached_property
    def lower_2sigma(self) -> np.ndarray:
        return self.line("lower_2sigma")

    @cached_property
    def upper_2sigma(self) -> np.ndarray:
        return self.line("upper_2sigma")

    @cached_property
    def moving_range(self) -> np.ndarray | None:
        """The XmR chart's moving ranges within each phase (None for other charts)."""
        if self.chart is not ChartType.XMR:
            return None
        return _moving_ranges(self.values, [p.start for p in self.phases])

    @property
    def special_cause(self) -> np.ndarray:
        return (self.outside_limits | self.shift | self.trend | self.two_in_three) != 0

    @property
    def series_count(self) -> int:
        return self.values.shape[0]

    def to_dict(self, series: int = 0) -> dict[str, Any]:
        """One series as the JSON object of the `mhsip spc` command-line contract."""
        special = self.special_cause[series]
        lines = {name: self.line(name, series) for name in _LINES}
        phases = []
        for index, phase in enumerate(self.phases):
            phases.append(
                {
                    "start": _label(self.dates[phase.start]),
                    "centre": _number(lines["centre"][phase.start]),
                    "points": phase.stop - phase.start,
                    "useful_points": int(phase.runs.useful_points[series]),
                    "longest_run": _number(phase.runs.longest_run[series]),
                    "longest_run_max": _number(phase.runs.longest_run_max[series]),
                    "crossings": _number(phase.runs.crossings[series]),
                    "crossings_min": _number(phase.runs.crossings_min[series]),
                    "runs_signal": bool(phase.runs.signal[series]),
                    "warnings": list(phase.warnings),
                    "phase": index,
                }
            )
        points = []
        for column in range(self.values.shape[1]):
            point: dict[str, Any] = {
                "date": _label(self.dates[column]),
                "value": _number(self.values[series, column]),
                "denominator": None
                if self.denominators is None
                else _number(self.denominators[series, column]),
                "phase": int(self.phase[column]),
            }
            for name in _LINES:
                point[name] = _number(lines[name][column])
            point.update(
                outside_limits=bool(self.outside_limits[series, column]),
                shift=bool(self.shift[series, column]),
                trend=bool(self.trend[series, column]),
                two_in_three=bool(self.two_in_three[series, column]),
                special_cause=bool(special[column]),
                point_type=PointType(int(self.point_type[series, column])).label,
                excluded=bool(self.excluded[column]),
            )
            if self.denominators is not None:
                point["numerator"] = _number(self.numerators[series, column])
            if self.moving_range is not None:
                point["moving_range"] = _number(self.moving_range[series, column])
            points.append(point)
        found = self.assurance[series]
        return {
            "chart": self.chart.value,
            "variation": PointType(int(self.variation[series])).label,
            "assurance": None if found is None else str(found),
            "improvement": self.options.improvement.value,
            "target": self.options.target,
            "phases": phases,
            "points": points,
        }


def _number(value: Any) -> float | int | None:
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _label(value: Any) -> str:
    if isinstance(value, np.datetime64):
        return str(np.datetime_as_string(value, unit="D"))
    return str(value)


def _as_matrix(name: str, data: Any) -> np.ndarray:
    array = np.asarray(data, dtype=float)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2:
        raise ValueError(f"{name} must be one series (1-D) or series x points (2-D)")
    return array


def _positions(wanted: Sequence[Any], dates: np.ndarray | None, what: str) -> list[int]:
    """Columns of the given dates (or positions, when the chart has no dates)."""
    if dates is None:
        return [int(p) for p in wanted]
    positions = []
    for item in wanted:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            positions.append(int(item))
            continue
        matches = np.flatnonzero(dates == np.asarray(item, dtype=dates.dtype))
        if len(matches) == 0:
            raise ValueError(f"{what} date {item} is not one of the chart's dates")
        positions.append(int(matches[0]))
    return positions


def _phase_starts(rebase: Sequence[int], width: int) -> list[int]:
    for position in rebase:
        if not 0 <= position < width:
            raise ValueError(f"rebase position {position} is outside the chart (0..{width - 1})")
    return sorted({0, *rebase})


def _moving_ranges(values: np.ndarray, starts: list[int]) -> np.ndarray:
    """|y[i] - y[i-1]| within each phase; the first point of a phase has none."""
    ranges = np.full(values.shape, np.nan)
    for start, stop in zip(starts, [*starts[1:], values.shape[1]], strict=True):
        ranges[:, start + 1 : stop] = np.abs(np.diff(values[:, start:stop], axis=1))
    return ranges


def _plotted_values(
    chart: ChartType, counts: np.ndarray, denominators: np.ndarray | None
) -> np.ndarray:
    if denominators is None:
        return counts.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominators > 0, counts / denominators, np.nan)


def _validate(chart: ChartType, counts: np.ndarray, denominators: np.ndarray | None) -> None:
    if chart.needs_denominator and denominators is None:
        raise ValueError(f"a {chart.value} chart needs a denominator for every point")
    if denominators is not None:
        if not chart.accepts_denominator:
            raise ValueError(f"a {chart.value} chart takes no denominator")
        if denominators.shape != counts.shape:
            raise ValueError("values and denominators must have the same shape")
        if np.any(denominators < 0):
            raise ValueError("denominators must not be negative")
    counts_events = {ChartType.P, ChartType.PP, ChartType.U, ChartType.UP, ChartType.C, ChartType.G}
    if chart in counts_events and np.any(counts < 0):
        raise ValueError(f"a {chart.value} chart counts events, which cannot be negative")
    if chart in {ChartType.P, ChartType.PP} and np.any(counts > denominators):
        raise ValueError("a p chart's numerator cannot exceed its denominator")
    if chart is ChartType.T and np.any(counts <= 0):
        raise ValueError("times between events must be greater than zero")


def spc_chart(
    values: Any,
    *,
    chart: ChartType | str = ChartType.XMR,
    denominators: Any = None,
    dates: Any = None,
    rebase: Sequence[Any] = (),
    exclude: Sequence[Any] = (),
    options: SpcOptions | None = None,
) -> SpcResult:
    """Compute an SPC chart for one or many series.

    `values` is (T,) or (S, T): counts for p/u/c charts, measurements otherwise; NaN is a missing
    point. `denominators` has the same shape (required for p, p', u, u'; optional for xmr, mr and
    run, which then chart value / denominator). A zero denominator makes the point missing.
    `rebase` starts a new phase at each given date (or position); `exclude` leaves points out of
    every calculation while still showing them.
    """
    chart = ChartType(chart)
    options = options or SpcOptions()
    counts = _as_matrix("values", values)
    denoms = None if denominators is None else _as_matrix("denominators", denominators)
    with np.errstate(invalid="ignore"):
        _validate(chart, counts, denoms)
    width = counts.shape[1]
    date_labels = None if dates is None else np.asarray(dates)
    if date_labels is not None and date_labels.shape != (width,):
        raise ValueError(f"dates must have one entry per point ({width}), not {date_labels.shape}")

    starts = _phase_starts(_positions(rebase, date_labels, "rebase"), width)
    excluded = np.zeros(width, dtype=bool)
    excluded[_positions(exclude, date_labels, "exclude")] = True
    phase_of = np.zeros(width, dtype=np.int64)
    for index, start in enumerate(starts):
        phase_of[start:] = index

    plotted = _plotted_values(chart, counts, denoms)
    # A point with no exposure (a ward closed all month) has no rate: it is a missing point.
    usable_counts, usable_denoms = counts, denoms
    if denoms is not None:
        no_exposure = ~(denoms > 0)
        if no_exposure.any():
            usable_counts = np.where(no_exposure, np.nan, counts)
            usable_denoms = np.where(no_exposure, np.nan, denoms)
    if chart is ChartType.MR:
        plotted = _moving_ranges(plotted, starts)

    shape = plotted.shape
    flags = {name: np.zeros(shape, dtype=np.int8) for name in ("outside", "shift", "trend", "two")}
    judged = ~np.isnan(plotted) & ~excluded
    phases = []
    for start, stop in zip(starts, [*starts[1:], width], strict=True):
        span = slice(start, stop)
        baseline = ~excluded[span]
        if options.fix_after is not None:
            baseline[options.fix_after :] = False
        limits = LIMITS[chart](
            PhaseInput(
                values=plotted[:, span],
                counts=usable_counts[:, span],
                denominators=None if usable_denoms is None else usable_denoms[:, span],
                baseline=baseline,
                screen_outliers=options.screen_outliers,
            )
        )
        _apply_rules(plotted[:, span], limits, ~excluded[span], options, flags, span)

        sides = rules.side_of_centre(plotted[:, span], limits.centre)
        sides[:, excluded[span]] = 0
        runs = runs_analysis(sides)
        if chart is ChartType.MR:
            # qicharts2 ignores the runs analysis on MR charts: moving ranges are autocorrelated.
            runs = RunsAnalysis(**{**runs.__dict__, "signal": np.zeros_like(runs.signal)})
        warnings = ()
        if stop - start < TRIAL_LIMITS_BELOW:
            warnings = (
                (
                    f"trial limits: this phase has {stop - start} points; limits settle from "
                    f"{TRIAL_LIMITS_BELOW} points"
                ),
            )
        phases.append(Phase(start=start, stop=stop, limits=limits, runs=runs, warnings=warnings))

    if options.multiplier != 1:
        plotted = plotted * options.multiplier

    direction = special_cause_direction(
        flags["outside"], flags["trend"], flags["two"], flags["shift"]
    )
    types = point_types(direction, judged, options.improvement)
    last = np.maximum(last_judged_index(judged), 0)
    last_lower = _line_at(phases, "lower", last, phase_of) * options.multiplier
    last_upper = _line_at(phases, "upper", last, phase_of) * options.multiplier

    return SpcResult(
        chart=chart,
        options=options,
        dates=date_labels if date_labels is not None else np.arange(width),
        values=plotted,
        numerators=counts,
        denominators=denoms,
        phase=phase_of,
        excluded=excluded,
        outside_limits=flags["outside"],
        shift=flags["shift"],
        trend=flags["trend"],
        two_in_three=flags["two"],
        point_type=types,
        variation=variation(types, judged),
        assurance=assurance(options.target, last_lower, last_upper, options.improvement),
        phases=tuple(phases),
    )


def _line_at(
    phases: list[Phase], name: str, columns: np.ndarray, phase_of: np.ndarray
) -> np.ndarray:
    """The value of a line at one column per series, read from the phase that holds it."""
    found = np.full(columns.shape, np.nan)
    for index, phase in enumerate(phases):
        rows = np.flatnonzero(phase_of[columns] == index)
        line = getattr(phase.limits, name)
        offsets = 0 if line.shape[1] == 1 else columns[rows] - phase.start
        found[rows] = line[rows, offsets]
    return found


def _apply_rules(
    values: np.ndarray,
    limits: Limits,
    included: np.ndarray,
    options: SpcOptions,
    flags: dict[str, np.ndarray],
    span: slice,
) -> None:
    """Apply every MDC rule to the included points of one phase (excluded points are skipped,
    so a run continues across them) and write the flags into `flags`."""
    if included.all():
        # The common case: slices are views, so nothing is copied.
        columns: slice | np.ndarray = span
        kept = values

        def lines(name: str) -> np.ndarray:
            return getattr(limits, name)
    else:
        columns = np.arange(span.start, span.stop)[included]
        kept = values[:, included]

        def lines(name: str) -> np.ndarray:
            line = getattr(limits, name)
            return line if line.shape[1] == 1 else line[:, included]

    flags["outside"][:, columns] = rules.outside_limits(kept, lines("lower"), lines("upper"))
    flags["shift"][:, columns] = rules.shift(kept, lines("centre"), options.shift_length)
    flags["trend"][:, columns] = rules.trend(kept, options.trend_length)
    flags["two"][:, columns] = rules.two_in_three(
        kept,
        lines("centre"),
        lines("lower"),
        lines("upper"),
        lines("lower_2sigma"),
        lines("upper_2sigma"),
        counts_outside=options.two_in_three_counts_outside,
    )
