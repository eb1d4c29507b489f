"""The driver diagram as SVG: every box drawn, none overlapping, text escaped, described."""

import re
import xml.etree.ElementTree as ET

from mhsip.improvement.diagram import DiagramNode, describe, driver_diagram_svg

SVG = "{http://www.w3.org/2000/svg}"


def _tree():
    return DiagramNode(
        "Reduce restraint on Kestrel Ward by 30% by 31 March 2027.",
        "aim",
        [
            DiagramNode(
                "Patients feel listened to",
                "primary",
                [
                    DiagramNode(
                        "Staff know each patient's calming strategies",
                        "secondary",
                        [
                            DiagramNode("Soft words", "change", tone="adopted", note="adopted"),
                            DiagramNode("Calm down methods", "change"),
                            DiagramNode("Know each other", "change", tone="abandoned"),
                        ],
                    ),
                    DiagramNode("Bad news is given with care", "secondary"),
                ],
            ),
            DiagramNode("A calm ward environment & <routine>", "primary"),
        ],
    )


def _rects(svg):
    root = ET.fromstring(svg)
    return root, [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
        for r in root.iter(f"{SVG}rect")
    ]


def test_every_node_is_a_box_and_no_boxes_overlap():
    root, rects = _rects(driver_diagram_svg(_tree()))
    assert len(rects) == 1 + 2 + 2 + 3
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            same_column = a[0] == b[0]
            overlap = a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
            assert not (same_column and overlap), (a, b)


def test_boxes_sit_in_four_columns_left_to_right():
    _, rects = _rects(driver_diagram_svg(_tree()))
    assert len({x for x, _, _, _ in rects}) == 4


def test_a_connector_joins_each_parent_to_each_child():
    root = ET.fromstring(driver_diagram_svg(_tree()))
    assert len(list(root.iter(f"{SVG}path"))) == 2 + 2 + 3


def test_text_is_escaped_and_the_picture_is_labelled():
    svg = driver_diagram_svg(_tree())
    assert "environment &amp;</tspan>" in svg and "&lt;routine&gt;" in svg
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id") for el in root if el.get("id")}
    assert set(labelled) <= ids


def test_adopted_changes_are_outlined_green_and_abandoned_ones_dashed():
    svg = driver_diagram_svg(_tree())
    assert re.search(r'stroke="#007f3b"', svg)
    assert 'stroke-dasharray="4 3"' in svg


def test_describe_counts_the_boxes():
    assert describe(_tree()).startswith(
        "Driver diagram: the aim, 2 primary drivers, 2 secondary drivers and 3 change ideas."
    )


def test_an_aim_alone_is_still_a_diagram():
    root, rects = _rects(driver_diagram_svg(DiagramNode("Reduce seclusion by 20%", "aim")))
    assert len(rects) == 1
    assert describe(DiagramNode("x", "aim")).startswith(
        "Driver diagram: the aim, 0 primary drivers, 0 secondary drivers and 0 change ideas."
    )
