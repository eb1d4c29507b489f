"""Vega-Lite specs for SPC charts drawn the Making Data Count (MDC) way.

The input is the plain dict of `SpcResult.to_dict()`, not the numpy result, so that a web view can
draw a chart it has cached as JSON and the tests can build charts by hand. The output is a
JSON-serialisable Vega-Lite spec with its data inline: the web pages embed it as it is, and
`mhsip.charts.render` turns the same spec into SVG or PNG files.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any, Final

from mhsip.charts import mdc
from mhsip.spc.constants import MDC_XMR_LIMIT, MR_UPPER_FACTOR

#: The Vega-Lite major version the specs are written for, and the release vl-convert renders them
#: with. The web pages must load a Vega-Lite of the same major version.
VEGA_LITE_SCHEMA: Final = "https://vega.github.io/schema/vega-lite/v6.json"
VEGA_LITE_VERSION: Final = "6.4"

CHART_NAMES: Final[dict[str, str]] = {
    "xmr": "XmR",
    "run": "Run",
    "mr": "Moving range",
    "p": "p",
    "pp": "p\u2032 (Laney)",
    "u": "u",
    "up": "u\u2032 (Laney)",
    "c": "c",
    "t": "t",
    "g": "g",
}

# Legend groups: MDC's legend names the point colours, not every rule, and neutral high and low
# share one colour. Excluded points are drawn hollow.
_GROUP_OF_TYPE: Final[dict[str, str]] = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause \u2014 improvement",
    "special_cause_concern": "Special cause \u2014 concern",
    "special_cause_neutral_high": "Special cause \u2014 neutral",
    "special_cause_neutral_low": "Special cause \u2014 neutral",
}
_EXCLUDED_GROUP: Final = "Excluded"
_GROUP_COLOURS: Final[dict[str, tuple[str, str]]] = {  # group: (fill, outline)
    "Common cause": (mdc.COMMON_CAUSE, mdc.COMMON_CAUSE),
    "Special cause \u2014 improvement": (mdc.IMPROVEMENT_FILL, mdc.IMPROVEMENT_STROKE),
    "Special cause \u2014 concern": (mdc.CONCERN_FILL, mdc.CONCERN_STROKE),
    "Special cause \u2014 neutral": (mdc.NEUTRAL, mdc.NEUTRAL),
    _EXCLUDED_GROUP: (mdc.EXCLUDED_FILL, mdc.COMMON_CAUSE),
}
_RULE_WORDS: Final = (
    ("outside_limits", "outside the limits"),
    ("trend", "trend"),
    ("two_in_three", "two of three close to a limit"),
    ("shift", "shift"),
)
_NOTE: Final = "#4C6272"  # NHS secondary text colour
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^-?\d+$")
# Annotation labels are stacked on this many rows so that close PDSA cycles do not overprint.
_ANNOTATION_ROWS: Final = 3


def build_spc_chart_spec(
    chart: dict[str, Any],
    *,
    title: str | None = None,
    y_title: str | None = None,
    width: int = 640,
    height: int = 320,
    annotations: list[dict[str, Any]] | None = None,
    include_moving_range: bool = False,
) -> dict[str, Any]:
    """A Vega-Lite spec of one SPC chart (`SpcResult.to_dict()`) in MDC style.

    Points are coloured by their MDC point type and joined by a grey line; the centre line is
    solid, the 3-sigma limits dashed and the target red. Each phase has its own lines (they are
    never joined across a rebase) and a vertical rule marks where each later phase starts.
    `annotations` (`{"date", "label"}`, e.g. PDSA cycles) become labelled vertical rules; an
    optional "detail" is shown on hover instead of the label, and an empty label draws the rule
    alone (for notes too close together to label one by one). With
    `include_moving_range` an XmR chart gets its moving-range chart underneath (vconcat), sharing
    the x axis. `width` and `height` are the plotting area in pixels, as in Vega-Lite.
    """
    if include_moving_range:
        _check_has_moving_range(chart)
    axis = _XAxis.of(chart)
    x_chart = _x_chart(chart, axis, y_title, width, height, annotations or [])
    description = describe(chart, title=title)
    if include_moving_range:
        mr_chart = _mr_chart(chart, axis, width, max(120, height // 2))
        body: dict[str, Any] = {
            "vconcat": [x_chart, mr_chart],
            "resolve": {"scale": {"x": "shared"}},
            "spacing": 24,
        }
    else:
        body = x_chart
    return _top_level(body, chart, title=title, description=description)


def build_mr_chart_spec(
    chart: dict[str, Any],
    *,
    title: str | None = None,
    y_title: str | None = "Moving range",
    width: int = 640,
    height: int = 200,
) -> dict[str, Any]:
    """A Vega-Lite spec of the moving-range chart that goes with an XmR chart.

    Drawn from the XmR chart's own dict rather than recomputed, so the MR centre line is exactly
    the mean moving range the X chart's limits came from (after MDC's screening of large moving
    ranges, and over the baseline when limits are fixed): mean MR = (upper - centre) / 2.66, and
    the MR chart's upper limit is 3.267 x mean MR (D4 for ranges of two).
    """
    _check_has_moving_range(chart)
    axis = _XAxis.of(chart)
    body = _mr_chart(chart, axis, width, height, y_title=y_title)
    ranges = sum(1 for point in chart["points"] if point.get("moving_range") is not None)
    description = f"Moving range chart of {ranges} moving ranges, {_phases(chart)}"
    if title:
        description = f"{title}: {description}"
    return _top_level(body, chart, title=title, description=description)


def describe(chart: dict[str, Any], *, title: str | None = None) -> str:
    """One sentence for screen readers and alt text, e.g. "XmR chart of 19 points, 2 phases;
    latest point common cause; target 8 inconsistently met"."""
    points = chart["points"]
    missing = sum(1 for point in points if point["value"] is None)
    name = CHART_NAMES.get(chart["chart"], chart["chart"])
    text = f"{name} chart of {len(points)} points"
    if missing:
        text += f" ({missing} missing)"
    text += f", {_phases(chart)}"
    improvement = chart.get("improvement")
    if improvement in {"increase", "decrease"}:
        text += f", {'higher' if improvement == 'increase' else 'lower'} is better"
    text += f"; latest point {mdc.VARIATION_SHORT[mdc.variation_key(chart)]}"
    if any(phase.get("runs_signal") for phase in chart["phases"]):
        text += "; runs signal"
    target = chart.get("target")
    if target is not None:
        assurance = chart.get("assurance")
        met = mdc.ASSURANCE_SHORT[assurance] if assurance else "set, no assurance (neutral)"
        text += f"; target {format_number(target)} {met}"
    if any(phase.get("warnings") for phase in chart["phases"]):
        text += "; trial limits"
    return f"{title}: {text}" if title else text


