"""Small-number suppression for any figure seen outside the provider that owns the data.

The rules are NHS Digital's for the published restrictive-intervention statistics
(`Published_CSV_Suppression.py`; ../shared/docs/domain.md §1.7): counts below 5 are suppressed
and the rest rounded to the nearest 5; a rate is suppressed when its count is below 5 or its
bed days below 100, and otherwise rounded to a whole number; a percentage is suppressed when its
count of people is below 5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SuppressionRule:
    smallest_count: int = 5
    round_counts_to: int = 5
    smallest_bed_days: float = 100
    rate_decimals: int = 0


NHS_DIGITAL = SuppressionRule()


def suppress_count(counts: np.ndarray, rule: SuppressionRule = NHS_DIGITAL) -> np.ndarray:
    """Counts below the smallest shown become NaN; others are rounded to the nearest 5."""
    counts = np.asarray(counts, dtype=float)
    # Round half up (12.5 -> 15), as the published files do, not numpy's half to even.
    rounded = np.floor(counts / rule.round_counts_to + 0.5) * rule.round_counts_to
    return np.where(counts < rule.smallest_count, np.nan, rounded)


def suppress_rate(
    rates: np.ndarray,
    counts: np.ndarray,
    bed_days: np.ndarray | None = None,
    rule: SuppressionRule = NHS_DIGITAL,
) -> np.ndarray:
    """Rates (or percentages) whose count is small, or whose bed days are few, become NaN."""
    rates = np.asarray(rates, dtype=float)
    hidden = np.asarray(counts, dtype=float) < rule.smallest_count
    if bed_days is not None:
        hidden |= np.asarray(bed_days, dtype=float) < rule.smallest_bed_days
    factor = 10.0**rule.rate_decimals
    shown = np.floor(rates * factor + 0.5) / factor
    return np.where(hidden, np.nan, shown)
