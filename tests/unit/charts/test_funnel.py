"""The funnel plot's Vega-Lite spec, built from a real funnel."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mhsip.charts.funnel import FLAG_WORDS, LABEL_ALL_UP_TO, build_funnel_chart_spec
from mhsip.charts.render import render_svg
from mhsip.charts.spc import VEGA_LITE_SCHEMA
from mhsip.comparison import funnel


@pytest.fixture(scope="module")
def made():
    """Five wards (one high, one low) and a suppressed sixth, as a page passes them."""
    result = funnel(
        [100, 30, 5, 60, 200], [4000, 2000, 900, 3000, 5000], units=list("ABCDE"), multiplier=1000
    )
    units = result.rows() + [
        {"unit": "F", "events": None, "denominator": 300, "rate": None, "flag": "unknown"}
    ]
    grid = np.geomspace(500, 6000, 20)
    lower_95, upper_95 = (limit * 1000 for limit in result.limits(grid, 0.95))
    lower_998, upper_998 = (limit * 1000 for limit in result.limits(grid, 0.998))
    curves = [
        {
            "denominator": float(grid[i]),
            "lower_95": float(lower_95[i]),
            "upper_95": float(upper_95[i]),
            "lower_998": float(lower_998[i]),
            "upper_998": float(upper_998[i]),
        }
        for i in range(len(grid))
    ]
    return result, units, curves


def layers(spec):
    return {layer["name"]: layer for layer in spec["layer"]}


def test_spec_is_json_with_inline_data(made):
    result, units, curves = made
    spec = build_funnel_chart_spec(units, curves, centre=result.centre, title="Funnel")

    assert json.loads(json.dumps(spec)) == spec
    assert spec["$schema"] == VEGA_LITE_SCHEMA
    assert list(layers(spec)) == ["limits", "centre", "units", "labels"]
    assert layers(spec)["centre"]["encoding"]["y"]["datum"] == pytest.approx(result.centre)


def test_suppressed_units_are_described_but_not_drawn(made):
    result, units, curves = made
    spec = build_funnel_chart_spec(units, curves, centre=result.centre)

    drawn = [row["unit"] for row in layers(spec)["units"]["data"]["values"]]
    assert drawn == list("ABCDE")
    assert spec["description"] == (
        "Funnel plot of 6 wards against their denominators; centre 26.51; 1 high, 2 low, "
        "2 in range, 1 suppressed and not drawn"
    )


def test_flags_have_their_own_shape_and_legend_words(made):
    result, units, curves = made
    spec = build_funnel_chart_spec(units, curves, centre=result.centre)

    shape = layers(spec)["units"]["encoding"]["shape"]["scale"]
    assert dict(zip(shape["domain"], shape["range"], strict=True)) == {
        FLAG_WORDS["in_range"]: "circle",
        FLAG_WORDS["high"]: "triangle-up",
        FLAG_WORDS["low"]: "triangle-down",
    }


def test_limits_are_four_lines_dashed_by_level(made):
    result, units, curves = made
    spec = build_funnel_chart_spec(units, curves, centre=result.centre)

    rows = layers(spec)["limits"]["data"]["values"]
    assert len(rows) == 4 * len(curves)
    assert {row["line"] for row in rows} == {"95-lower", "95-upper", "998-lower", "998-upper"}


def test_only_outliers_are_labelled_on_a_large_funnel():
    rng = np.random.default_rng(3)
    denominators = rng.integers(1000, 9000, LABEL_ALL_UP_TO + 8)
    events = rng.poisson(denominators * 0.01)
    events[0] = 0  # far below its limits
    result = funnel(events, denominators, multiplier=1000)
    spec = build_funnel_chart_spec(result.rows(), [], centre=result.centre)

    labelled = {r["unit"] for r in layers(spec)["units"]["data"]["values"] if r["label"]}
    outliers = {r["unit"] for r in result.rows() if r["flag"] != "in_range"}
    assert labelled == outliers and "1" in labelled


def test_spec_renders_offline(made):
    result, units, curves = made
    svg = render_svg(build_funnel_chart_spec(units, curves, centre=result.centre, title="Funnel"))

    assert svg.startswith("<svg") and "Occupied bed days" in svg