def format_number(value: float | None) -> str:
    """A number as people read it in a tooltip: thousands separated, at least two decimals and
    three significant figures (rates per bed day are small), trailing zeros dropped."""
    if value is None:
        return "\u2014"
    if float(value).is_integer():
        return f"{int(value):,}"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(2, 2 - magnitude)
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


# --- The X (or p, u, ...) chart ------------------------------------------------------------------


def _x_chart(
    chart: dict[str, Any],
    axis: _XAxis,
    y_title: str | None,
    width: int,
    height: int,
    annotations: list[dict[str, Any]],
) -> dict[str, Any]:
    rows = [_row(point, axis) for point in chart["points"]]
    y = {"type": "quantitative", "title": y_title, "scale": {"zero": False, "nice": True}}
    layers: list[dict[str, Any]] = []
    for name in ("upper", "lower"):
        if any(row[name] is not None for row in rows):
            layers.append(_limit_layer(axis, y, name))
    if any(row["centre"] is not None for row in rows):
        layers.append(_centre_layer(axis, y))
    if chart.get("target") is not None:
        layers.append(_target_layer(chart["target"], y))
    phase_rules = _phase_rules(chart, axis)
    if phase_rules:
        layers.append(_phase_rule_layer(axis, phase_rules))
    if annotations:
        layers.extend(_annotation_layers(axis, annotations))
    layers.append(_value_line_layer(axis, y))
    layers.append(_points_layer(chart, rows, axis, y))
    return {
        "width": width,
        "height": height,
        "data": {"values": rows},
        "layer": layers,
    }


