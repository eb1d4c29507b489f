from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsip.charts import mdc
from mhsip.charts.spc import (
    VEGA_LITE_SCHEMA,
    build_mr_chart_spec,
    build_spc_chart_spec,
    describe,
    format_number,
)
from mhsip.spc import spc_chart

TOOLTIP_TITLES = [
    "Date",
    "Value",
    "Centre line",
    "Lower limit",
    "Upper limit",
    "Point type",
    "Rules",
]


def layers(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in spec["layer"]}


def rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["data"]["values"]


def test_spec_is_json_with_inline_data(xmr_two_phases):
    spec = build_spc_chart_spec(xmr_two_phases, title="Restraint, Ward A", y_title="Restraints")

    assert json.loads(json.dumps(spec)) == spec
    assert spec["$schema"] == VEGA_LITE_SCHEMA
    assert len(rows(spec)) == len(xmr_two_phases["points"])
    assert spec["title"]["text"] == "Restraint, Ward A"
    assert (spec["width"], spec["height"]) == (640, 320)


def test_layers_of_an_xmr_chart_with_a_target(xmr_two_phases):
    spec = build_spc_chart_spec(xmr_two_phases)

    assert list(layers(spec)) == [
        "upper_limit",
        "lower_limit",
        "centre_line",
        "target",
        "phase_rules",
        "value_line",
        "points",
    ]


def test_centre_solid_limits_dashed_target_red(xmr_two_phases):
    spec = layers(build_spc_chart_spec(xmr_two_phases))

    assert "strokeDash" not in spec["centre_line"]["mark"]
    assert spec["upper_limit"]["mark"]["strokeDash"] == spec["lower_limit"]["mark"]["strokeDash"]
    assert spec["target"]["mark"]["color"] == mdc.TARGET_LINE
    assert spec["target"]["data"]["values"][0]["target"] == 8


def test_no_target_layer_without_a_target(calm, make_chart):
    spec = build_spc_chart_spec(make_chart(calm))

    assert "target" not in layers(spec)


def test_lines_are_drawn_per_phase(xmr_two_phases):
    spec = layers(build_spc_chart_spec(xmr_two_phases))

    for name in ("upper_limit", "lower_limit", "centre_line", "value_line"):
        assert spec[name]["encoding"]["detail"]["field"] == "phase"
    assert {row["phase"] for row in rows(build_spc_chart_spec(xmr_two_phases))} == {0, 1}


def test_one_phase_rule_per_later_phase_between_the_points(calm, months, make_chart):
    dates = months(30)
    chart = make_chart(calm * 2 + calm[:6], dates=dates, rebase=[dates[10], dates[20]])

    rules = layers(build_spc_chart_spec(chart))["phase_rules"]["data"]["values"]

    # Halfway between Oct and Nov 2023, and between Aug and Sep 2024 (in UTC).
    assert [rule["x"] for rule in rules] == ["2023-10-16T12:00:00Z", "2024-08-16T12:00:00Z"]


def test_no_phase_rule_with_one_phase(calm, make_chart):
    assert "phase_rules" not in layers(build_spc_chart_spec(make_chart(calm)))


def test_points_coloured_by_point_type(calm, make_chart):
    # The last point is far above the limits; with "increase is better" it is an improvement.
    chart = make_chart([*calm, 40])
    spec = layers(build_spc_chart_spec(chart))
    fill = spec["points"]["encoding"]["fill"]["scale"]
    stroke = spec["points"]["encoding"]["stroke"]["scale"]
    fills = dict(zip(fill["domain"], fill["range"], strict=True))
    strokes = dict(zip(stroke["domain"], stroke["range"], strict=True))

    last = rows(build_spc_chart_spec(chart))[-1]
    assert last["point_type"] == "special_cause_improvement"
    assert fills[last["group"]] == mdc.IMPROVEMENT_FILL
    assert strokes[last["group"]] == mdc.IMPROVEMENT_STROKE
    assert fills["Common cause"] == mdc.COMMON_CAUSE
    assert fills["Special cause \u2014 concern"] == mdc.CONCERN_FILL


