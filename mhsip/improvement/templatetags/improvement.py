"""Words and markup for the improvement pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from mhsip.improvement.models import ChangeStatus, CycleStage, Decision

register = template.Library()

#: NHS.UK tag colours for a change's or a cycle's state.
_TAG_COLOURS = {
    ChangeStatus.NOT_TESTED: "grey",
    ChangeStatus.TESTING: "blue",
    ChangeStatus.ADOPTED: "green",
    ChangeStatus.ABANDONED: "grey",
    CycleStage.PLAN: "grey",
    CycleStage.DO: "blue",
    CycleStage.STUDY: "purple",
    CycleStage.ACT: "green",
    Decision.ADOPT: "green",
    Decision.ADAPT: "yellow",
    Decision.ABANDON: "grey",
    "pending": "orange",
    "published": "green",
    "rejected": "grey",
}


@register.filter
def svg_markup(markup: str | None) -> SafeString:
    """Driver diagrams are drawn by mhsip.improvement.diagram, which escapes every text."""
    return mark_safe(markup or "")


@register.filter
def tag_colour(value: str) -> str:
    return _TAG_COLOURS.get(value, "grey")


@register.filter
def number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}"


@register.filter
def ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
