"""Exact intervals for rates and ratios of rates.

- A Poisson count's exact (Garwood 1936) interval: chi-square quantiles, chi2(a/2, 2k)/2 and
  chi2(1 - a/2, 2k + 2)/2, divided by the exposure.
- The ratio of two rates, conditional on the total events (Breslow & Day 1987, §7.3): given
  k1 + k2 events, k1 is binomial with p = r E1 / (r E1 + E2); the exact (Clopper-Pearson)
  interval for p gives the interval for r = p/(1 - p) x E2/E1.
- The ratio of two proportions (risk ratio) with the Katz log interval.
All functions take arrays and broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

Z_95 = stats.norm.ppf(0.975)


def poisson_rate_interval(
    events: np.ndarray, exposure: np.ndarray, *, multiplier: float = 1.0, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact interval for events / exposure x multiplier (NaN where exposure is not positive)."""
    k = np.asarray(events, dtype=float)
    e = np.asarray(exposure, dtype=float)
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
        scale = np.where(e > 0, multiplier / e, np.nan)
    return lower * scale, upper * scale


@dataclass(frozen=True)
class RateRatio:
    ratio: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def rate_ratio(
    events: np.ndarray,
    exposure: np.ndarray,
    reference_events: np.ndarray,
    reference_exposure: np.ndarray,
    *,
    level: float = 0.95,
) -> RateRatio:
    """Rate of the group over the reference's, with the exact conditional interval.

    With no events in either group the ratio and its interval are NaN (nothing to compare).
    """
    k1 = np.asarray(events, dtype=float)
    k2 = np.asarray(reference_events, dtype=float)
    e1 = np.asarray(exposure, dtype=float)
    e2 = np.asarray(reference_exposure, dtype=float)
    n = k1 + k2
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        p_low = np.where(k1 > 0, stats.beta.ppf(alpha / 2, k1, k2 + 1), 0.0)
        p_high = np.where(k2 > 0, stats.beta.ppf(1 - alpha / 2, k1 + 1, k2), 1.0)
        scale = e2 / e1
        ratio = (k1 / e1) / (k2 / e2)
        lower = p_low / (1 - p_low) * scale
        upper = np.where(p_high < 1, p_high / (1 - p_high) * scale, np.inf)
    nothing = (n == 0) | ~(e1 > 0) | ~(e2 > 0)
    return RateRatio(
        np.where(nothing, np.nan, ratio),
        np.where(nothing, np.nan, lower),
        np.where(nothing, np.nan, upper),
    )


def risk_ratio(
    cases: np.ndarray,
    total: np.ndarray,
    reference_cases: np.ndarray,
    reference_total: np.ndarray,
    *,
    level: float = 0.95,
) -> RateRatio:
    """Proportion of the group over the reference's, with the Katz log interval.

    Undefined (NaN) when either group has no cases: the log interval needs a case on each side.
    """
    a = np.asarray(cases, dtype=float)
    n1 = np.asarray(total, dtype=float)
    c = np.asarray(reference_cases, dtype=float)
    n2 = np.asarray(reference_total, dtype=float)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (a / n1) / (c / n2)
        spread = np.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
        lower = ratio * np.exp(-z * spread)
        upper = ratio * np.exp(z * spread)
    undefined = (a == 0) | (c == 0) | ~(n1 > 0) | ~(n2 > 0)
    return RateRatio(
        np.where(undefined, np.nan, ratio),
        np.where(undefined, np.nan, lower),
        np.where(undefined, np.nan, upper),
    )