def test_neutral_direction_has_purple_points_and_no_improvement_or_concern(calm, make_chart):
    chart = make_chart([*calm, 40], opts={"improvement": "neutral"})
    fill = layers(build_spc_chart_spec(chart))["points"]["encoding"]["fill"]["scale"]

    assert fill["domain"] == ["Common cause", "Special cause \u2014 neutral"]
    assert fill["range"] == [mdc.COMMON_CAUSE, mdc.NEUTRAL]
    assert rows(build_spc_chart_spec(chart))[-1]["tt_type"] == "Special cause \u2014 neutral (high)"


def test_excluded_points_are_hollow(calm, months, make_chart):
    dates = months(len(calm))
    chart = make_chart(calm, dates=dates, exclude=[dates[3]])
    spec = build_spc_chart_spec(chart)
    fill = layers(spec)["points"]["encoding"]["fill"]["scale"]

    assert rows(spec)[3]["group"] == "Excluded"
    assert rows(spec)[3]["tt_type"] == mdc.EXCLUDED_WORDS
    assert dict(zip(fill["domain"], fill["range"], strict=True))["Excluded"] == "#FFFFFF"


def test_tooltip_fields_in_words(xmr_two_phases):
    spec = build_spc_chart_spec(xmr_two_phases)
    tooltip = layers(spec)["points"]["encoding"]["tooltip"]
    first = rows(spec)[0]

    assert [item["title"] for item in tooltip] == TOOLTIP_TITLES
    assert all(item["field"] in first for item in tooltip)
    assert first["tt_date"] == "Jan 2023"
    assert first["tt_type"] == "Common cause"


def test_tooltip_names_the_rules_a_special_cause_point_met(calm, make_chart):
    spec = build_spc_chart_spec(make_chart([*calm, 40], opts={"improvement": "decrease"}))
    last = rows(spec)[-1]

    assert last["tt_type"] == "Special cause \u2014 concern"
    assert last["tt_rules"] == "Outside the limits"


def test_ratio_charts_show_numerator_and_denominator(u_chart):
    spec = build_spc_chart_spec(u_chart)
    titles = [item["title"] for item in layers(spec)["points"]["encoding"]["tooltip"]]

    assert titles[2:4] == ["Numerator", "Denominator"]
    assert rows(spec)[1]["tt_denominator"] == "1,200"


def test_pointwise_limits_are_stepped_and_missing_values_leave_a_gap(u_chart):
    spec = build_spc_chart_spec(u_chart)
    by_name = layers(spec)

    assert len({row["upper"] for row in rows(spec) if row["upper"] is not None}) > 2
    assert by_name["upper_limit"]["mark"]["interpolate"] == "step"
    assert rows(spec)[5]["value"] is None  # a zero denominator makes the month missing
    assert by_name["value_line"]["mark"]["invalid"] == "break-paths-show-domains"
    assert "datum.value != null" in by_name["points"]["transform"][0]["filter"]


def test_run_chart_without_limits_has_no_limit_layers(calm, make_chart):
    chart = make_chart(calm, chart="run")
    names = list(layers(build_spc_chart_spec(chart)))

    assert "upper_limit" not in names
    assert "lower_limit" not in names
    assert "centre_line" in names
    assert rows(build_spc_chart_spec(chart))[0]["tt_upper"] == "\u2014"


def test_all_equal_values_have_no_limits(make_chart):
    names = list(layers(build_spc_chart_spec(make_chart([5] * 12))))

    assert names == ["centre_line", "value_line", "points"]


