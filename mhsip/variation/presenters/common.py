"""What every variation page shares: the periods it looks back over, words for them, and small
helpers for numbers and names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
from django.urls import reverse

from mhsip.dashboards.presenters import (
    Target,
    dashboard_span,
)
from mhsip.dashboards.queries import Level
from mhsip.measures import Periods, month_periods

#: Periods a page can look back over, in months; a year by default, as the programme reports.
MONTH_CHOICES = (3, 6, 12, 24, 36)
DEFAULT_MONTHS = 12


def choice(query: Mapping[str, Any], name: str, allowed: list[str], default: str) -> str:
    value = query.get(name)
    return value if value in allowed else default


def window(months: int, today: date | None = None) -> Periods:
    """The last `months` complete months."""
    starts = dashboard_span(today).starts[-months:]
    return month_periods(starts[0].item(), starts[-1].item())


def period_words(span: Periods) -> str:
    first = span.starts[0].item()
    last = span.starts[-1].item()
    return f"{first:%B %Y} to {last:%B %Y}"


def month_words(day: np.datetime64) -> str:
    return f"{day.item():%B %Y}"


def number(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def dashboard_url(level: Level | str, code: str) -> str:
    return reverse("dashboards:summary", args=[str(level), code])


def and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def in_sentence(label: str) -> str:
    """A label as it reads mid-sentence: "Adult acute" -> "adult acute", acronyms kept
    ("PICU", "CAMHS tier 4")."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def funnel_available(target: Target) -> bool:
    """Funnels and bright spots compare wards, so they need a provider or a network."""
    return target.level is not Level.WARD
