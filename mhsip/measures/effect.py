""" "Did it work?": the measure before and after a change, judged the way an improvement coach
would, and said in plain English.

A change is credited only when two things agree: SPC shows a special-cause shift in the improvement
direction after the change (limits fixed on the months before it, MDC's advice for judging a
change), and the 95% interval of the rate ratio (after / before) lies wholly on the improving
side of no change. Anything less is reported as not (yet) clear, with the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import numpy as np

from mhsip.equity.rates import rate_ratio
from mhsip.spc import ChartType, ImprovementDirection, SpcOptions, spc_chart
from mhsip.spc.constants import DEFAULT_SHIFT_LENGTH, MIN_FIX_AFTER

#: Other changes this close (in periods) to the one judged muddy the answer.
NEARBY_PERIODS = 3


class Verdict(StrEnum):
    WORKED = "worked"  # a shift in the improvement direction and an interval clear of no change
    WORSENED = "worsened"  # the same, in the wrong direction
    NOT_CLEAR = "not_clear"  # neither, or not both
    TOO_EARLY = "too_early"  # too few points after the change to judge a shift


@dataclass(frozen=True)
class ChangeEffect:
    verdict: Verdict
    rate_before: float | None
    rate_after: float | None
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    shift_after: bool
    points_before: int
    points_after: int
    caveats: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def change_percent(self) -> float | None:
        return None if self.ratio is None else (self.ratio - 1) * 100


def _number(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def judge_change(
    events: np.ndarray,
    exposure: np.ndarray | None,
    *,
    change_index: int,
    improvement: ImprovementDirection | str = ImprovementDirection.DECREASE,
    multiplier: float = 1000,
    labels: list[str] | None = None,
    other_changes: list[tuple[int, str]] | None = None,
    measure_name: str = "the rate",
) -> ChangeEffect:
    """Judge the change made at period `change_index` (the first period after it).

    `events` per period, and `exposure` (bed days) for a rate, or None for a plain count.
    `other_changes` are (period index, name) of other changes the team made.
    """
    improvement = ImprovementDirection(improvement)
    events = np.asarray(events, dtype=float)
    counts_only = exposure is None
    exposure = np.ones_like(events) if counts_only else np.asarray(exposure, dtype=float)
    usable = ~np.isnan(events) & (exposure > 0)
    before = np.flatnonzero(usable[:change_index])
    after = change_index + np.flatnonzero(usable[change_index:])
    scale = 1.0 if counts_only else multiplier

    def rate(index: np.ndarray) -> float:
        total = exposure[index].sum()
        return events[index].sum() / total * scale if total > 0 else np.nan

    ratio = rate_ratio(
        events[after].sum(), exposure[after].sum(), events[before].sum(), exposure[before].sum()
    )
    caveats: list[str] = []

    shift_after = False
    if len(before) >= 2 and len(after) >= 1:
        start = int(before[0])
        fix = change_index - start
        chart = spc_chart(
            events[start:],
            denominators=None if counts_only else exposure[start:],
            chart=ChartType.C if counts_only else ChartType.U,
            options=SpcOptions(
                improvement=improvement, fix_after=fix if fix >= MIN_FIX_AFTER else None
            ),
            rebase=[] if fix >= MIN_FIX_AFTER else [fix],
        )
        # Shift flags are +1 above the centre line and -1 below: the improving side is the
        # improvement direction's sign (below for "decrease"); any shift for "neutral".
        flags = chart.shift[0, fix:]
        wanted = flags == improvement.sign if improvement.sign else flags != 0
        shift_after = bool(wanted.any())
        if fix < MIN_FIX_AFTER:
            caveats.append(
                f"Only {len(before)} months before the change: fewer than {MIN_FIX_AFTER}, so "
                "the limits are not fixed on them and a shift is judged within each period."
            )
    if len(after) < DEFAULT_SHIFT_LENGTH:
        caveats.append(
            f"Only {len(after)} months since the change: a sustained shift needs "
            f"{DEFAULT_SHIFT_LENGTH}."
        )
    for index, name in other_changes or []:
        if abs(index - change_index) <= NEARBY_PERIODS:
            when = f" ({labels[index]})" if labels and 0 <= index < len(labels) else ""
            caveats.append(
                f"Another change was made at about the same time: {name}{when}. The effect "
                "cannot be put down to one change alone."
            )

    lower, upper = _number(ratio.lower), _number(ratio.upper)
    better_if_lower = improvement is not ImprovementDirection.INCREASE
    clear_better = (
        (upper is not None and upper < 1) if better_if_lower else (lower is not None and lower > 1)
    )
    clear_worse = (
        (lower is not None and lower > 1) if better_if_lower else (upper is not None and upper < 1)
    )
    if improvement is ImprovementDirection.NEUTRAL:
        clear_better = clear_worse = False

    if len(after) < DEFAULT_SHIFT_LENGTH and not (shift_after and clear_better):
        verdict = Verdict.TOO_EARLY
    elif shift_after and clear_better:
        verdict = Verdict.WORKED
    elif clear_worse:
        verdict = Verdict.WORSENED
    else:
        verdict = Verdict.NOT_CLEAR

    effect = ChangeEffect(
        verdict=verdict,
        rate_before=_number(rate(before)) if len(before) else None,
        rate_after=_number(rate(after)) if len(after) else None,
        ratio=_number(ratio.ratio),
        ratio_lower=lower,
        ratio_upper=upper,
        shift_after=shift_after,
        points_before=len(before),
        points_after=len(after),
        caveats=caveats,
    )
    return _with_summary(effect, measure_name)


def _with_summary(effect: ChangeEffect, measure_name: str) -> ChangeEffect:
    def n(value: float | None) -> str:
        return "-" if value is None else f"{value:,.1f}"

    numbers = (
        f"{measure_name.capitalize()} went from {n(effect.rate_before)} before the change to "
        f"{n(effect.rate_after)} after it"
    )
    if effect.ratio is not None and effect.ratio_lower is not None:
        numbers += (
            f" (rate ratio {effect.ratio:.2f}, 95% confidence interval "
            f"{effect.ratio_lower:.2f} to "
            f"{'-' if effect.ratio_upper is None else f'{effect.ratio_upper:.2f}'})"
        )
    numbers += "."
    opening = {
        Verdict.WORKED: "Yes, it looks like it worked: a sustained shift in the improving "
        "direction followed the change, and the difference is beyond chance.",
        Verdict.WORSENED: "It looks worse, not better: the difference is beyond chance, in "
        "the wrong direction.",
        Verdict.NOT_CLEAR: "Not clear: the chart shows no sustained shift in the improving "
        "direction after the change, or the difference could be chance."
        if not effect.shift_after
        else "Not clear: the chart shows a shift, but the difference in rates could still be "
        "chance.",
        Verdict.TOO_EARLY: "Too early to tell.",
    }[effect.verdict]
    object.__setattr__(effect, "summary", f"{opening} {numbers}")
    return effect


def period_index(labels: list[str], day: date) -> int:
    """The period a date falls in, for monthly labels (YYYY-MM)."""
    wanted = day.strftime("%Y-%m")
    for index, label in enumerate(labels):
        if label >= wanted:
            return index
    return len(labels)
