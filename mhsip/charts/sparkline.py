"""A sparkline: the last points of a chart as a tiny inline SVG for summary tables.

Only attributes, no style or script, so it passes a strict Content-Security-Policy, and a
`<title>` so a screen reader hears what it shows.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from mhsip.charts import mdc

_POINT_COLOURS = {
    "special_cause_improvement": mdc.IMPROVEMENT_STROKE,
    "special_cause_concern": mdc.CONCERN_STROKE,
    "special_cause_neutral_high": mdc.NEUTRAL,
    "special_cause_neutral_low": mdc.NEUTRAL,
}


def sparkline_svg(
    chart: dict[str, Any], *, points: int = 24, width: int = 120, height: int = 32, label: str = ""
) -> str:
    """The last `points` values of a chart as a line, its last point coloured by its type."""
    recent = [p for p in chart["points"] if p["value"] is not None][-points:]
    title = escape(label or "Recent values")
    if len(recent) < 2:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img"><title>{title}: not enough data</title></svg>'
        )
    values = [p["value"] for p in recent]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    pad = 3
    step = (width - 2 * pad) / (len(values) - 1)

    def y(value: float) -> float:
        return round(height - pad - (value - low) / span * (height - 2 * pad), 1)

    path = " ".join(f"{round(pad + i * step, 1)},{y(v)}" for i, v in enumerate(values))
    last = recent[-1]
    colour = _POINT_COLOURS.get(last["point_type"] or "", mdc.COMMON_CAUSE)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{title}</title>'
        f'<polyline points="{path}" fill="none" stroke="{mdc.VALUE_LINE}" stroke-width="1.5"/>'
        f'<circle cx="{round(pad + (len(values) - 1) * step, 1)}" cy="{y(values[-1])}" r="3" '
        f'fill="{colour}"/></svg>'
    )
