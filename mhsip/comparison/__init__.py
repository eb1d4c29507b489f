"""Comparing units fairly: funnel plots with exact limits and over-dispersion.

Pure Python, numpy and scipy: no Django, no I/O, so analysts can use it from the command line
(`mhsip funnel`) and notebooks, and the web pages get the same numbers.

    >>> from mhsip.comparison import funnel
    >>> result = funnel([10, 30, 5], [1000, 2000, 900], units=["A", "B", "C"], multiplier=1000)
    >>> round(result.centre, 3), result.flag
    (11.538, ('in_range', 'in_range', 'in_range'))
"""

from mhsip.comparison.funnel import LEVEL_95, LEVEL_998, UNIT_FIELDS, Flag, Funnel, funnel
from mhsip.comparison.limits import count_quantile, exact_limits
from mhsip.comparison.overdispersion import (
    Overdispersion,
    between_unit_variance,
    dispersion_ratio,
    winsorise,
)

__all__ = [
    "LEVEL_95",
    "LEVEL_998",
    "UNIT_FIELDS",
    "Flag",
    "Funnel",
    "Overdispersion",
    "between_unit_variance",
    "count_quantile",
    "dispersion_ratio",
    "exact_limits",
    "funnel",
    "winsorise",
]