def _row(point: dict[str, Any], axis: _XAxis) -> dict[str, Any]:
    point_type = point.get("point_type")
    if point.get("excluded") and point["value"] is not None:
        group, words = _EXCLUDED_GROUP, mdc.EXCLUDED_WORDS
    elif point_type is None:
        group, words = None, "Missing"
    else:
        group, words = _GROUP_OF_TYPE[point_type], mdc.POINT_TYPE_WORDS[point_type]
    rules = [rule for flag, rule in _RULE_WORDS if point.get(flag)]
    row = {
        "x": axis.value(point["date"]),
        "phase": point["phase"],
        "value": point["value"],
        "centre": point["centre"],
        "lower": point["lower"],
        "upper": point["upper"],
        "point_type": point_type,
        "group": group,
        "tt_date": axis.words(point["date"]),
        "tt_value": format_number(point["value"]),
        "tt_centre": format_number(point["centre"]),
        "tt_lower": format_number(point["lower"]),
        "tt_upper": format_number(point["upper"]),
        "tt_type": words,
        "tt_rules": ", ".join(rules).capitalize() if rules else "\u2014",
    }
    if "numerator" in point:
        row["tt_numerator"] = format_number(point["numerator"])
        row["tt_denominator"] = format_number(point["denominator"])
    return row


def _limit_layer(axis: _XAxis, y: dict[str, Any], name: str) -> dict[str, Any]:
    # Step interpolation: p and u limits change at every point, and a step line shows each point's
    # own limits where a straight line between them would invent limits for the gaps.
    return {
        "name": f"{name}_limit",
        "mark": {
            "type": "line",
            "interpolate": "step",
            "strokeDash": [6, 4],
            "strokeWidth": 1.25,
            "color": mdc.LIMIT_LINE,
        },
        "encoding": {
            "x": axis.encoding(),
            "y": {**y, "field": name},
            "detail": {"field": "phase", "type": "nominal"},
        },
    }


def _centre_layer(axis: _XAxis, y: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "centre_line",
        "mark": {
            "type": "line",
            "interpolate": "step",
            "strokeWidth": 1.5,
            "color": mdc.CENTRE_LINE,
        },
        "encoding": {
            "x": axis.encoding(),
            "y": {**y, "field": "centre"},
            "detail": {"field": "phase", "type": "nominal"},
        },
    }


def _target_layer(target: float, y: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "target",
        "data": {"values": [{"target": target, "tt_target": format_number(target)}]},
        "mark": {
            "type": "rule",
            "strokeDash": [8, 4],
            "strokeWidth": 1.5,
            "color": mdc.TARGET_LINE,
        },
        "encoding": {
            "y": {**y, "field": "target"},
            "tooltip": [{"field": "tt_target", "title": "Target"}],
        },
    }


def _phase_rules(chart: dict[str, Any], axis: _XAxis) -> list[dict[str, Any]]:
    """One rule per phase after the first, between the last point of the old phase and the first
    of the new one, so that it does not strike through either point."""
    labels = [point["date"] for point in chart["points"]]
    rules = []
    for phase in chart["phases"][1:]:
        start = labels.index(phase["start"])
        rules.append(
            {
                "x": axis.between(labels[start - 1], labels[start]),
                "tt_label": f"New phase from {axis.words(phase['start'])}: limits recalculated",
            }
        )
    return rules


def _phase_rule_layer(axis: _XAxis, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "phase_rules",
        "data": {"values": rules},
        "mark": {"type": "rule", "strokeWidth": 1.5, "color": mdc.PHASE_RULE},
        "encoding": {
            "x": axis.encoding(),
            "tooltip": [{"field": "tt_label", "title": "Phase"}],
        },
    }


