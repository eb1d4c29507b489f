"""Vega-Lite specs for inequality charts: each group's rate with its interval, and each group's
rate ratio against the reference group over time ("is the gap closing?").

Inputs are plain rows (from `mhsip.equity.group_table` as the page shows it), so that suppressed
figures are drawn exactly as the table gives them: a row whose rate is None is written as
"suppressed" at the axis, never plotted. Method: docs/statistics/equity.md.
"""

from __future__ import annotations

import math
from typing import Any, Final

from mhsip.charts import mdc
from mhsip.charts.funnel import plain_config
from mhsip.charts.spc import VEGA_LITE_SCHEMA, format_number

_REFERENCE: Final = "Reference group"
_OTHER: Final = "Compared group"
#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies, in order.
GROUP_COLOURS: Final = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)


def build_group_rates_chart_spec(
    rows: list[dict[str, Any]],
    *,
    reference: str | None,
    title: str | None = None,
    x_title: str = "Rate per 1,000 occupied bed days (95% CI)",
    width: int = 560,
) -> dict[str, Any]:
    """Each group's rate as a point with its 95% interval as a line, one row per group.

    `rows`: `{"group", "rate", "rate_lower", "rate_upper", "events", "denominator"}`, in the
    order to draw; a rate of None is written "suppressed" (or `"note"` if given) beside the axis.
    The reference group is drawn black, with a dashed rule at its rate.
    """
    data = []
    for row in rows:
        known = row.get("rate") is not None
        data.append(
            {
                "group": str(row["group"]),
                "rate": row.get("rate"),
                "lower": row.get("rate_lower"),
                "upper": row.get("rate_upper"),
                "kind": _REFERENCE if row["group"] == reference else _OTHER,
                "note": "" if known else row.get("note", "suppressed"),
                "tt_rate": format_number(row.get("rate")),
                "tt_interval": _interval(row.get("rate_lower"), row.get("rate_upper")),
                "tt_events": format_number(row.get("events")),
                "tt_denominator": format_number(row.get("denominator")),
            }
        )
    order = [d["group"] for d in data]
    y = {"field": "group", "type": "nominal", "sort": order, "title": None}
    x = {"type": "quantitative", "title": x_title, "scale": {"zero": True, "nice": True}}
    colour = {
        "field": "kind",
        "type": "nominal",
        "scale": {"domain": [_REFERENCE, _OTHER], "range": [mdc.TEXT, mdc.IMPROVEMENT_STROKE]},
        "legend": {"orient": "bottom", "title": None},
    }
    tooltip = [
        {"field": "group", "title": "Group"},
        {"field": "tt_rate", "title": "Rate"},
        {"field": "tt_interval", "title": "95% CI"},
        {"field": "tt_events", "title": "Events"},
        {"field": "tt_denominator", "title": "Bed days"},
    ]
    layers: list[dict[str, Any]] = [
        {
            "name": "intervals",
            "transform": [{"filter": "datum.rate != null"}],
            "mark": {"type": "rule", "strokeWidth": 2},
            "encoding": {
                "y": y,
                "x": {**x, "field": "lower"},
                "x2": {"field": "upper"},
                "color": colour,
                "tooltip": tooltip,
            },
        },
        {
            "name": "rates",
            "transform": [{"filter": "datum.rate != null"}],
            "mark": {"type": "point", "filled": True, "size": 80, "opacity": 1},
            "encoding": {
                "y": y,
                "x": {**x, "field": "rate"},
                "color": colour,
                "tooltip": tooltip,
            },
        },
        {
            "name": "notes",
            "transform": [{"filter": "datum.rate == null"}],
            "mark": {"type": "text", "align": "left", "dx": 4, "color": "#4C6272", "fontSize": 11},
            "encoding": {"y": y, "x": {**x, "datum": 0}, "text": {"field": "note"}},
        },
    ]
    reference_rate = next(
        (d["rate"] for d in data if d["kind"] == _REFERENCE and d["rate"] is not None), None
    )
    if reference_rate is not None:
        layers.insert(
            0,
            {
                "name": "reference_rate",
                "data": {"values": [{}]},
                "mark": {"type": "rule", "color": mdc.LIMIT_LINE, "strokeDash": [4, 4]},
                "encoding": {
                    "x": {**x, "datum": reference_rate},
                    "description": {
                        "value": f"The reference group's rate, {format_number(reference_rate)}"
                    },
                },
            },
        )
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "description": describe_group_rates(rows, reference=reference),
        "background": "white",
        "padding": 8,
        "width": width,
        "height": {"step": 28},
        "data": {"values": data},
        "layer": layers,
        "config": plain_config(),
    }
    if title:
        spec["title"] = {"text": title}
    return spec


