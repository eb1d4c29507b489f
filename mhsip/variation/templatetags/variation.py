"""Numbers for the variation and inequality pages: counts, rates, ratios and intervals, with
withheld figures said in words."""

from __future__ import annotations

from django import template

from mhsip.equity import format_ratio
from mhsip.variation.presenters.common import in_sentence as sentence_case

register = template.Library()

DASH = "–"


@register.filter
def count(value: float | None, withheld: str = "Suppressed") -> str:
    """A count with thousands separated; `withheld` where it is None."""
    if value is None:
        return withheld
    return f"{value:,.0f}"


@register.filter
def in_sentence(label: str) -> str:
    """A label as it reads mid-sentence, acronyms kept: "Ethnicity (NHS categories)" ->
    "ethnicity (NHS categories)"."""
    return sentence_case(str(label))


@register.filter
def rate(value: float | None) -> str:
    return DASH if value is None else f"{value:,.1f}"


@register.filter
def percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}%"


@register.filter
def ratio(value: float | None) -> str:
    return DASH if value is None else format_ratio(value)


@register.simple_tag
def interval(lower: float | None, upper: float | None, kind: str = "rate") -> str:
    """ "1.2 to 3.4" (rates to one decimal, ratios as mhsip.equity formats them)."""
    if lower is None:
        return DASH
    show = format_ratio if kind == "ratio" else (lambda v: f"{v:,.1f}")
    return f"{show(lower)} to {'no upper limit' if upper is None else show(upper)}"
