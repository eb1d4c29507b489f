"""Rates, rate ratios and risk ratios with exact intervals, and small-number suppression.

Pure Python, numpy and scipy: no Django, no I/O.
"""

from mhsip.equity.rates import (
    RateRatio,
    poisson_rate_interval,
    rate_ratio,
    risk_ratio,
)
from mhsip.equity.suppression import SuppressionRule, suppress_count, suppress_rate

__all__ = [
    "RateRatio",
    "SuppressionRule",
    "poisson_rate_interval",
    "rate_ratio",
    "risk_ratio",
    "suppress_count",
    "suppress_rate",
]
