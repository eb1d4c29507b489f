from __future__ import annotations

import struct
from xml.etree import ElementTree

import pytest

from mhsip.charts import mdc
from mhsip.charts.render import chart_svg_with_icons, render_png, render_svg, save_chart
from mhsip.charts.spc import build_spc_chart_spec

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_size(svg: str) -> tuple[float, float]:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return float(root.get("width")), float(root.get("height"))


def test_render_svg_draws_every_point(xmr_two_phases):
    svg = render_svg(build_spc_chart_spec(xmr_two_phases, width=400, height=200))
    root = ElementTree.fromstring(svg)

    assert root.tag == f"{SVG}svg"
    points = [
        group
        for group in root.iter(f"{SVG}g")
        if "mark-symbol" in (group.get("class") or "") and "points" in (group.get("class") or "")
    ]
    assert len(points) == 1
    assert len(list(points[0].iter(f"{SVG}path"))) == len(xmr_two_phases["points"])


def test_render_png_at_twice_the_svg_size(u_chart):
    spec = build_spc_chart_spec(u_chart, annotations=[{"date": "2023-08-01", "label": "PDSA 1"}])

    width, height = svg_size(render_svg(spec))

    assert png_size(render_png(spec, scale=2)) == (round(2 * width), round(2 * height))


def test_rendering_never_fetches_data():
    spec = {"data": {"url": "https://example.org/restraint.csv"}, "mark": "point"}

    with pytest.raises(ValueError, match="not allowed"):
        render_svg(spec)


def test_chart_svg_has_title_description_and_icons(xmr_two_phases):
    svg = chart_svg_with_icons(xmr_two_phases, title="Restraint & seclusion, Ward A")
    root = ElementTree.fromstring(svg)
    titles = [element.text for element in root.iter(f"{SVG}title")]

    assert root.find(f"{SVG}title").text == "Restraint & seclusion, Ward A"
    assert root.find(f"{SVG}desc").text.startswith("Restraint & seclusion, Ward A: XmR chart")
    assert f"Variation: {mdc.VARIATION_WORDS['common_cause']}" in titles
    assert f"Assurance: {mdc.ASSURANCE_WORDS['inconsistent']}" in titles
    # The icons, then the chart, each nested as an SVG of its own.
    assert len(root.findall(f"{SVG}svg")) == 3


def test_long_titles_are_shortened_before_the_icons(calm, make_chart):
    svg = chart_svg_with_icons(make_chart(calm), title="Restraint " * 40, width=300)
    heading = ElementTree.fromstring(svg).find(f"{SVG}text")

    assert heading.text.endswith("\u2026")
    assert len(heading.text) < 60


def test_save_chart_as_svg(tmp_path, xmr_two_phases):
    path = save_chart(xmr_two_phases, tmp_path / "ward-a.svg", title="Ward A")

    assert path == tmp_path / "ward-a.svg"
    svg_size(path.read_text(encoding="utf-8"))


def test_save_chart_as_png_with_moving_range(tmp_path, xmr_two_phases):
    svg = chart_svg_with_icons(xmr_two_phases, include_moving_range=True)
    width, height = svg_size(svg)

    path = save_chart(xmr_two_phases, str(tmp_path / "ward-a.PNG"), include_moving_range=True)

    assert png_size(path.read_bytes()) == (round(2 * width), round(2 * height))


@pytest.mark.parametrize("name", ["chart.jpg", "chart", "chart.svg.txt"])
def test_save_chart_refuses_other_suffixes(tmp_path, xmr_two_phases, name):
    with pytest.raises(ValueError, match=r"must end in \.svg or \.png"):
        save_chart(xmr_two_phases, tmp_path / name)

    assert list(tmp_path.iterdir()) == []
