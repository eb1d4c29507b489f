"""Centre lines and limits, one function per chart type, all with the same signature.

Each function works on one phase of many series at once: arrays are (series, points in the phase)
and `baseline` marks the columns used for the calculation (the first N points when limits are
fixed, less any excluded points). Values are on the chart's own scale before the multiplier.
Formulas follow qicharts2 0.8.1 `R/helper.functions.R` and, for XmR, NHSRplotthedots 0.2.2
`R/ptd_spc_standard.R`; the docstrings cite the textbook source as those packages do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mhsip.spc import _nan
from mhsip.spc.constants import (
    I_CHART_D2,
    MDC_XMR_CLOSE,
    MDC_XMR_LIMIT,
    MR_UPPER_FACTOR,
    SIGMA_LIMIT,
    SIGMA_WARNING,
    T_CHART_EXPONENT,
)
from mhsip.spc.options import ChartType


@dataclass(frozen=True)
class PhaseInput:
    """One phase of many series: plotted values, raw counts and denominators, (S, m) each."""

    values: np.ndarray
    counts: np.ndarray
    denominators: np.ndarray | None
    baseline: np.ndarray  # (m,) bool
    screen_outliers: bool


@dataclass(frozen=True)
class Limits:
    """Centre line and limits of one phase, each (S, m) or, when constant over the phase, (S, 1);
    NaN where a line does not exist."""

    centre: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lower_2sigma: np.ndarray
    upper_2sigma: np.ndarray


def _rows(per_row: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A per-series constant as an (S, 1) column: it broadcasts against (S, m) without copies."""
    return np.asarray(per_row, dtype=float).reshape(shape[0], 1)


def _no_limits(centre: np.ndarray, shape: tuple[int, int]) -> Limits:
    missing = np.full((shape[0], 1), np.nan)
    return Limits(_rows(centre, shape), missing, missing, missing, missing)


def _symmetric(centre: np.ndarray, sigma: np.ndarray, shape: tuple[int, int]) -> Limits:
    return Limits(
        centre,
        centre - SIGMA_LIMIT * sigma,
        centre + SIGMA_LIMIT * sigma,
        centre - SIGMA_WARNING * sigma,
        centre + SIGMA_WARNING * sigma,
    )


def _clip(limits: Limits, low: float | None = 0.0, high: float | None = None) -> Limits:
    def clip(a: np.ndarray) -> np.ndarray:
        return np.clip(a, low, high)

    return Limits(
        limits.centre,
        clip(limits.lower),
        clip(limits.upper),
        clip(limits.lower_2sigma),
        clip(limits.upper_2sigma),
    )


def mean_moving_range(x: np.ndarray, *, screen: bool) -> np.ndarray:
    """Mean of |x[i] - x[i-1]| along each row; a missing value leaves its two ranges out.

    With `screen`, ranges at or above 3.267 x the mean are dropped and the mean taken again, once
    (Nelson 1982; NHSRplotthedots keeps `mr < 3.267 * amr`, as does qicharts2).
    """
    moving_ranges = np.abs(np.diff(x, axis=-1))
    average = _nan.row_mean(moving_ranges)
    if screen:
        with np.errstate(invalid="ignore"):
            kept = moving_ranges < MR_UPPER_FACTOR * average[:, None]
        average = _nan.row_mean(np.where(kept, moving_ranges, np.nan))
    return average


def xmr_limits(phase: PhaseInput) -> Limits:
    """MDC XmR: mean +/- 2.66 x mean MR, 2-sigma lines at 2/3 of that."""
    base = phase.values[:, phase.baseline]
    shape = phase.values.shape
    centre = _rows(_nan.row_mean(base), shape)
    spread = _rows(mean_moving_range(base, screen=phase.screen_outliers), shape)
    return Limits(
        centre,
        centre - MDC_XMR_LIMIT * spread,
        centre + MDC_XMR_LIMIT * spread,
        centre - MDC_XMR_CLOSE * spread,
        centre + MDC_XMR_CLOSE * spread,
    )


def run_limits(phase: PhaseInput) -> Limits:
    """Run chart: the median, no limits (qicharts2 `qic.run`)."""
    return _no_limits(_nan.row_median(phase.values[:, phase.baseline]), phase.values.shape)


def mr_limits(phase: PhaseInput) -> Limits:
    """MR chart: mean MR, upper limit D4 x mean MR, lower 0 (qicharts2 `qic.mr`, unscreened)."""
    shape = phase.values.shape
    centre = _rows(_nan.row_mean(phase.values[:, phase.baseline]), shape)
    zero = np.where(np.isnan(centre), np.nan, 0.0)
    return Limits(
        centre,
        zero,
        MR_UPPER_FACTOR * centre,
        zero,
        MR_UPPER_FACTOR / SIGMA_LIMIT * SIGMA_WARNING * centre,
    )


