from datetime import date, time

import pytest
from django import forms

from mhsip.web.forms import DateField, NhsukForm, TimeField, form_errors


class WhenForm(NhsukForm):
    day = DateField(label="Date of admission")
    at = TimeField(label="Time of admission", required=False)
    note = forms.CharField(label="Note")


def day(d, m, y):
    return {"day_day": d, "day_month": m, "day_year": y}


def test_date_field_reads_three_boxes():
    form = WhenForm({**day("7", "03", "2026"), "at": "14:30", "note": "x"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 3, 7)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("30", "2", "2026"), "Date of admission must be a real date: 30/2/2026 does not exist"),
        (("", "2", "2026"), "Date of admission must include a day"),
        (("1", "", ""), "Date of admission must include a month and year"),
        (("1", "Feb", "2026"), "Date of admission must be a real date, in numbers"),
        (("1", "2", "26"), "Date of admission must be a real date, in numbers"),
    ],
)
def test_date_field_names_itself_in_every_error(parts, message):
    form = WhenForm({**day(*parts), "note": "x"})

    assert not form.is_valid()
    assert form.errors["day"][0].startswith(message)


def test_an_empty_optional_date_is_none():
    class Optional(NhsukForm):
        day = DateField(label="Date")

    form = Optional(day("", "", ""))

    assert form.is_valid() and form.cleaned_data["day"] is None


def test_a_date_shows_in_its_three_boxes():
    form = WhenForm(initial={"day": date(2026, 3, 7)})

    assert form["day"].value() == ["7", "3", "2026"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", time(14, 30)),
        ("1430", time(14, 30)),
        ("14.30", time(14, 30)),
        ("9:05", time(9, 5)),
        ("", None),
    ],
)
def test_time_field_reads_the_24_hour_clock(typed, expected):
    form = WhenForm({**day("7", "3", "2026"), "at": typed, "note": "x"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["at"] == expected


@pytest.mark.parametrize("typed", ["24:00", "12:60", "2pm", "1:2"])
def test_time_field_refuses_what_is_not_a_time(typed):
    form = WhenForm({**day("7", "3", "2026"), "at": typed, "note": "x"})

    assert form.errors["at"] == [
        "Time of admission must be a real time on the 24-hour clock, for example 14:30"
    ]


def test_time_field_shows_a_time_as_hours_and_minutes():
    assert WhenForm(initial={"at": time(9, 5)})["at"].value() == "09:05"


def test_form_errors_link_to_the_control_that_takes_focus():
    form = WhenForm({**day("30", "2", "2026"), "at": "nope", "note": ""})
    form.is_valid()
    form.add_error(None, "Something about the whole form")

    links = form_errors(form)

    assert [link.anchor for link in links] == ["id_day_day", "id_day_day", "id_at", "id_note"]
    assert links[0].message == "Something about the whole form"
    assert form_errors(form, ["note"], non_field=False)[0].anchor == "id_note"
