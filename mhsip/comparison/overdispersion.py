"""Over-dispersion: more spread between units than chance alone would give.

With large denominators almost every unit falls outside exact Poisson limits, because units really do
differ (case mix, recording practice) by more than sampling error. Spiegelhalter's remedy ("Handling
over-dispersion of performance indicators", Qual Saf Health Care 2005;14:347-351; and Stat Med
2005;24:1185-1202, §6) estimates that extra spread from the units themselves:

1. z-scores against the centre θ0: zᵢ = (yᵢ/Eᵢ - θ0) / sᵢ, with sᵢ² = V(θ0)/Eᵢ, V(θ) = θ for a
   Poisson rate and θ(1 - θ) for a proportion (Pearson residuals on the rate scale).
2. Winsorise them: the lowest 10% are set to the 10th percentile and the highest 10% to the 90th,
   so that the outliers we are looking for do not inflate the estimate.
3. Multiplicative model: φ = (1/I) Σ z_w², the dispersion ratio. Limits are widened by √φ when
   φ > 1 (never narrowed).
4. Additive (random-effects) model: τ² = (Iφ - (I - 1)) / (Σwᵢ - Σwᵢ²/Σwᵢ), wᵢ = 1/sᵢ², the
   DerSimonian-Laird moment estimate of the between-unit variance, 0 when Iφ <= I - 1. A unit's
   limits are widened by √((sᵢ² + τ²)/sᵢ²), more for large units than small ones.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

#: Spiegelhalter's (2005) choice: shrink the 10% most extreme z-scores at each end.
WINSORISE_FRACTION = 0.10


class Overdispersion(StrEnum):
    """How the limits allow for over-dispersion."""

    NONE = "none"
    MULTIPLICATIVE = "multiplicative"
    ADDITIVE = "additive"


def variance_function(centre: float, *, proportion: bool) -> float:
    """V(θ): the variance of one unit of denominator's worth of events."""
    return centre * (1 - centre) if proportion else centre


def winsorise(z: np.ndarray, fraction: float = WINSORISE_FRACTION) -> np.ndarray:
    """Values below the `fraction` percentile set to it, and above the 1 - `fraction` one likewise.

    Percentiles are numpy's default (linear interpolation, R's type 7).

    >>> winsorise(np.arange(11.0)).tolist()
    [1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 9.0]
    """
    low, high = np.percentile(z, [100 * fraction, 100 * (1 - fraction)])
    return np.clip(z, low, high)


def dispersion_ratio(z: np.ndarray, fraction: float = WINSORISE_FRACTION) -> float:
    """φ: the mean of the winsorised squared z-scores (1 when units vary only by chance)."""
    return float(np.mean(winsorise(z, fraction) ** 2))


def between_unit_variance(phi: float, variances: np.ndarray) -> float:
    """τ²: the additive between-unit variance, from φ and each unit's sampling variance sᵢ²."""
    units = len(variances)
    weights = 1 / np.asarray(variances, dtype=float)
    excess = units * phi - (units - 1)
    if excess <= 0:
        return 0.0
    return float(excess / (weights.sum() - (weights**2).sum() / weights.sum()))
