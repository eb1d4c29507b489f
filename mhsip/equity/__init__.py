"""Rates, rate ratios and risk ratios with exact intervals, small-number suppression, and the
per-group inequality table with plain-English readings.

Pure Python, numpy and scipy: no Django, no I/O.
"""

from mhsip.equity.rates import (
    RateRatio,
    poisson_rate_interval,
    rate_ratio,
    risk_ratio,
)
from mhsip.equity.suppression import SuppressionRule, suppress_count, suppress_rate
from mhsip.equity.table import (
    GROUP_FIELDS,
    GroupRow,
    GroupTable,
    ReferenceGroupError,
    group_table,
)
from mhsip.equity.wording import format_ratio, ratio_reading

__all__ = [
    "GROUP_FIELDS",
    "GroupRow",
    "GroupTable",
    "RateRatio",
    "ReferenceGroupError",
    "SuppressionRule",
    "format_ratio",
    "group_table",
    "poisson_rate_interval",
    "rate_ratio",
    "ratio_reading",
    "risk_ratio",
    "suppress_count",
    "suppress_rate",
]
