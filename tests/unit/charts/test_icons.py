from __future__ import annotations

from xml.etree import ElementTree

import pytest

from mhsip.charts import mdc
from mhsip.charts.icons import (
    ASSURANCE_ICONS,
    VARIATION_ICONS,
    assurance_icon_svg,
    variation_icon_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def title_of(svg: str) -> str:
    title = parse(svg)[0]
    assert title.tag == f"{SVG}title"  # first child, so it is the accessible name
    return title.text


def letters(svg: str) -> list[str]:
    return [text.text for text in parse(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("last", "improvement", "key"),
    [
        (11, "increase", "common_cause"),
        (40, "increase", "improvement_high"),
        (-20, "decrease", "improvement_low"),
        (40, "decrease", "concern_high"),
        (-20, "increase", "concern_low"),
        (40, "neutral", "neutral_high"),
        (-20, "neutral", "neutral_low"),
    ],
)
def test_variation_icon_for_each_kind_of_last_point(calm, make_chart, last, improvement, key):
    chart = make_chart([*calm, last], opts={"improvement": improvement})

    assert mdc.variation_key(chart) == key
    assert variation_icon_svg(chart) == VARIATION_ICONS[key].replace("{size}", "48")


def test_high_or_low_follows_the_rule_not_the_side_of_the_centre_line(make_chart):
    # A falling trend of seven that has not reached the centre line yet: with "lower is better"
    # it is an improvement in lower values, though the last point is still above the mean.
    values = [20, 5, 20, 5, 20, 5, 20, 5, 20, 5, 30, 28, 26, 24, 22, 20, 18]
    chart = make_chart(values, opts={"improvement": "decrease"})
    last = chart["points"][-1]

    assert last["trend"] and not last["outside_limits"] and last["value"] > last["centre"]
    assert chart["variation"] == "special_cause_improvement"
    assert mdc.variation_key(chart) == "improvement_low"


@pytest.mark.parametrize(
    ("key", "colour", "letter"),
    [
        ("common_cause", mdc.COMMON_CAUSE, []),
        ("improvement_high", mdc.IMPROVEMENT_STROKE, ["H"]),
        ("improvement_low", mdc.IMPROVEMENT_STROKE, ["L"]),
        ("concern_high", mdc.CONCERN_STROKE, ["H"]),
        ("concern_low", mdc.CONCERN_STROKE, ["L"]),
        ("neutral_high", mdc.NEUTRAL, ["H"]),
        ("neutral_low", mdc.NEUTRAL, ["L"]),
    ],
)
def test_variation_icons_look_like_mdc(key, colour, letter):
    svg = VARIATION_ICONS[key].replace("{size}", "48")
    root = parse(svg)
    ring = root.findall(f"{SVG}circle")[1]
    dots = root.findall(f"{SVG}circle")[2:]

    assert ring.get("stroke") == colour
    assert letters(svg) == letter
    assert len(dots) == 5
    # Special cause: the last two dots take the icon's colour; common cause is all grey.
    expected = [mdc.COMMON_CAUSE] * 3 + [colour] * 2
    assert [dot.get("fill") for dot in dots] == expected
    assert title_of(svg) == f"Variation: {mdc.VARIATION_WORDS[key]}"


def test_no_judged_point_gets_a_blank_variation_icon():
    chart = {"variation": None, "improvement": "increase", "points": []}

    assert "no point could be judged" in title_of(variation_icon_svg(chart))


@pytest.mark.parametrize(
    ("target", "improvement", "assurance", "letter"),
    [
        (30, "increase", "consistent_fail", "F"),
        (30, "decrease", "consistent_pass", "P"),
        (0, "increase", "consistent_pass", "P"),
        (10, "increase", "inconsistent", "?"),
    ],
)
def test_assurance_icon(calm, make_chart, target, improvement, assurance, letter):
    chart = make_chart(calm, opts={"target": target, "improvement": improvement})
    svg = assurance_icon_svg(chart)

    assert chart["assurance"] == assurance
    assert letters(svg) == [letter]
    assert title_of(svg) == f"Assurance: {mdc.ASSURANCE_WORDS[assurance]}"
    assert svg == ASSURANCE_ICONS[assurance].replace("{size}", "48")


@pytest.mark.parametrize("opts", [{}, {"target": 10, "improvement": "neutral"}])
def test_no_assurance_icon_without_a_target_or_direction(calm, make_chart, opts):
    assert assurance_icon_svg(make_chart(calm, opts=opts)) is None


def test_icons_take_a_size(calm, make_chart):
    root = parse(variation_icon_svg(make_chart(calm), size=80))

    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "80",
        "80",
        "0 0 100 100",
    )


def test_icons_have_no_ids_to_clash_on_one_page():
    for svg in [*VARIATION_ICONS.values(), *ASSURANCE_ICONS.values()]:
        assert all(element.get("id") is None for element in parse(svg).iter())
        assert parse(svg).get("role") == "img"