def test_charts_without_dates_use_positions(calm):
    chart = spc_chart(calm, rebase=[6]).to_dict()
    spec = build_spc_chart_spec(chart, annotations=[{"date": 3, "label": "PDSA 1"}])

    assert layers(spec)["points"]["encoding"]["x"]["type"] == "quantitative"
    assert rows(spec)[2]["x"] == 2
    assert layers(spec)["phase_rules"]["data"]["values"][0]["x"] == 5.5
    assert layers(spec)["annotation_rules"]["data"]["values"][0]["x"] == 3


def test_charts_with_other_labels_use_ordered_categories(calm):
    quarters = [f"{year} Q{q}" for year in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    chart = spc_chart(calm, dates=quarters, rebase=["2024 Q1"]).to_dict()
    spec = build_spc_chart_spec(chart, annotations=[{"date": "2023 Q2", "label": "PDSA 1"}])

    assert layers(spec)["points"]["encoding"]["x"]["sort"] == quarters
    assert layers(spec)["phase_rules"]["data"]["values"][0]["x"] == "2024 Q1"
    with pytest.raises(ValueError, match="2025 Q1"):
        build_spc_chart_spec(chart, annotations=[{"date": "2025 Q1", "label": "PDSA 2"}])


def test_annotations_are_labelled_rules_staggered_in_date_order(xmr_two_phases):
    notes = [
        {"date": "2023-09-01", "label": "PDSA 2: safety huddles"},
        {"date": date(2023, 3, 1), "label": "PDSA 1: Safewards"},
        {"date": datetime(2023, 12, 1, 9, 30), "label": "PDSA 3: debriefs"},
    ]
    spec = layers(build_spc_chart_spec(xmr_two_phases, annotations=notes))
    labels = spec["annotation_labels"]["data"]["values"]

    assert spec["annotation_rules"]["mark"]["type"] == "rule"
    assert [(label["x"], label["label"], label["row"]) for label in labels] == [
        ("2023-03-01", "PDSA 1: Safewards", 0),
        ("2023-09-01", "PDSA 2: safety huddles", 1),
        ("2023-12-01", "PDSA 3: debriefs", 2),
    ]


def test_annotation_details_show_on_hover_and_unlabelled_notes_take_no_row(xmr_two_phases):
    notes = [
        {"date": "2023-03-01", "label": "2 notes", "detail": "PDSA 1: Safewards"},
        {"date": "2023-03-15", "label": "", "detail": "Adopted: Safewards"},
        {"date": "2023-09-01", "label": "PDSA 2"},
    ]
    spec = layers(build_spc_chart_spec(xmr_two_phases, annotations=notes))
    labels = spec["annotation_labels"]["data"]["values"]

    assert [(v["label"], v["tt_note"], v["row"]) for v in labels] == [
        ("2 notes", "PDSA 1: Safewards", 0),
        ("", "Adopted: Safewards", 0),
        ("PDSA 2", "PDSA 2", 1),
    ]
    assert spec["annotation_rules"]["encoding"]["tooltip"][0]["field"] == "tt_note"


@pytest.mark.parametrize(
    ("note", "message"),
    [({"label": "no date"}, "needs a 'date'"), ({"date": "March", "label": "x"}, "'March'")],
)
def test_bad_annotations_are_refused(xmr_two_phases, note, message):
    with pytest.raises(ValueError, match=message):
        build_spc_chart_spec(xmr_two_phases, annotations=[note])


def test_description_summarises_the_chart(xmr_two_phases):
    spec = build_spc_chart_spec(xmr_two_phases)

    assert spec["description"] == (
        "XmR chart of 19 points, 2 phases, lower is better; latest point common cause; "
        "target 8 inconsistently met; trial limits"
    )


def test_description_mentions_missing_points_and_special_cause(u_chart, calm, make_chart):
    text = describe(make_chart([*calm, 40]), title="Seclusion")

    assert text == (
        "Seclusion: XmR chart of 13 points, 1 phase, higher is better; "
        "latest point special cause improvement (high); runs signal"
    )
    assert describe(u_chart).startswith("u chart of 14 points (1 missing), 2 phases")


def test_trial_limits_note_without_a_title(xmr_two_phases, calm, make_chart):
    spec = build_spc_chart_spec(xmr_two_phases)

    assert spec["title"]["text"].startswith("Trial limits")
    assert "title" not in build_spc_chart_spec(make_chart(calm * 2))


def test_usermeta_names_the_icons(xmr_two_phases):
    meta = build_spc_chart_spec(xmr_two_phases)["usermeta"]["mhsip"]

    assert meta == {"chart": "xmr", "variation_icon": "common_cause", "assurance": "inconsistent"}


def test_moving_range_chart_matches_the_engines_mr_chart(calm, make_chart):
    values = [*calm, 11, 9, 10, 12]
    chart = make_chart(values)
    reference = make_chart(values, chart="mr")

    spec = build_mr_chart_spec(chart)
    last = rows(spec)[-1]

    assert [row["value"] for row in rows(spec)] == [p["value"] for p in reference["points"]]
    assert last["centre"] == pytest.approx(reference["points"][-1]["centre"])
    assert last["upper"] == pytest.approx(reference["points"][-1]["upper"])
    assert spec["description"] == "Moving range chart of 15 moving ranges, 1 phase"


def test_moving_range_chart_under_the_x_chart(xmr_two_phases):
    spec = build_spc_chart_spec(xmr_two_phases, include_moving_range=True)
    x_chart, mr_chart = spec["vconcat"]

    assert spec["resolve"]["scale"]["x"] == "shared"
    assert "points" in layers(x_chart)
    assert list(layers(mr_chart)) == [
        "mr_upper_limit",
        "mr_centre_line",
        "mr_value_line",
        "mr_points",
    ]


def test_moving_range_chart_of_equal_values_has_no_limits(make_chart):
    spec = build_mr_chart_spec(make_chart([5] * 12), title="Flat")

    assert list(layers(spec)) == ["mr_value_line", "mr_points"]
    assert spec["description"].startswith("Flat: Moving range chart")


@pytest.mark.parametrize("chart_type", ["run", "c"])
def test_only_xmr_charts_have_a_moving_range_chart(chart_type, calm, make_chart):
    chart = make_chart(calm, chart=chart_type)

    with pytest.raises(ValueError, match="only an XmR chart"):
        build_mr_chart_spec(chart)
    with pytest.raises(ValueError, match="only an XmR chart"):
        build_spc_chart_spec(chart, include_moving_range=True)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "\u2014"),
        (12, "12"),
        (12345.0, "12,345"),
        (7.25, "7.25"),
        (7.2, "7.2"),
        (3.3333, "3.33"),
        (0.0018236, "0.00182"),
        (-0.5, "-0.5"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.integers(min_value=0, max_value=50)), min_size=2, max_size=40
    ),
    rebase_at=st.integers(min_value=1, max_value=39),
    target=st.one_of(st.none(), st.integers(min_value=0, max_value=50)),
)
def test_any_chart_gives_a_serialisable_spec(values, rebase_at, target, months, make_chart):
    dates = months(len(values))
    rebase = [dates[rebase_at]] if rebase_at < len(values) else []
    numbers = np.array([np.nan if v is None else v for v in values], dtype=float)
    chart = make_chart(numbers, dates=dates, rebase=rebase, opts={"target": target})

    spec = build_spc_chart_spec(chart, include_moving_range=True)

    x_chart = spec["vconcat"][0]
    assert json.loads(json.dumps(spec, allow_nan=False)) == spec
    assert len(rows(x_chart)) == len(values)
    assert len(layers(x_chart).get("phase_rules", {"data": {"values": []}})["data"]["values"]) == (
        len(chart["phases"]) - 1
    )
    assert ("target" in layers(x_chart)) == (target is not None)