def _annotation_layers(axis: _XAxis, annotations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    values = []
    for index, note in enumerate(annotations):
        if "date" not in note or "label" not in note:
            raise ValueError(f"annotation {index} needs a 'date' and a 'label', not {note!r}")
        label = _as_label(note["date"])
        try:
            x = axis.value(label)
        except ValueError:
            raise ValueError(
                f"annotation {index}: {label!r} is not a {axis.kind} position of this chart"
            ) from None
        text = str(note["label"])
        detail = str(note.get("detail") or text)
        values.append({"x": x, "label": text, "tt_note": detail, "tt_date": axis.words(label)})
    # Stagger in date order, so neighbouring notes land on different rows. A note with an empty
    # label (a rule whose words are on a neighbour's label) takes no row.
    values.sort(key=lambda value: axis.sort_key(value["x"]))
    labelled = 0
    for value in values:
        value["row"] = labelled % _ANNOTATION_ROWS if value["label"] else 0
        labelled += bool(value["label"])
    tooltip = [{"field": "tt_note", "title": "Note"}, {"field": "tt_date", "title": "Date"}]
    return [
        {
            "name": "annotation_rules",
            "data": {"values": values},
            "mark": {
                "type": "rule",
                "strokeDash": [2, 3],
                "strokeWidth": 1.25,
                "color": mdc.ANNOTATION,
            },
            "encoding": {"x": axis.encoding(), "tooltip": tooltip},
        },
        {
            "name": "annotation_labels",
            "data": {"values": values},
            # Labels sit just above the plot, right of their rule, staggered over a few rows so
            # that close PDSA cycles do not overprint each other; above the plot, they cannot
            # hide a point either.
            "transform": [{"calculate": "-3 - 13 * datum.row", "as": "label_y"}],
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "bottom",
                "dx": -2,
                "fontSize": 11,
                "color": mdc.ANNOTATION,
            },
            "encoding": {
                "x": axis.encoding(),
                "y": {"field": "label_y", "type": "quantitative", "scale": None},
                "text": {"field": "label"},
                "tooltip": tooltip,
            },
        },
    ]


def _value_line_layer(axis: _XAxis, y: dict[str, Any]) -> dict[str, Any]:
    # `invalid: "break-paths-show-domains"` leaves a gap at a missing value instead of joining its
    # neighbours; `detail` breaks the line at each rebase, as NHSRplotthedots does by default.
    return {
        "name": "value_line",
        "mark": {
            "type": "line",
            "strokeWidth": 2,
            "color": mdc.VALUE_LINE,
            "invalid": "break-paths-show-domains",
        },
        "encoding": {
            "x": axis.encoding(),
            "y": {**y, "field": "value"},
            "detail": {"field": "phase", "type": "nominal"},
        },
    }


def _points_layer(
    chart: dict[str, Any], rows: list[dict[str, Any]], axis: _XAxis, y: dict[str, Any]
) -> dict[str, Any]:
    groups = ["Common cause"]
    if chart.get("improvement") == "neutral":
        groups.append("Special cause \u2014 neutral")
    else:
        groups += ["Special cause \u2014 improvement", "Special cause \u2014 concern"]
    if any(row["group"] == _EXCLUDED_GROUP for row in rows):
        groups.append(_EXCLUDED_GROUP)
    legend = {"orient": "bottom", "direction": "horizontal", "title": None, "symbolSize": 70}
    tooltip = [
        {"field": "tt_date", "title": "Date"},
        {"field": "tt_value", "title": "Value"},
    ]
    if any("tt_numerator" in row for row in rows):
        tooltip += [
            {"field": "tt_numerator", "title": "Numerator"},
            {"field": "tt_denominator", "title": "Denominator"},
        ]
    tooltip += [
        {"field": "tt_centre", "title": "Centre line"},
        {"field": "tt_lower", "title": "Lower limit"},
        {"field": "tt_upper", "title": "Upper limit"},
        {"field": "tt_type", "title": "Point type"},
        {"field": "tt_rules", "title": "Rules"},
    ]
    return {
        "name": "points",
        "transform": [{"filter": "datum.value != null && datum.group != null"}],
        "mark": {"type": "point", "shape": "circle", "filled": True, "size": 48, "opacity": 1},
        "encoding": {
            "x": axis.encoding(),
            "y": {**y, "field": "value"},
            "fill": {
                "field": "group",
                "type": "nominal",
                "scale": {
                    "domain": groups,
                    "range": [_GROUP_COLOURS[group][0] for group in groups],
                },
                "legend": legend,
            },
            "stroke": {
                "field": "group",
                "type": "nominal",
                "scale": {
                    "domain": groups,
                    "range": [_GROUP_COLOURS[group][1] for group in groups],
                },
                "legend": legend,
            },
            "strokeWidth": {"value": 1.5},
            "tooltip": tooltip,
        },
    }


