"""Measures of restrictive practice: NHS Digital's counting rules applied to mhsip's records,
and the measure catalogue. Pure Python and numpy: no Django, no I/O beyond reading the bundled
definition files."""

from mhsip.measures.catalogue import Measure, MeasureType, load_catalogue
from mhsip.measures.compute import MeasureValues, RecordsData, compute_measures
from mhsip.measures.periods import PeriodKind, Periods, month_periods, periods, week_periods

__all__ = [
    "Measure",
    "MeasureType",
    "MeasureValues",
    "PeriodKind",
    "Periods",
    "RecordsData",
    "compute_measures",
    "load_catalogue",
    "month_periods",
    "periods",
    "week_periods",
]
