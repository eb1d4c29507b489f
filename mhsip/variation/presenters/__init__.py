"""Build what the variation and inequality pages show: funnel plots, bright spots, recording
checks and inequalities by patient characteristic.

Every page starts from a `Target` (mhsip.dashboards.presenters.resolve_target), which says whether
the viewer sees exact figures (inside the provider: AGGREGATE_VIEW) or suppressed ones (network
roles, patient and carer representatives). For suppressed viewers every figure shown, and every
figure a chart or a reading is computed from, is first suppressed with NHS Digital's rules
(mhsip.equity.suppression): nothing on the page can be derived from a hidden number.
Methods: docs/statistics/variation.md.
"""

from mhsip.variation.presenters.bright_spots import BrightSpotsPage, make_bright_spots
from mhsip.variation.presenters.common import funnel_available
from mhsip.variation.presenters.funnel import FunnelPage, make_funnel_page
from mhsip.variation.presenters.inequalities import InequalitiesPage, make_inequalities_page
from mhsip.variation.presenters.recording import DataQualityPage, make_data_quality, ward_quality

__all__ = [
    "BrightSpotsPage",
    "DataQualityPage",
    "FunnelPage",
    "InequalitiesPage",
    "funnel_available",
    "make_bright_spots",
    "make_data_quality",
    "make_funnel_page",
    "make_inequalities_page",
    "ward_quality",
]
