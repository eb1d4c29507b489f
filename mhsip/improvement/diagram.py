"""Draw a driver diagram as SVG: aim -> primary drivers -> secondary drivers -> change ideas,
left to right, one column each, with elbow connectors.

Pure: a tree of `DiagramNode` in, SVG text out; no Django. The layout is the usual tidy tree:
each box is centred on the height its subtree needs, so boxes never overlap however uneven the
tree. Text is wrapped by character count (the NHS font's average width), and every string is
XML-escaped. The picture is `role="img"` with a title and a description; pages put the same
tree beside it as a nested list, the text alternative.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

COLUMNS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")
BOX_WIDTH = 200
COLUMN_GAP = 44
MARGIN = 12
HEADER_HEIGHT = 30
LINE_HEIGHT = 16
PADDING = 8
ROW_GAP = 12
FONT_SIZE = 13
#: Characters per line of a box: 184px inside at 13px, whose characters average about 6.6px.
WRAP = 27
FONT = "Frutiger W01, Arial, sans-serif"

# NHS identity colours (service-manual.nhs.uk/design-system/styles/colour).
NHS_BLUE = "#005eb8"
NHS_DARK_GREY = "#425563"
NHS_TEXT = "#212b32"
NHS_PALE_GREY = "#e8edee"
NHS_GREEN = "#007f3b"
NHS_MID_GREY = "#768692"
WHITE = "#ffffff"

#: kind -> (fill, outline, text colour)
STYLES = {
    "aim": (NHS_BLUE, NHS_BLUE, WHITE),
    "primary": (NHS_PALE_GREY, NHS_BLUE, NHS_TEXT),
    "secondary": (WHITE, NHS_BLUE, NHS_TEXT),
    "change": (WHITE, NHS_DARK_GREY, NHS_TEXT),
}
#: A change idea's status -> (outline, dash): adopted ones stand out, abandoned ones recede.
CHANGE_TONES = {"adopted": (NHS_GREEN, ""), "abandoned": (NHS_MID_GREY, "4 3")}


@dataclass
class DiagramNode:
    text: str
    kind: str  # aim, primary, secondary or change
    children: list[DiagramNode] = field(default_factory=list)
    #: For change ideas: their status (adopted, abandoned, testing...), shown in the box.
    tone: str = ""
    note: str = ""


@dataclass
class _Placed:
    node: DiagramNode
    column: int
    lines: list[str]
    x: float = 0.0
    y: float = 0.0
    height: float = 0.0
    children: list[_Placed] = field(default_factory=list)


def _lines(node: DiagramNode) -> list[str]:
    lines = textwrap.wrap(node.text, WRAP, break_long_words=True) or [""]
    if node.note:
        lines += textwrap.wrap(f"({node.note})", WRAP)
    return lines


def _build(node: DiagramNode, column: int) -> _Placed:
    placed = _Placed(node, column, _lines(node))
    placed.height = 2 * PADDING + LINE_HEIGHT * len(placed.lines)
    placed.children = [_build(child, column + 1) for child in node.children]
    return placed


def _span(placed: _Placed) -> float:
    """The height the box and everything right of it needs."""
    children = sum(_span(c) for c in placed.children) + ROW_GAP * max(len(placed.children) - 1, 0)
    return max(placed.height, children)


def _place(placed: _Placed, top: float) -> None:
    span = _span(placed)
    placed.x = MARGIN + placed.column * (BOX_WIDTH + COLUMN_GAP)
    placed.y = top + (span - placed.height) / 2
    children = sum(_span(c) for c in placed.children) + ROW_GAP * max(len(placed.children) - 1, 0)
    y = top + (span - children) / 2
    for child in placed.children:
        _place(child, y)
        y += _span(child) + ROW_GAP


def _walk(placed: _Placed):
    yield placed
    for child in placed.children:
        yield from _walk(child)


def describe(root: DiagramNode) -> str:
    """One sentence for the picture's description: how many of each kind of box."""
    counts = {"primary": 0, "secondary": 0, "change": 0}

    def count(node: DiagramNode) -> None:
        if node.kind in counts:
            counts[node.kind] += 1
        for child in node.children:
            count(child)

    count(root)

    def n(number: int, one: str, many: str) -> str:
        return f"{number} {one if number == 1 else many}"

    return (
        f"Driver diagram: the aim, {n(counts['primary'], 'primary driver', 'primary drivers')}, "
        f"{n(counts['secondary'], 'secondary driver', 'secondary drivers')} and "
        f"{n(counts['change'], 'change idea', 'change ideas')}. The same diagram is set out "
        "as a list on this page."
    )


def driver_diagram_svg(root: DiagramNode, *, id_prefix: str = "driver-diagram") -> str:
    """The diagram as an SVG element (text), sized to fit its tree."""
    placed = _build(root, 0)
    _place(placed, HEADER_HEIGHT)
    height = HEADER_HEIGHT + _span(placed) + MARGIN
    width = 2 * MARGIN + len(COLUMNS) * BOX_WIDTH + (len(COLUMNS) - 1) * COLUMN_GAP
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="mhsip-driver-diagram" role="img" '
            f'width="{width}" height="{height:.0f}" viewBox="0 0 {width} {height:.0f}" '
            f'aria-labelledby="{title_id} {desc_id}" font-family={quoteattr(FONT)}>'
        ),
        f'<title id="{title_id}">Driver diagram</title>',
        f'<desc id="{desc_id}">{escape(describe(root))}</desc>',
    ]
    for index, heading in enumerate(COLUMNS):
        x = MARGIN + index * (BOX_WIDTH + COLUMN_GAP)
        parts.append(
            f'<text x="{x}" y="{HEADER_HEIGHT - 12}" font-size="14" font-weight="600" '
            f'fill="{NHS_TEXT}">{escape(heading)}</text>'
        )
    boxes = list(_walk(placed))
    for box in boxes:  # connectors first, so boxes draw over their ends
        for child in box.children:
            x1, y1 = box.x + BOX_WIDTH, box.y + box.height / 2
            x2, y2 = child.x, child.y + child.height / 2
            middle = x1 + COLUMN_GAP / 2
            parts.append(
                f'<path d="M{x1:.1f} {y1:.1f} H{middle:.1f} V{y2:.1f} H{x2:.1f}" fill="none" '
                f'stroke="{NHS_MID_GREY}" stroke-width="1.5"/>'
            )
    for box in boxes:
        fill, outline, colour = STYLES[box.node.kind]
        dash = ""
        if box.node.kind == "change" and box.node.tone in CHANGE_TONES:
            outline, pattern = CHANGE_TONES[box.node.tone]
            dash = f' stroke-dasharray="{pattern}"' if pattern else ""
        parts.append(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{BOX_WIDTH}" height="{box.height:.1f}" '
            f'rx="4" fill="{fill}" stroke="{outline}" stroke-width="2"{dash}/>'
        )
        lines = "".join(
            f'<tspan x="{box.x + PADDING:.1f}" dy="{LINE_HEIGHT if i else 0}">{escape(line)}</tspan>'
            for i, line in enumerate(box.lines)
        )
        baseline = box.y + PADDING + LINE_HEIGHT - 4
        parts.append(
            f'<text x="{box.x + PADDING:.1f}" y="{baseline:.1f}" font-size="{FONT_SIZE}" '
            f'fill="{colour}">{lines}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
