"""Progress towards the programme's aim: a 25% reduction against a baseline.

For one ward (or provider) and one rate measure: the baseline rate, the current rate (the most
recent months), the change with a 95% confidence interval (the exact conditional interval of the
rate ratio), whether the aim is met, and whether SPC shows a sustained shift from the baseline
(limits fixed on the baseline months and extended, as Making Data Count advises).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mhsip.equity.rates import rate_ratio
from mhsip.spc import ChartType, SpcOptions, spc_chart
from mhsip.spc.constants import MIN_FIX_AFTER

#: Months that make "the current rate": long enough to smooth a single bad month.
CURRENT_MONTHS = 6


@dataclass(frozen=True)
class AimProgress:
    baseline_rate: float | None
    current_rate: float | None
    target_rate: float | None
    #: current / baseline, and its 95% interval
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    reduction_percent: float
    met: bool
    #: True / False, or None when the baseline is too short for SPC limits
    sustained_shift: bool | None
    baseline_points: int
    current_points: int

    @property
    def change_percent(self) -> float | None:
        return None if self.ratio is None else (self.ratio - 1) * 100

    @property
    def change_interval(self) -> tuple[float, float] | None:
        if self.ratio_lower is None or self.ratio_upper is None:
            return None
        return (self.ratio_lower - 1) * 100, (self.ratio_upper - 1) * 100

    @property
    def clearly_lower(self) -> bool:
        """The whole 95% interval of the change is a reduction."""
        return self.ratio_upper is not None and self.ratio_upper < 1


def _number(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def aim_progress(
    events: np.ndarray,
    exposure: np.ndarray,
    *,
    baseline: slice,
    multiplier: float = 1000,
    reduction_percent: float = 25,
    current_months: int = CURRENT_MONTHS,
) -> AimProgress:
    """`events` and `exposure` per period (1-D); `baseline` selects the baseline periods.

    The current window is the last `current_months` periods after the baseline.
    """
    events = np.asarray(events, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    after = np.arange(len(events)) >= (baseline.stop or 0)
    current = np.flatnonzero(after & (exposure > 0))[-current_months:]
    base = np.arange(len(events))[baseline]
    base = base[exposure[base] > 0]

    base_events, base_exposure = events[base].sum(), exposure[base].sum()
    now_events, now_exposure = events[current].sum(), exposure[current].sum()
    baseline_rate = base_events / base_exposure * multiplier if base_exposure > 0 else np.nan
    current_rate = now_events / now_exposure * multiplier if now_exposure > 0 else np.nan
    target = baseline_rate * (1 - reduction_percent / 100)
    ratio = rate_ratio(now_events, now_exposure, base_events, base_exposure)

    sustained = None
    if len(base) >= MIN_FIX_AFTER and len(current):
        start = base[0]
        chart = spc_chart(
            events[start:],
            denominators=exposure[start:],
            chart=ChartType.U,
            options=SpcOptions(improvement="decrease", fix_after=int(baseline.stop - start)),
        )
        after_baseline = slice(baseline.stop - start, None)
        sustained = bool((chart.shift[0, after_baseline] < 0).any())

    met = bool(np.isfinite(current_rate) and np.isfinite(target) and current_rate <= target)
    return AimProgress(
        baseline_rate=_number(baseline_rate),
        current_rate=_number(current_rate),
        target_rate=_number(target),
        ratio=_number(float(ratio.ratio)),
        ratio_lower=_number(float(ratio.lower)),
        ratio_upper=_number(float(ratio.upper)),
        reduction_percent=reduction_percent,
        met=met,
        sustained_shift=sustained,
        baseline_points=len(base),
        current_points=len(current),
    )