# --- The moving-range chart ----------------------------------------------------------------------


def _check_has_moving_range(chart: dict[str, Any]) -> None:
    if chart["chart"] != "xmr" or not any("moving_range" in p for p in chart["points"]):
        raise ValueError(
            f"only an XmR chart has a moving-range chart, not a {chart['chart']!r} chart"
        )


def _mr_chart(
    chart: dict[str, Any],
    axis: _XAxis,
    width: int,
    height: int,
    y_title: str | None = "Moving range",
) -> dict[str, Any]:
    rows = []
    for point in chart["points"]:
        mean_mr = upper = None
        if point["upper"] is not None and point["centre"] is not None:
            mean_mr = (point["upper"] - point["centre"]) / MDC_XMR_LIMIT
            upper = MR_UPPER_FACTOR * mean_mr
        rows.append(
            {
                "x": axis.value(point["date"]),
                "phase": point["phase"],
                "value": point.get("moving_range"),
                "centre": mean_mr,
                "upper": upper,
                "tt_date": axis.words(point["date"]),
                "tt_value": format_number(point.get("moving_range")),
                "tt_centre": format_number(mean_mr),
                "tt_upper": format_number(upper),
            }
        )
    y = {"type": "quantitative", "title": y_title, "scale": {"zero": True, "nice": True}}
    layers: list[dict[str, Any]] = []
    if any(row["upper"] is not None for row in rows):
        layers.append(_limit_layer(axis, y, "upper"))
        layers.append(_centre_layer(axis, y))
    layers.append(_value_line_layer(axis, y))
    layers.append(
        {
            "name": "points",
            "transform": [{"filter": "datum.value != null"}],
            "mark": {
                "type": "point",
                "shape": "circle",
                "filled": True,
                "size": 36,
                "opacity": 1,
                "color": mdc.COMMON_CAUSE,
            },
            "encoding": {
                "x": axis.encoding(),
                "y": {**y, "field": "value"},
                "tooltip": [
                    {"field": "tt_date", "title": "Date"},
                    {"field": "tt_value", "title": "Moving range"},
                    {"field": "tt_centre", "title": "Mean moving range"},
                    {"field": "tt_upper", "title": "Upper limit"},
                ],
            },
        }
    )
    # Vega-Lite names data and marks after the layer names, so the MR chart's must differ from
    # the X chart's when the two are concatenated.
    for layer in layers:
        layer["name"] = f"mr_{layer['name']}"
    return {"width": width, "height": height, "data": {"values": rows}, "layer": layers}


# --- Shared pieces -------------------------------------------------------------------------------


def _top_level(
    body: dict[str, Any], chart: dict[str, Any], *, title: str | None, description: str
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "background": "white",
        "padding": 8,
    }
    note = _trial_limits_note(chart)
    if title:
        spec["title"] = {"text": title, **({"subtitle": note} if note else {})}
    elif note:
        # Vega-Lite draws no subtitle under an empty title, so the note becomes a quiet title.
        spec["title"] = {"text": note, "fontSize": 11, "fontWeight": "normal", "color": _NOTE}
    spec.update(body)
    spec["config"] = _config()
    # What a web page needs besides the picture: which MDC icons to show beside it.
    spec["usermeta"] = {
        "mhsip": {
            "chart": chart["chart"],
            "variation_icon": mdc.variation_key(chart),
            "assurance": chart.get("assurance"),
        }
    }
    return spec