def _pooled_rate(phase: PhaseInput) -> np.ndarray:
    """Sum of events over sum of denominators across the baseline (points with both known)."""
    counts = phase.counts[:, phase.baseline]
    denominators = phase.denominators[:, phase.baseline]
    known = ~(np.isnan(counts) | np.isnan(denominators))
    events = np.where(known, counts, 0.0).sum(axis=-1)
    exposure = np.where(known, denominators, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(exposure > 0, events / exposure, np.nan)


def _laney_sigma_z(phase: PhaseInput, centre: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """Laney (2002): the spread of z-scores from their moving ranges, mean |dz| / 1.128."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (phase.values - centre) / sigma
    z = np.where(np.isfinite(z), z, np.nan)[:, phase.baseline]
    return mean_moving_range(z, screen=phase.screen_outliers) / I_CHART_D2


def p_limits(phase: PhaseInput) -> Limits:
    """p chart: p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i), within [0, 1] (Montgomery 7.8)."""
    shape = phase.values.shape
    centre = _rows(_pooled_rate(phase), shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(centre * (1 - centre) / phase.denominators)
    return _clip(_symmetric(centre, sigma, shape), 0.0, 1.0)


def pp_limits(phase: PhaseInput) -> Limits:
    """Laney p' chart: the p chart's sigma times sigma_z."""
    shape = phase.values.shape
    centre = _rows(_pooled_rate(phase), shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(centre * (1 - centre) / phase.denominators)
    sigma = sigma * _laney_sigma_z(phase, centre, sigma)[:, None]
    return _clip(_symmetric(centre, sigma, shape), 0.0, 1.0)


def u_limits(phase: PhaseInput) -> Limits:
    """u chart: u-bar +/- 3 sqrt(u-bar / n_i), lower limit not below 0 (Montgomery 7.19)."""
    shape = phase.values.shape
    centre = _rows(_pooled_rate(phase), shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(centre / phase.denominators)
    return _clip(_symmetric(centre, sigma, shape), 0.0)


def up_limits(phase: PhaseInput) -> Limits:
    """Laney u' chart: the u chart's sigma times sigma_z."""
    shape = phase.values.shape
    centre = _rows(_pooled_rate(phase), shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(centre / phase.denominators)
    sigma = sigma * _laney_sigma_z(phase, centre, sigma)[:, None]
    return _clip(_symmetric(centre, sigma, shape), 0.0)


def c_limits(phase: PhaseInput) -> Limits:
    """c chart: c-bar +/- 3 sqrt(c-bar), lower limit not below 0 (Montgomery 7.17)."""
    shape = phase.values.shape
    centre = _nan.row_mean(phase.values[:, phase.baseline])
    return _clip(_symmetric(_rows(centre, shape), _rows(np.sqrt(centre), shape), shape), 0.0)


def t_limits(phase: PhaseInput) -> Limits:
    """t chart: an I chart of y^(1/3.6) (Nelson 1994), lines raised back to the power 3.6.

    A lower line that falls below 0 on the transformed scale has no real back-transform: the lower
    limit becomes 0 and the lower 2-sigma line is left out, as in qicharts2 `qic.t`.
    """
    shape = phase.values.shape
    transformed = phase.values ** (1 / T_CHART_EXPONENT)
    base = transformed[:, phase.baseline]
    centre = _rows(_nan.row_mean(base), shape)
    sigma = _rows(mean_moving_range(base, screen=phase.screen_outliers) / I_CHART_D2, shape)
    on_transformed_scale = _symmetric(centre, sigma, shape)

    def back(a: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.where(a >= 0, np.abs(a) ** T_CHART_EXPONENT, np.nan)

    lower = back(on_transformed_scale.lower)
    return Limits(
        back(on_transformed_scale.centre),
        np.where(np.isnan(lower) & ~np.isnan(centre) & ~np.isnan(sigma), 0.0, lower),
        back(on_transformed_scale.upper),
        back(on_transformed_scale.lower_2sigma),
        back(on_transformed_scale.upper_2sigma),
    )


def g_limits(phase: PhaseInput) -> Limits:
    """g chart: limits g-bar +/- 3 sqrt(g-bar (g-bar + 1)) from the mean (Montgomery p. 319);
    the centre line shown, and used by the rules, is the median (qicharts2 `qic.g`)."""
    shape = phase.values.shape
    base = phase.values[:, phase.baseline]
    mean = _rows(_nan.row_mean(base), shape)
    limits = _clip(_symmetric(mean, np.sqrt(mean * (mean + 1)), shape), 0.0)
    return Limits(
        _rows(_nan.row_median(base), shape),
        limits.lower,
        limits.upper,
        limits.lower_2sigma,
        limits.upper_2sigma,
    )


LIMITS: dict[ChartType, Callable[[PhaseInput], Limits]] = {
    ChartType.XMR: xmr_limits,
    ChartType.RUN: run_limits,
    ChartType.MR: mr_limits,
    ChartType.P: p_limits,
    ChartType.PP: pp_limits,
    ChartType.U: u_limits,
    ChartType.UP: up_limits,
    ChartType.C: c_limits,
    ChartType.T: t_limits,
    ChartType.G: g_limits,
}
