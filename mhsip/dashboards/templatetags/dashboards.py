"""Numbers and words for the dashboard pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from mhsip.charts.mdc import POINT_TYPE_WORDS
from mhsip.measures.aims import AimProgress

register = template.Library()


@register.filter
def rate(value: float | None) -> str:
    if value is None:
        return "No data"
    return f"{value:,.1f}"


@register.filter
def figure(value: float | None, measure=None) -> str:
    """A chart value as people read it: whole numbers for counts, one decimal for rates."""
    if value is None:
        return "Suppressed or no data"
    if measure is not None and measure.is_rate and measure.multiplier == 100:
        return f"{value:,.1f}%"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


@register.filter
def change_words(aim: AimProgress) -> str:
    if aim.change_percent is None or aim.change_interval is None:
        return "Not enough data to compare with the baseline."
    low, high = aim.change_interval
    text = f"{aim.change_percent:+.0f}% (95% confidence interval {low:+.0f}% to {high:+.0f}%)"
    if aim.ratio_upper is not None and aim.ratio_upper < 1:
        return text + ": lower than the baseline, beyond chance."
    if aim.ratio_lower is not None and aim.ratio_lower > 1:
        return text + ": higher than the baseline, beyond chance."
    return text + ": the interval includes no change, so this could be chance."


@register.filter
def svg(markup: str | None) -> SafeString:
    """Icons and sparklines are drawn by mhsip.charts, which escapes every text it puts in."""
    return mark_safe(markup or "")


@register.filter
def point_words(point_type: str | None) -> str:
    return POINT_TYPE_WORDS.get(point_type or "", "Not judged (missing or excluded)")