def _trial_limits_note(chart: dict[str, Any]) -> str | None:
    # MDC's own caption: limits from a short phase are trial limits and will settle.
    short = [phase for phase in chart["phases"] if phase.get("warnings")]
    if not short or chart["chart"] == "run":
        return None
    return "Trial limits: a phase has fewer than 13 points; limits will settle as data is added."


def _phases(chart: dict[str, Any]) -> str:
    count = len(chart["phases"])
    return f"{count} phase{'' if count == 1 else 's'}"


def _config() -> dict[str, Any]:
    axis_colour = "#768692"  # NHS mid grey
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
        # MDC charts have horizontal grid lines only.
        "axisX": {"grid": False, "labelAngle": -45, "labelOverlap": "greedy"},
        "legend": {"labelColor": mdc.TEXT, "labelFontSize": 11, "symbolStrokeWidth": 1.5},
        "title": {
            "anchor": "start",
            "color": mdc.TEXT,
            "fontSize": 16,
            "subtitleColor": _NOTE,
            "subtitleFontSize": 11,
            "offset": 10,
        },
    }


def _as_label(value: Any) -> str:
    """An annotation's date as the chart's own labels are written (ISO dates or positions)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _XAxis:
    """How the chart's point labels map onto Vega-Lite's x axis.

    `to_dict()` writes dates as ISO days, or positions ("0", "1", ...) when a chart has no dates;
    anything else (e.g. "2024 Q1") is drawn as ordered categories.
    """

    def __init__(self, kind: str, monthly: bool, order: list[str]) -> None:
        self.kind = kind
        self.monthly = monthly
        self.order = order

    @classmethod
    def of(cls, chart: dict[str, Any]) -> _XAxis:
        labels = [str(point["date"]) for point in chart["points"]]
        if labels and all(_ISO_DATE.match(label) for label in labels):
            return cls("temporal", all(label.endswith("-01") for label in labels), labels)
        if labels and all(_INTEGER.match(label) for label in labels):
            return cls("quantitative", False, labels)
        return cls("ordinal", False, labels)

    def value(self, label: str) -> str | int:
        if self.kind == "temporal":
            date.fromisoformat(label)  # a clear error for a malformed annotation date
            return label
        if self.kind == "quantitative":
            return int(label)
        if label not in self.order:
            raise ValueError(label)
        return label

    def sort_key(self, value: str | int) -> Any:
        if self.kind == "ordinal":
            return self.order.index(value) if value in self.order else len(self.order)
        return value

    def words(self, label: str) -> str:
        if self.kind == "temporal":
            day = date.fromisoformat(label)
            return day.strftime("%b %Y") if self.monthly else f"{day.day} {day:%b %Y}"
        return str(label)

    def between(self, before: str, after: str) -> str | float:
        if self.kind == "temporal":
            start = datetime.fromisoformat(before)
            middle = start + (datetime.fromisoformat(after) - start) / 2
            # A "Z" makes Vega read it as UTC, like the date-only labels it sits between.
            return middle.isoformat() + "Z"
        if self.kind == "quantitative":
            return (int(before) + int(after)) / 2
        return after

    def encoding(self) -> dict[str, Any]:
        if self.kind == "temporal":
            # UTC throughout: the labels are calendar days, and a British Summer Time offset
            # would otherwise move every point an hour off its day.
            axis: dict[str, Any] = {"format": "%b %Y" if self.monthly else "%-d %b %Y"}
            return {
                "field": "x",
                "type": "temporal",
                "title": None,
                "scale": {"type": "utc"},
                "axis": axis,
            }
        if self.kind == "quantitative":
            return {
                "field": "x",
                "type": "quantitative",
                "title": "Point",
                "scale": {"zero": False, "nice": False},
                "axis": {"format": "d", "tickMinStep": 1},
            }
        return {"field": "x", "type": "ordinal", "title": None, "sort": self.order}
