"""Render chart specs to SVG and PNG offline, and save charts with their MDC icons.

vl-convert (PyPI `vl-convert-python`) bundles Vega, Vega-Lite and a renderer in one wheel, so
rendering needs no browser, no Node and no network: the same command works on a developer's
machine, in CI and on a server that cannot reach the internet. Specs carry their data inline and
we forbid every external URL, so a spec can never make the renderer fetch anything.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Final
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

import vl_convert

from mhsip.charts import mdc
from mhsip.charts.icons import assurance_icon_svg, variation_icon_svg
from mhsip.charts.spc import VEGA_LITE_VERSION, build_spc_chart_spec, describe

SUFFIXES: Final = (".svg", ".png")

_ICON_SIZE: Final = 44
_MARGIN: Final = 8  # the spec's own padding, so the header lines up with the chart
_ICON_GAP: Final = 8
_TITLE_SIZE: Final = 16
# British month names and number formats (the d3 defaults are American).
_LOCALE: Final = "en-GB"


def render_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec as an SVG document."""
    return vl_convert.vegalite_to_svg(
        spec,
        vl_version=VEGA_LITE_VERSION,
        allowed_base_urls=[],
        format_locale=_LOCALE,
        time_format_locale=_LOCALE,
    )


def render_png(spec: dict[str, Any], scale: float = 2) -> bytes:
    """A Vega-Lite spec as PNG bytes; `scale` 2 gives sharp images on high-density screens and
    in printed reports."""
    return vl_convert.vegalite_to_png(
        spec,
        vl_version=VEGA_LITE_VERSION,
        scale=scale,
        allowed_base_urls=[],
        format_locale=_LOCALE,
        time_format_locale=_LOCALE,
    )


def chart_svg_with_icons(chart: dict[str, Any], **kwargs: Any) -> str:
    """The chart as one SVG: a header with the title at the left and MDC's variation and
    assurance icons at the right, and the Vega-Lite chart under it.

    We compose SVG rather than put the icons into the spec as Vega-Lite image marks: the spec
    stays the same one the web pages embed (which show the icons as HTML beside it), the icons
    keep their `<title>`s (an image mark would flatten them into a picture without words), and
    the icons can never collide with the data because they have their own strip above the plot.
    A PNG is this same SVG converted by vl-convert's own renderer, so both files look alike.
    `kwargs` go to `build_spc_chart_spec`.
    """
    title = kwargs.pop("title", None)
    spec = build_spc_chart_spec(chart, **kwargs)
    chart_svg = render_svg(spec)
    root = ElementTree.fromstring(chart_svg)
    width, height = math.ceil(float(root.get("width"))), math.ceil(float(root.get("height")))

    icons = [variation_icon_svg(chart, size=_ICON_SIZE)]
    assurance = assurance_icon_svg(chart, size=_ICON_SIZE)
    if assurance is not None:
        icons.append(assurance)
    header = _ICON_SIZE + 2 * _MARGIN
    icons_width = len(icons) * _ICON_SIZE + (len(icons) - 1) * _ICON_GAP
    total_width = max(width, icons_width + 2 * _MARGIN)
    placed = []
    x = total_width - _MARGIN - icons_width
    for icon in icons:
        placed.append(_place(icon, x, _MARGIN))
        x += _ICON_SIZE + _ICON_GAP

    description = describe(chart, title=title)
    title_text = ""
    if title:
        room = total_width - icons_width - 3 * _MARGIN
        title_text = (
            f'<text x="{_MARGIN}" y="{_MARGIN + _ICON_SIZE / 2}" dominant-baseline="central" '
            f'font-family={quoteattr(mdc.FONT)} font-size="{_TITLE_SIZE}" font-weight="bold" '
            f'fill="{mdc.TEXT}">{escape(_fit(title, room))}</text>'
        )
    total_height = header + height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" height="{total_height}" '
        f'viewBox="0 0 {total_width} {total_height}" role="img">'
        f"<title>{escape(title or description)}</title><desc>{escape(description)}</desc>"
        f'<rect width="{total_width}" height="{total_height}" fill="white"/>'
        f"{title_text}{''.join(placed)}{_place(chart_svg, 0, header)}</svg>"
    )


def save_chart(chart: dict[str, Any], path: str | Path, *, scale: float = 2, **kwargs: Any) -> Path:
    """Draw a chart (`SpcResult.to_dict()`) with its MDC icons to an .svg or .png file.

    The format follows the file's suffix; anything else is refused before any drawing is done, so
    a typo does not leave a file in the wrong format behind a familiar name. `scale` applies to
    PNG only; `kwargs` go to `build_spc_chart_spec` (title, y_title, annotations, ...).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(
            f"cannot save a chart as {path.name!r}: the file name must end in "
            f"{' or '.join(SUFFIXES)}"
        )
    svg = chart_svg_with_icons(chart, **kwargs)
    if suffix == ".svg":
        path.write_text(svg, encoding="utf-8")
    else:
        path.write_bytes(vl_convert.svg_to_png(svg, scale=scale))
    return path


def _place(svg: str, x: float, y: float) -> str:
    """Nest a standalone SVG document at (x, y) of the outer one."""
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    return re.sub(r"^<svg\b", f'<svg x="{x}" y="{y}"', svg, count=1)


def _fit(title: str, room: float) -> str:
    """Shorten a title that would run under the icons. Arial's average character is about 0.55
    of the font size; a bold title is a little wider, hence 0.6."""
    fits = int(room / (0.6 * _TITLE_SIZE))
    return title if len(title) <= fits else title[: max(fits - 1, 1)].rstrip() + "\u2026"
