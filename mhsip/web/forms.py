"""Form fields and helpers for the NHS.UK design system's form patterns.

Fields parse what people type on a ward tablet (a date in three boxes, a 24-hour time with or
without its colon) and name themselves in every error, as the error summary shows messages
away from their fields. The markup is in templates/web/nhsuk/, drawn by the `nhsuk_field` tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from django import forms


class NhsukForm(forms.Form):
    """A form drawn with the NHS.UK patterns: the server validates, not the browser."""

    use_required_attribute = False


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes (the NHS.UK date input); submitted as name_day and so on."""

    def __init__(self, attrs=None):
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput},
            attrs=attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed into three boxes. Rejects dates that do not exist (30 2 2026)."""

    widget = DateWidget

    def __init__(self, *, required: bool = False, **kwargs):
        # Optional parts: compress() says which part is missing, naming the field.
        parts = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(parts, required=required, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        day, month, year = (str(part or "").strip() for part in (data_list or ["", "", ""]))
        if not (day or month or year):
            return None
        name = self.label or "The date"
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(
                f"{name} must be a real date, in numbers, for example 14 3 2026"
            )
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{name} must be a real date: {day}/{month}/{year} does not exist"
            ) from None

    def prepare_value(self, value):
        if isinstance(value, date):
            return self.widget.decompress(value)
        return value


_TIME = re.compile(r"^(\d{1,2})[:.h ]?(\d{2})$")


class TimeField(forms.CharField):
    """A 24-hour time: 14:30, 1430, 14.30 or 9:05 (tablet keypads often lack a colon)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = _TIME.match(value)
        hours, minutes = (int(match[1]), int(match[2])) if match else (99, 99)
        if hours > 23 or minutes > 59:
            raise forms.ValidationError(
                f"{self.label or 'The time'} must be a real time on the 24-hour clock, "
                "for example 14:30"
            )
        return time(hours, minutes)

    def prepare_value(self, value):
        if isinstance(value, time):
            return f"{value:%H:%M}"
        return value


@dataclass(frozen=True)
class ErrorLink:
    """One line of an error summary: the message, and the id of the field it links to."""

    anchor: str
    message: str


def field_anchor(bound_field) -> str:
    """The id of the control an error summary link should move focus to."""
    widget = bound_field.field.widget
    if isinstance(widget, DateWidget):
        return f"{bound_field.auto_id}_day"
    return bound_field.auto_id


def form_errors(form, names: list[str] | None = None, *, non_field: bool = True) -> list[ErrorLink]:
    """The form's errors in page order: its own (non-field) errors first, then field by field.

    `names` picks fields (in that order), for a page that draws a form in parts.
    """
    links = (
        [ErrorLink(_first_anchor(form), str(e)) for e in form.non_field_errors()]
        if non_field
        else []
    )
    for name in names if names is not None else list(form.fields):
        if name in form.errors:
            bound = form[name]
            links.extend(ErrorLink(field_anchor(bound), str(e)) for e in bound.errors)
    return links


def _first_anchor(form) -> str:
    first = next(iter(form.fields), None)
    return field_anchor(form[first]) if first else "maincontent"
