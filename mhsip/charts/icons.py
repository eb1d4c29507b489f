"""Making Data Count's variation and assurance icons, drawn as small standalone SVGs.

MDC summarises every chart with two icons beside it. The variation icon says what the latest
point shows: grey for common cause; blue (improvement), orange (concern) or purple (neutral) with
"H" or "L" for special cause in high or low values, over a little run of dots whose last two
points jump. The assurance icon says whether the process can be relied on to meet the target:
blue "P" (consistently passes), orange "F" (consistently fails) or grey "?" (sometimes does, sometimes
does not), over a dashed target line and the process around it.

These are our own drawings in MDC's manner, not copies of NHS England's artwork. Each SVG has a
`<title>` so a screen reader announces what the icon means, and uses no ids, so any number can
sit inline on one page without clashing.
"""

from __future__ import annotations

from typing import Any, Final
from xml.sax.saxutils import escape

from mhsip.charts import mdc

_VIEWBOX: Final = 100
# Five dots of the small run chart inside a variation icon: x positions, and a calm baseline.
_DOT_X: Final = (25, 37.5, 50, 62.5, 75)
_CALM: Final = (50, 56, 48, 54, 50)  # no letter above it, so it sits in the middle
_HIGH: Final = (73, 77, 72, 62, 56)  # the last two jump up (smaller y)
_LOW: Final = (61, 57, 62, 69, 74)  # the last two drop


def variation_icon_svg(chart: dict[str, Any], *, size: int = 48) -> str:
    """The MDC variation icon for a chart: the point type of its last judged point."""
    return VARIATION_ICONS[mdc.variation_key(chart)].replace("{size}", str(size))


def assurance_icon_svg(chart: dict[str, Any], *, size: int = 48) -> str | None:
    """The MDC assurance icon, or None when the chart has no assurance (no target, or a neutral
    improvement direction, where passing and failing mean nothing)."""
    assurance = chart.get("assurance")
    if assurance is None:
        return None
    return ASSURANCE_ICONS[assurance].replace("{size}", str(size))


def _icon(colour: str, title: str, body: str) -> str:
    # A faint offset disc under the ring gives the lift MDC's icons have, without an SVG filter
    # (filters need ids, and some email clients and PDF converters drop them).
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{{size}}" height="{{size}}" '
        f'viewBox="0 0 {_VIEWBOX} {_VIEWBOX}" role="img">'
        f"<title>{escape(title)}</title>"
        '<circle cx="51.5" cy="52.5" r="45" fill="#000000" fill-opacity="0.12"/>'
        f'<circle cx="50" cy="50" r="43" fill="#FFFFFF" stroke="{colour}" stroke-width="7"/>'
        f"{body}</svg>"
    )


def _letter(text: str, colour: str, y: float = 47) -> str:
    return (
        f'<text x="50" y="{y}" text-anchor="middle" font-family="{escape(mdc.FONT)}" '
        f'font-size="34" font-weight="bold" fill="{colour}">{escape(text)}</text>'
    )


def _dots(heights: tuple[float, ...], colours: tuple[str, ...]) -> str:
    points = " ".join(f"{x},{y}" for x, y in zip(_DOT_X, heights, strict=True))
    line = (
        f'<polyline points="{points}" fill="none" stroke="{mdc.COMMON_CAUSE}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="5.5" fill="{colour}"/>'
        for x, y, colour in zip(_DOT_X, heights, colours, strict=True)
    )
    return line + dots


def _variation(colour: str, letter: str | None, heights: tuple[float, ...], words: str) -> str:
    grey = mdc.COMMON_CAUSE
    special = (grey, grey, grey, colour, colour) if letter else (grey,) * 5
    body = (_letter(letter, colour) if letter else "") + _dots(heights, special)
    return _icon(colour, f"Variation: {words}", body)


def _assurance(colour: str, letter: str, target_y: float, process: str, words: str) -> str:
    target = (
        f'<line x1="13" y1="{target_y}" x2="87" y2="{target_y}" stroke="{colour}" '
        'stroke-width="3" stroke-dasharray="7 3.5"/>'
    )
    process_line = (
        f'<path d="{process}" fill="none" stroke="{mdc.COMMON_CAUSE}" stroke-width="3" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )
    return _icon(colour, f"Assurance: {words}", _letter(letter, colour) + target + process_line)


_INCONSISTENT_GREY: Final = "#7B7D7D"

#: Every variation icon, keyed by `mdc.variation_key()`. "{size}" stands for the pixel size.
VARIATION_ICONS: Final[dict[str, str]] = {
    "common_cause": _variation(mdc.COMMON_CAUSE, None, _CALM, mdc.VARIATION_WORDS["common_cause"]),
    "improvement_high": _variation(
        mdc.IMPROVEMENT_STROKE, "H", _HIGH, mdc.VARIATION_WORDS["improvement_high"]
    ),
    "improvement_low": _variation(
        mdc.IMPROVEMENT_STROKE, "L", _LOW, mdc.VARIATION_WORDS["improvement_low"]
    ),
    "concern_high": _variation(mdc.CONCERN_STROKE, "H", _HIGH, mdc.VARIATION_WORDS["concern_high"]),
    "concern_low": _variation(mdc.CONCERN_STROKE, "L", _LOW, mdc.VARIATION_WORDS["concern_low"]),
    "neutral_high": _variation(mdc.NEUTRAL, "H", _HIGH, mdc.VARIATION_WORDS["neutral_high"]),
    "neutral_low": _variation(mdc.NEUTRAL, "L", _LOW, mdc.VARIATION_WORDS["neutral_low"]),
    # No judged point at all (every value missing or excluded): an empty grey ring with a dash,
    # rather than a common-cause icon that would claim the process was stable.
    "none": _icon(
        "#AEB7BD", f"Variation: {mdc.VARIATION_WORDS['none']}", _letter("\u2013", "#AEB7BD", 61)
    ),
}

#: Every assurance icon, keyed by `SpcResult.to_dict()["assurance"]`.
ASSURANCE_ICONS: Final[dict[str, str]] = {
    # Passing: the whole process sits on the good side of the target line (drawn above it).
    "consistent_pass": _assurance(
        mdc.IMPROVEMENT_STROKE,
        "P",
        77,
        "M17 64 C24 56 30 57 36 63 S47 70 53 62 S65 55 71 61 S80 65 84 60",
        mdc.ASSURANCE_WORDS["consistent_pass"],
    ),
    # Failing: the target line is above the whole process.
    "consistent_fail": _assurance(
        mdc.CONCERN_STROKE,
        "F",
        58,
        "M17 73 C24 65 30 66 36 72 S47 79 53 71 S65 64 71 70 S80 74 84 69",
        mdc.ASSURANCE_WORDS["consistent_fail"],
    ),
    # Inconsistent: the process wanders either side of the target line.
    "inconsistent": _assurance(
        _INCONSISTENT_GREY,
        "?",
        67,
        "M17 67 C23 55 30 55 36 66 S46 81 53 68 S64 54 71 66 S80 78 84 67",
        mdc.ASSURANCE_WORDS["inconsistent"],
    ),
}
