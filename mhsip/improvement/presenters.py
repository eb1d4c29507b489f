"""Turn improvement data into what pages show: the driver diagram, and charts of measures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mhsip.charts.spc import build_spc_chart_spec
from mhsip.dashboards import presenters as dashboards
from mhsip.improvement.diagram import DiagramNode, driver_diagram_svg
from mhsip.improvement.models import ChangeStatus
from mhsip.improvement.queries import DriverTree
from mhsip.organisations.models import Ward


def make_driver_diagram(tree: DriverTree) -> str:
    """The driver diagram as SVG (see `diagram.py`)."""

    def change_node(change) -> DiagramNode:
        tone = change.status
        note = "" if tone == ChangeStatus.NOT_TESTED else ChangeStatus(tone).label.lower()
        return DiagramNode(str(change), "change", tone=tone, note=note)

    root = DiagramNode(
        tree.aim,
        "aim",
        [
            DiagramNode(
                primary.text,
                "primary",
                [
                    DiagramNode(secondary.text, "secondary", [change_node(c) for c in changes])
                    for secondary, changes in secondaries
                ],
            )
            for primary, secondaries in tree.primaries
        ],
    )
    return driver_diagram_svg(root)


@dataclass(frozen=True)
class MeasureChart:
    page: dashboards.MeasurePage
    spec: dict[str, Any]


def make_measure_chart(user, ward: Ward, measure_id: str) -> MeasureChart | None:
    """The ward's chart of a measure, exact or suppressed as the viewer may see it (with the
    improvement work's annotations); None if they may see no figures for the ward."""
    try:
        target = dashboards.resolve_target(user, "ward", ward.code)
        page = dashboards.make_measure_page(target, measure_id)
    except (PermissionDenied, Http404):
        return None
    spec = build_spc_chart_spec(
        page.chart,
        title=f"{page.measure.name}: {ward.name}",
        annotations=page.annotations,
        width=680,
        height=300,
    )
    return MeasureChart(page, spec)


def sees_exact_figures(user, ward: Ward) -> bool | None:
    """True for exact figures, False for suppressed ones, None for none at all."""
    try:
        return dashboards.resolve_target(user, "ward", ward.code).exact
    except (PermissionDenied, Http404):
        return None
