"""Vega-Lite spec of a funnel plot: each unit's rate against its denominator, with the limits.

The input is plain data, not the numpy `Funnel`, so that a page can draw a funnel of suppressed
figures and tests can build one by hand:

- `units`: one dict per unit, `{"unit", "events", "denominator", "rate", "flag"}` and optionally
  `"lower_998"`, `"upper_998"`; a unit whose rate is None (suppressed or unknown) is not drawn;
- `curves`: the limits at a grid of denominators (`Funnel.limits(grid, level)`),
  `{"denominator", "lower_95", "upper_95", "lower_998", "upper_998"}`;
- `centre`: the pooled rate.

Method and reading: docs/statistics/funnel.md. Low outliers are coloured as neither good nor bad
(MDC's neutral purple): a low rate may be a bright spot or under-recording.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from mhsip.charts import mdc
from mhsip.charts.spc import VEGA_LITE_SCHEMA, format_number
from mhsip.comparison import LEVEL_95, LEVEL_998

#: How each flag of `mhsip.comparison.funnel` is named in the legend, the tooltip and the table.
FLAG_WORDS: Final[dict[str, str]] = {
    "high": "High: above the 99.8% limit",
    "low": "Low: below the 99.8% limit",
    "in_range": "In range",
    "unknown": "Suppressed",
}
_FLAG_STYLE: Final[dict[str, tuple[str, str, str]]] = {  # flag: (fill, outline, shape)
    "in_range": (mdc.COMMON_CAUSE, mdc.COMMON_CAUSE, "circle"),
    "high": (mdc.CONCERN_FILL, mdc.CONCERN_STROKE, "triangle-up"),
    "low": (mdc.NEUTRAL, mdc.NEUTRAL, "triangle-down"),
}
_LIMIT_NAMES: Final = {"95": "95% limits", "998": "99.8% limits"}
#: Every unit is labelled on a small funnel; on a larger one only the outliers, so that labels
#: do not overprint.
LABEL_ALL_UP_TO: Final = 12


#: Points along the funnel's curves: enough for smooth lines, few enough for a small page.
CURVE_POINTS: Final = 80


def funnel_curves(result, denominators: np.ndarray) -> list[dict[str, Any]]:
    """The 95% and 99.8% limits of a funnel (`mhsip.comparison.funnel`'s result), scaled by its
    multiplier, from a little left of the smallest unit to a little right of the largest."""
    # From a twentieth of the largest (or below the smallest) so that the funnel's shape shows.
    start = max(min(denominators.min() * 0.8, denominators.max() * 0.05), 1.0)
    grid = np.geomspace(start, denominators.max() * 1.1, CURVE_POINTS)
    lower_95, upper_95 = result.limits(grid, LEVEL_95)
    lower_998, upper_998 = result.limits(grid, LEVEL_998)

    def scaled(value: float) -> float | None:
        return float(value * result.multiplier) if np.isfinite(value) else None

    return [
        {
            "denominator": float(grid[i]),
            "lower_95": scaled(lower_95[i]),
            "upper_95": scaled(upper_95[i]),
            "lower_998": scaled(lower_998[i]),
            "upper_998": scaled(upper_998[i]),
        }
        for i in range(len(grid))
    ]


def build_funnel_chart_spec(
    units: list[dict[str, Any]],
    curves: list[dict[str, Any]],
    *,
    centre: float,
    title: str | None = None,
    x_title: str = "Occupied bed days",
    y_title: str = "Rate per 1,000 occupied bed days",
    unit_noun: str = "ward",
    width: int = 640,
    height: int = 360,
) -> dict[str, Any]:
    """A Vega-Lite spec of a funnel plot, JSON-serialisable with its data inline.

    Points are shaped and coloured by flag (high: orange triangle up; low: purple triangle down;
    in range: grey circle); the 99.8% limits are dashed, the 95% limits dotted, the centre solid.
    """
    shown = [_unit_row(u) for u in units if u.get("rate") is not None]
    flags = [f for f in ("in_range", "high", "low") if any(r["flag"] == f for r in shown)]
    label_all = len(shown) <= LABEL_ALL_UP_TO
    for row in shown:
        row["label"] = row["unit"] if label_all or row["flag"] != "in_range" else ""
    y = {"type": "quantitative", "title": y_title, "scale": {"zero": True, "nice": True}}
    x = {
        "field": "denominator",
        "type": "quantitative",
        "title": x_title,
        "scale": {"zero": True, "nice": True},
        "axis": {"format": ",.0f", "labelAngle": 0},
    }
    layers: list[dict[str, Any]] = [
        _limits_layer(curves, x, y),
        {
            "name": "centre",
            "data": {"values": [{}]},
            "mark": {"type": "rule", "color": mdc.CENTRE_LINE, "strokeWidth": 1.5},
            "encoding": {
                "y": {"datum": centre, **y},
                # Screen readers name every mark; one drawn from a datum has no field to name.
                "description": {"value": f"Centre line: the pooled rate, {format_number(centre)}"},
            },
        },
    ]
    if shown:
        layers += [_points_layer(shown, flags, x, y), _labels_layer(shown, x, y)]
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "description": describe_funnel(units, centre=centre, unit_noun=unit_noun),
        "background": "white",
        "padding": 8,
        "width": width,
        "height": height,
        "layer": layers,
        "config": plain_config(),
    }
    if title:
        spec["title"] = {"text": title}
    return spec


def describe_funnel(units: list[dict[str, Any]], *, centre: float, unit_noun: str = "ward") -> str:
    """One sentence for screen readers: "Funnel plot of 6 wards; centre 24.3; 1 high, ..."."""
    counts = {flag: sum(1 for u in units if u.get("flag") == flag) for flag in FLAG_WORDS}
    plural = unit_noun if len(units) == 1 else f"{unit_noun}s"
    text = (
        f"Funnel plot of {len(units)} {plural} against their denominators; centre "
        f"{format_number(centre)}; {counts['high']} high, {counts['low']} low, "
        f"{counts['in_range']} in range"
    )
    if counts["unknown"]:
        text += f", {counts['unknown']} suppressed and not drawn"
    return text


def _unit_row(unit: dict[str, Any]) -> dict[str, Any]:
    flag = unit.get("flag", "in_range")
    lower, upper = unit.get("lower_998"), unit.get("upper_998")
    limits = (
        f"{format_number(lower)} to {format_number(upper)}"
        if lower is not None and upper is not None
        else "\u2014"
    )
    return {
        "unit": str(unit["unit"]),
        "denominator": unit["denominator"],
        "rate": unit["rate"],
        "flag": flag,
        "flag_words": FLAG_WORDS[flag],
        "tt_events": format_number(unit.get("events")),
        "tt_denominator": format_number(unit["denominator"]),
        "tt_rate": format_number(unit["rate"]),
        "tt_limits": limits,
    }


def _limits_layer(curves: list[dict[str, Any]], x: dict, y: dict) -> dict[str, Any]:
    """The four limit curves in long form: one line per (level, side), dashed by level."""
    rows = []
    for point in curves:
        for level, name in _LIMIT_NAMES.items():
            for side in ("lower", "upper"):
                value = point.get(f"{side}_{level}")
                if value is not None:
                    rows.append(
                        {
                            "denominator": point["denominator"],
                            "limit": value,
                            "limits": name,
                            "line": f"{level}-{side}",
                        }
                    )
    return {
        "name": "limits",
        "data": {"values": rows},
        "mark": {"type": "line", "color": mdc.LIMIT_LINE, "strokeWidth": 1.2, "clip": True},
        "encoding": {
            "x": x,
            "y": {**y, "field": "limit"},
            "detail": {"field": "line", "type": "nominal"},
            "strokeDash": {
                "field": "limits",
                "type": "nominal",
                "scale": {
                    "domain": list(_LIMIT_NAMES.values()),
                    "range": [[2, 3], [7, 4]],
                },
                "legend": {"orient": "bottom", "title": None},
            },
        },
    }


def _points_layer(rows: list[dict[str, Any]], flags: list[str], x: dict, y: dict) -> dict:
    domain = [FLAG_WORDS[f] for f in flags]
    legend = {"orient": "bottom", "direction": "horizontal", "title": None, "symbolSize": 80}
    return {
        "name": "units",
        "data": {"values": rows},
        "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
        "encoding": {
            "x": x,
            "y": {**y, "field": "rate"},
            "fill": {
                "field": "flag_words",
                "type": "nominal",
                "scale": {"domain": domain, "range": [_FLAG_STYLE[f][0] for f in flags]},
                "legend": legend,
            },
            "stroke": {
                "field": "flag_words",
                "type": "nominal",
                "scale": {"domain": domain, "range": [_FLAG_STYLE[f][1] for f in flags]},
                "legend": legend,
            },
            "shape": {
                "field": "flag_words",
                "type": "nominal",
                "scale": {"domain": domain, "range": [_FLAG_STYLE[f][2] for f in flags]},
                "legend": legend,
            },
            "strokeWidth": {"value": 1.5},
            "tooltip": [
                {"field": "unit", "title": "Unit"},
                {"field": "tt_events", "title": "Events"},
                {"field": "tt_denominator", "title": "Denominator"},
                {"field": "tt_rate", "title": "Rate"},
                {"field": "tt_limits", "title": "99.8% limits"},
                {"field": "flag_words", "title": "Reading"},
            ],
        },
    }


def _labels_layer(rows: list[dict[str, Any]], x: dict, y: dict) -> dict[str, Any]:
    return {
        "name": "labels",
        "data": {"values": rows},
        "transform": [{"filter": "datum.label != ''"}],
        "mark": {
            "type": "text",
            "align": "left",
            "dx": 8,
            "dy": -6,
            "fontSize": 11,
            "color": mdc.TEXT,
        },
        "encoding": {"x": x, "y": {**y, "field": "rate"}, "text": {"field": "label"}},
    }


def plain_config() -> dict[str, Any]:
    axis_colour = "#768692"  # NHS mid grey, as the SPC charts
    return {
        "font": mdc.FONT,
        "view": {"stroke": None},
        "axis": {
            "labelColor": mdc.TEXT,
            "titleColor": mdc.TEXT,
            "titleFontWeight": "normal",
            "titleFontSize": 12,
            "labelFontSize": 11,
            "domainColor": axis_colour,
            "tickColor": axis_colour,
            "gridColor": mdc.GRID,
        },
        "legend": {"labelColor": mdc.TEXT, "labelFontSize": 11, "symbolStrokeWidth": 1.5},
        "title": {"anchor": "start", "color": mdc.TEXT, "fontSize": 16, "offset": 10},
    }
