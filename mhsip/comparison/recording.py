"""Recording checks: counts implausibly low for the exposure behind them.

Restraint is known to be under-recorded (../shared/docs/domain.md §1.8: PROD-ALERT found large
providers reporting none), so a ward whose records fall silent while its beds are full is a
question for the data, before it is a bright spot. Two checks, both Poisson tail tests:

- **against peers**: a unit's count over the period against the pooled rate of its peer group
  (wards of the same type) at its own exposure. This is exactly the funnel plot's lower 99.8%
  limit (mhsip.comparison.funnel): a unit flagged here is a `low` unit of the peer group's funnel.
- **against its own other periods**: each month's count against the rate the unit recorded in
  its other months, at that month's exposure. A month with no records on a ward that usually
  records 15 a month is flagged; a quiet month on a ward that records 1 a month is not.

A count is *implausibly few* when, at the expected rate, a count as low or lower would happen by
chance less than once in 1,000: the lower tail of the 99.8% limits, as funnel plots use.

Pure numpy and scipy: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

#: The same 99.8% level as the funnel plot's outer limits: flagged when P(Y <= y) < 0.001.
LEVEL = 0.998


def chance_of_at_most(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """P(Y <= observed) for a Poisson count with mean `expected` (NaN where either is unknown).

    >>> float(chance_of_at_most(np.array(0), np.array(7.0)).round(5))
    0.00091
    """
    y = np.asarray(observed, dtype=float)
    mean = np.asarray(expected, dtype=float)
    with np.errstate(invalid="ignore"):
        chance = stats.poisson.cdf(np.floor(y), mean)
    return np.where(np.isnan(y) | np.isnan(mean), np.nan, chance)


def implausibly_few(
    observed: np.ndarray, expected: np.ndarray, *, level: float = LEVEL
) -> np.ndarray:
    """True where so few events would happen by chance less often than the lower tail of
    `level` allows; False where either value is unknown."""
    chance = chance_of_at_most(observed, expected)
    return np.nan_to_num(chance, nan=1.0) < (1 - level) / 2


def expected_from_peers(
    events: np.ndarray, exposure: np.ndarray, peers: Sequence[str]
) -> np.ndarray:
    """Each unit's expected events at its peer group's pooled rate (its own events included, as
    a funnel's centre includes them). NaN for a unit with no peer: the only one of its group
    with exposure has nothing to be compared with. Units whose events are NaN (unknown) are
    left out of the pooled rate."""
    y = np.asarray(events, dtype=float)
    e = np.asarray(exposure, dtype=float)
    labels = np.asarray(list(peers), dtype=object)
    expected = np.full(len(y), np.nan)
    for label in dict.fromkeys(labels):
        members = labels == label
        with_exposure = members & (e > 0)
        known = with_exposure & ~np.isnan(y)
        if with_exposure.sum() < 2 or not known.any() or e[known].sum() == 0:
            continue
        rate = y[known].sum() / e[known].sum()
        expected[with_exposure] = e[with_exposure] * rate
    return expected


def expected_from_other_periods(events: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    """(U, P) expected events in each period at the rate the unit recorded in its *other*
    periods (so that a silent month does not lower its own expectation). NaN where a period has
    no exposure or the other periods have none; periods whose events are NaN are left out."""
    y = np.asarray(events, dtype=float)
    e = np.asarray(exposure, dtype=float)
    known = ~np.isnan(y) & (e > 0)
    y_known = np.where(known, y, 0.0)
    e_known = np.where(known, e, 0.0)
    other_events = y_known.sum(axis=1, keepdims=True) - y_known
    other_exposure = e_known.sum(axis=1, keepdims=True) - e_known
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(other_exposure > 0, other_events / other_exposure, np.nan)
    return np.where(e > 0, e * rate, np.nan)
