"""Inequality charts: rates with intervals by group, and rate ratios over time."""

from __future__ import annotations

import json
import math

import pytest

from mhsip.charts.equality import build_group_rates_chart_spec, build_ratio_trend_chart_spec
from mhsip.charts.render import render_svg

GROUPS = [
    {"group": "White", "rate": 10.0, "rate_lower": 8.0, "rate_upper": 12.0, "events": 100,
     "denominator": 10000},
    {"group": "Black", "rate": 30.0, "rate_lower": 20.0, "rate_upper": 40.0, "events": 30,
     "denominator": 1000},
    {"group": "Mixed", "rate": None},
]  # fmt: skip

TREND = [
    {"period": "Jan–Mar 2025", "group": "Black", "ratio": 3.0, "lower": 1.5, "upper": 6.0},
    {"period": "Apr–Jun 2025", "group": "Black", "ratio": 2.0, "lower": 0.9, "upper": None},
    {"period": "Jan–Mar 2025", "group": "Asian", "ratio": 0.5, "lower": 0.0, "upper": 2.0},
    {"period": "Apr–Jun 2025", "group": "Asian", "ratio": 0.0, "lower": 0.0, "upper": 1.2},
]
PERIODS = ["Jan–Mar 2025", "Apr–Jun 2025", "Jul–Sep 2025"]


def layers(spec):
    return {layer["name"]: layer for layer in spec["layer"]}


def test_group_rates_keep_the_order_and_write_suppressed_groups_beside_the_axis():
    spec = build_group_rates_chart_spec(GROUPS, reference="White", title="Rates")

    assert json.loads(json.dumps(spec)) == spec
    assert [row["group"] for row in spec["data"]["values"]] == ["White", "Black", "Mixed"]
    assert spec["data"]["values"][2]["note"] == "suppressed"
    assert layers(spec)["notes"]["transform"] == [{"filter": "datum.rate == null"}]
    assert layers(spec)["reference_rate"]["encoding"]["x"]["datum"] == 10.0
    assert [row["kind"] for row in spec["data"]["values"]][:2] == [
        "Reference group",
        "Compared group",
    ]
    assert spec["description"] == (
        "Rates with 95% intervals for 3 groups (1 suppressed or without data); highest Black "
        "at 30; reference group White"
    )


def test_group_rates_without_a_reference_rate_draw_no_reference_line():
    spec = build_group_rates_chart_spec(GROUPS, reference="Mixed")

    assert "reference_rate" not in layers(spec)


def test_ratio_trend_leaves_out_ratios_a_log_scale_cannot_draw():
    spec = build_ratio_trend_chart_spec(TREND, reference="White", periods=PERIODS)

    drawn = [(row["period"], row["group"]) for row in spec["data"]["values"]]
    assert ("Apr–Jun 2025", "Asian") not in drawn and len(drawn) == 3


def test_ratio_trend_scale_is_symmetric_about_one_and_open_intervals_reach_its_edge():
    spec = build_ratio_trend_chart_spec(TREND, reference="White", periods=PERIODS)

    low, high = layers(spec)["ratios"]["encoding"]["y"]["scale"]["domain"]
    assert math.log(high) == pytest.approx(-math.log(low))
    rows = {(r["period"], r["group"]): r for r in spec["data"]["values"]}
    assert rows[("Apr–Jun 2025", "Black")]["upper"] == pytest.approx(high)
    assert rows[("Jan–Mar 2025", "Asian")]["lower"] == pytest.approx(low)
    assert rows[("Apr–Jun 2025", "Black")]["tt_interval"] == "0.9 to no upper limit"
    assert layers(spec)["no_difference"]["encoding"]["y"]["datum"] == 1


def test_charts_render_offline():
    rates = render_svg(build_group_rates_chart_spec(GROUPS, reference="White"))
    trend = render_svg(build_ratio_trend_chart_spec(TREND, reference="White", periods=PERIODS))

    assert rates.startswith("<svg") and "suppressed" in rates
    assert trend.startswith("<svg") and "Rate ratio against White" in trend
