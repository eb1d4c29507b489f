"""Exact funnel-plot control limits for a count (Poisson) or a proportion (binomial).

A unit with exposure E (bed days) under the centre rate θ expects λ = θE events. Its control limits
at level L are the (1 - L)/2 and (1 + L)/2 quantiles of the count's distribution, divided by E
(Spiegelhalter 2005, "Funnel plots for comparing institutional performance", Stat Med 24:1185-1202,
§3 and Appendix A).

A count's quantiles are whole numbers, so the limits would jump in steps as E grows. Spiegelhalter
smooths them by interpolating linearly between the cumulative probabilities either side of the
quantile. We interpolate with the distribution functions' own continuous forms instead, which are
exact at every whole count and rise smoothly in between:

- Poisson: P(Y <= x) = Q(x + 1, λ), the regularised upper incomplete gamma function; for whole x
  this is the Poisson distribution function (equivalently P(chi-square on 2x + 2 df > 2λ)).
- Binomial: P(Y <= x) = I_{1-θ}(n - x, x + 1), the regularised incomplete beta function; for whole
  x this is the binomial distribution function.

The limit is the x at which that function equals the quantile's probability, found by bisection.
It lies in the same one-event step as Spiegelhalter's interpolated limit (both are within
(r - 1, r] of the exact quantile r), agrees with it wherever the probability falls on a whole count,
and, unlike the linear interpolation, never makes the limits widen as exposure grows (the linear
interpolation's upper limit wobbles up by up to about 1 part in 10^5 at small expected counts).
docs/statistics/funnel.md compares the two.

A unit's count y is outside the upper limit exactly when P(Y <= y) > (1 + L)/2, and below the lower
limit exactly when P(Y <= y) < (1 - L)/2: the limits are the exact tail tests, drawn as lines.
"""

from __future__ import annotations

import numpy as np
from scipy import special

#: Bisection steps: the bracket is at most about a million events wide, and 2^-64 of that is far
#: below a double's resolution of a count, so every limit is exact to the last digit that matters.
_BISECTION_STEPS = 64


def count_quantile(
    probability: float, expected: np.ndarray, trials: np.ndarray | None = None
) -> np.ndarray:
    """The continuous `probability` quantile of a Poisson (mean `expected`) or, given `trials`, a
    binomial (mean `expected`, so p = expected / trials) count, on the count scale, not below 0.

    >>> float(count_quantile(0.5, np.array(10.0)).round(4))
    9.3314
    """
    lam = np.asarray(expected, dtype=float)
    if trials is None:
        lo = np.full(lam.shape, -1.0)
        hi = lam + 20 * np.sqrt(lam) + 60

        def cdf(x: np.ndarray) -> np.ndarray:
            return special.gammaincc(x + 1, lam)

    else:
        n = np.asarray(trials, dtype=float)
        p = lam / n
        lo = np.full(np.broadcast(lam, n).shape, -1.0)
        hi = np.broadcast_to(n, lo.shape).astype(float)

        def cdf(x: np.ndarray) -> np.ndarray:
            return special.betainc(n - x, x + 1, 1 - p)

    for _ in range(_BISECTION_STEPS):
        mid = (lo + hi) / 2
        below = cdf(mid) < probability
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return np.maximum((lo + hi) / 2, 0.0)


def exact_limits(
    centre: float,
    denominators: np.ndarray,
    *,
    level: float,
    proportion: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper control limits, as rates (events per one unit of denominator), around
    `centre` at each denominator: Poisson limits for rates, binomial ones for proportions."""
    e = np.asarray(denominators, dtype=float)
    expected = centre * e
    trials = e if proportion else None
    tail = (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = count_quantile(tail, expected, trials) / e
        upper = count_quantile(1 - tail, expected, trials) / e
    return lower, upper
