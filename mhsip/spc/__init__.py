"""mhsip's statistical process control engine: pure Python and numpy, no Django and no I/O.

    >>> from mhsip.spc import spc_chart, SpcOptions
    >>> result = spc_chart([5, 7, 6, 8, 6, 7, 5, 6, 7, 6, 30], chart="xmr")
    >>> result.to_dict()["points"][-1]["point_type"]
    'special_cause_improvement'
    >>> result.to_dict()["points"][-1]["outside_limits"]
    True

See docs/statistics/ for every chart and rule, and the deviations from the reference tools.
"""

from mhsip.spc.chart import Phase, SpcResult, spc_chart
from mhsip.spc.classify import Assurance, PointType
from mhsip.spc.options import ChartType, ImprovementDirection, SpcOptions

__all__ = [
    "Assurance",
    "ChartType",
    "ImprovementDirection",
    "Phase",
    "PointType",
    "SpcOptions",
    "SpcResult",
    "spc_chart",
]
