"""Draw Django form fields with the NHS.UK design system's markup (nhsuk-frontend v10).

    {% load nhsuk %}
    {% nhsuk_error_summary errors %}                 errors: a list of web.forms.ErrorLink
    {% nhsuk_field form.reason %}                    select, input, textarea, date or radios
    {% nhsuk_field form.place inline=True size="m" %}

The widget decides the pattern. Radios reveal follow-up fields for a chosen answer when the form
says so in `conditional_fields = {"field": {"value": ["other_field", ...]}}`; those fields are
drawn inside the radio item (and work without JavaScript: they simply show).
"""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from mhsip.web.forms import DateWidget, ErrorLink

register = template.Library()


@register.simple_tag
def nhsuk_error_summary(errors: list[ErrorLink]) -> SafeString:
    if not errors:
        return mark_safe("")
    return render_to_string("web/nhsuk/error_summary.html", {"errors": errors})


@register.simple_tag
def nhsuk_field(
    field,
    *,
    size: str = "s",
    inline: bool | None = None,
    width: str = "",
    rows: int = 4,
    hint: str | None = None,
    page_heading: bool = False,
    label_hidden: bool = False,
    autocomplete: str = "",
    inputmode: str = "",
    warning: bool = False,
) -> SafeString:
    """Render one bound field as an NHS.UK form group.

    size: the label or legend size (s, m, l, xl); page_heading wraps it in the page's h1, as
    the design system does for a page that asks one question.
    """
    widget = field.field.widget
    hint = field.help_text if hint is None else hint
    errors = [str(e) for e in field.errors]
    ids = []
    if hint:
        ids.append(f"{field.auto_id}-hint")
    if errors:
        ids.append(f"{field.auto_id}-error")
    context = {
        "field": field,
        "id": field.auto_id,
        "name": field.html_name,
        "label": field.label,
        "hint": hint,
        "errors": errors,
        "describedby": " ".join(ids),
        "size": size,
        "page_heading": page_heading,
        "label_hidden": label_hidden,
        "width": width,
        "autocomplete": autocomplete,
        "inputmode": inputmode,
        "warning": warning,
    }
    if isinstance(widget, forms.RadioSelect):
        kind = "radios"
        context["items"] = _radio_items(field)
        # Inline radios cannot reveal follow-up fields; short answer lists sit on one line.
        has_conditionals = any(item["conditional"] for item in context["items"])
        context["inline"] = (
            (len(context["items"]) <= 4 and not has_conditionals) if inline is None else inline
        )
    elif isinstance(widget, DateWidget):
        kind = "date"
        value = field.value() or ["", "", ""]
        context["parts"] = [
            {"key": key, "label": label, "value": value[i] or "", "width": w}
            for i, (key, label, w) in enumerate(
                [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)]
            )
        ]
    elif isinstance(widget, forms.Textarea):
        kind = "textarea"
        context["value"] = field.value() or ""
        context["rows"] = rows
    elif isinstance(widget, forms.Select):
        kind = "select"
        context["options"] = _select_options(field)
    else:
        kind = "input"
        value = field.value()
        context["value"] = "" if value is None else value
    return render_to_string(f"web/nhsuk/{kind}.html", context)


def _selected(field) -> str:
    value = field.value()
    return "" if value is None else str(value)


def _select_options(field) -> list[dict]:
    """Options and option groups (a choice whose label is a list of choices is a group)."""
    selected = _selected(field)

    def option(value, label):
        return {"value": value, "label": label, "selected": str(value) == selected}

    options = []
    for value, label in field.field.choices:
        if isinstance(label, list | tuple):
            options.append({"group": value, "options": [option(v, lab) for v, lab in label]})
        else:
            options.append(option(value, label))
    return options


def _radio_items(field) -> list[dict]:
    selected = _selected(field)
    form = field.form
    reveals = getattr(form, "conditional_fields", {}).get(field.name, {})
    items = []
    choices = [(v, lab) for v, lab in field.field.choices if v != ""]
    for index, (value, label) in enumerate(choices):
        item_id = field.auto_id if index == 0 else f"{field.auto_id}-{index + 1}"
        conditional = "".join(nhsuk_field(form[name]) for name in reveals.get(str(value), []))
        items.append(
            {
                "id": item_id,
                "value": value,
                "label": label,
                "checked": str(value) == selected,
                "conditional": mark_safe(conditional),
            }
        )
    return items