def describe_group_rates(rows: list[dict[str, Any]], *, reference: str | None) -> str:
    shown = [r for r in rows if r.get("rate") is not None]
    text = f"Rates with 95% intervals for {len(rows)} groups"
    if len(shown) < len(rows):
        text += f" ({len(rows) - len(shown)} suppressed or without data)"
    if shown:
        highest = max(shown, key=lambda r: r["rate"])
        text += f"; highest {highest['group']} at {format_number(highest['rate'])}"
    if reference:
        text += f"; reference group {reference}"
    return text


def build_ratio_trend_chart_spec(
    rows: list[dict[str, Any]],
    *,
    reference: str,
    periods: list[str],
    title: str | None = None,
    y_title: str | None = None,
    width: int = 640,
    height: int = 300,
) -> dict[str, Any]:
    """Each group's rate ratio against `reference` in each period, with its 95% interval, on a
    log scale (a ratio of 2 and one of 0.5 are equally far from 1), and a rule at 1.

    `rows`: `{"period", "group", "ratio", "lower", "upper"}`; periods in `periods` order. A ratio
    of 0 or None cannot be drawn on a log scale and is left out (the table beside it has it); an
    interval with no upper limit, or a lower limit of 0, is drawn to the edge of the chart.
    """
    drawn = [r for r in rows if r.get("ratio") is not None and r["ratio"] > 0]
    finite = [r["ratio"] for r in drawn]
    finite += [r["lower"] for r in drawn if r.get("lower")]
    finite += [r["upper"] for r in drawn if r.get("upper") is not None]
    low = min([*finite, 1.0]) / 1.2
    high = max([*finite, 1.0]) * 1.2
    # Symmetric about 1 on the log scale, so that "higher" and "lower" look equally far.
    reach = max(math.log(high), -math.log(low))
    domain = [math.exp(-reach), math.exp(reach)]
    data = [
        {
            "period": r["period"],
            "group": str(r["group"]),
            "ratio": r["ratio"],
            "lower": r["lower"] if r.get("lower") else domain[0],
            "upper": r["upper"] if r.get("upper") is not None else domain[1],
            "tt_ratio": format_number(r["ratio"]),
            "tt_interval": _interval(r.get("lower"), r.get("upper")),
        }
        for r in drawn
    ]
    groups = list(dict.fromkeys(d["group"] for d in data))
    x = {
        "field": "period",
        "type": "ordinal",
        "sort": periods,
        "scale": {"domain": periods},
        "title": None,
        "axis": {"labelAngle": -45},
    }
    y = {
        "type": "quantitative",
        "title": y_title or f"Rate ratio against {reference} (log scale)",
        "scale": {"type": "log", "domain": domain, "clamp": True},
        "axis": {"format": "~g"},
    }
    colour = {
        "field": "group",
        "type": "nominal",
        "sort": groups,
        "scale": {"domain": groups, "range": list(GROUP_COLOURS[: max(len(groups), 1)])},
        "legend": {"orient": "bottom", "title": None, "columns": 3},
    }
    offset = {"field": "group", "type": "nominal", "sort": groups}
    tooltip = [
        {"field": "period", "title": "Period"},
        {"field": "group", "title": "Group"},
        {"field": "tt_ratio", "title": "Rate ratio"},
        {"field": "tt_interval", "title": "95% CI"},
    ]
    layers: list[dict[str, Any]] = [
        {
            "name": "no_difference",
            "data": {"values": [{}]},
            "mark": {"type": "rule", "color": mdc.CENTRE_LINE, "strokeWidth": 1},
            "encoding": {
                "y": {**y, "datum": 1},
                "description": {"value": "A rate ratio of 1: no difference"},
            },
        }
    ]
    if data:
        layers += [
            {
                "name": "intervals",
                "mark": {"type": "rule", "strokeWidth": 1.5, "opacity": 0.7},
                "encoding": {
                    "x": x,
                    "xOffset": offset,
                    "y": {**y, "field": "lower"},
                    "y2": {"field": "upper"},
                    "color": colour,
                    "tooltip": tooltip,
                },
            },
            {
                "name": "ratios",
                "mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
                "encoding": {
                    "x": x,
                    "xOffset": offset,
                    "y": {**y, "field": "ratio"},
                    "color": colour,
                    "tooltip": tooltip,
                },
            },
        ]
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "description": (
            f"Rate ratios against {reference} with 95% intervals, {len(periods)} periods, "
            f"{len(groups)} groups drawn; a ratio of 1 is no difference"
        ),
        "background": "white",
        "padding": 8,
        "width": width,
        "height": height,
        "data": {"values": data},
        "layer": layers,
        "config": plain_config(),
    }
    if title:
        spec["title"] = {"text": title}
    return spec


def _interval(lower: float | None, upper: float | None) -> str:
    if lower is None:
        return "\u2014"
    high = "no upper limit" if upper is None or math.isinf(upper) else format_number(upper)
    return f"{format_number(lower)} to {high}"
