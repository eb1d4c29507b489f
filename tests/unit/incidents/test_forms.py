from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from mhsip.incidents.forms import RecordForms, initial_from_record, intervention_type_choices
from mhsip.incidents.validation import Problem
from tests.factories.incidents import record_create, record_form_data
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

DAY = date(2026, 3, 14)


def at(day, hh_mm):
    hours, minutes = map(int, hh_mm.split(":"))
    return timezone.make_aware(datetime(day.year, day.month, day.day, hours, minutes))


def parsed(**overrides):
    forms = RecordForms(record_form_data(DAY, **overrides))
    assert forms.is_valid(), (forms.form.errors, forms.interventions.errors)
    return forms, forms.to_input()


def test_types_of_force_are_grouped_by_kind():
    choices = dict(intervention_type_choices()[1:])

    assert [code for code, _ in choices["Physical restraint"]][:2] == ["01", "09"]
    assert choices["Chemical restraint"][0] == ("14", "Rapid tranquillisation (injection)")
    assert list(choices) == [
        "Physical restraint",
        "Mechanical restraint",
        "Seclusion",
        "Segregation",
        "Chemical restraint",
    ]


def test_times_are_placed_on_the_incidents_date():
    _, record_input = parsed()

    assert record_input.fields["started_at"] == at(DAY, "14:05")
    assert record_input.fields["ended_at"] == at(DAY, "14:25")
    assert [i["started_at"] for i in record_input.interventions] == [
        at(DAY, "14:05"),
        at(DAY, "14:13"),
    ]
    assert record_input.staff[1] == {"name": "Priya Shah", "job_title": "HCA", "role": "upper_body"}


def test_across_days_an_intervention_starts_at_the_first_such_time_after_the_incident():
    end = DAY + timedelta(days=2)
    _, record_input = parsed(
        started_at="22:00",
        ended_at="10:30",
        end_date_day=str(end.day),
        end_date_month=str(end.month),
        end_date_year=str(end.year),
        interventions=[
            ("11", "22:00", "22:10"),
            ("06", "22:10", "10:30"),
            ("14", "01:00", "01:05"),
        ],
    )

    hold, segregation, injection = record_input.interventions
    assert (hold["started_at"], hold["ended_at"]) == (at(DAY, "22:00"), at(DAY, "22:10"))
    # Its end matches the incident's: it ended when the incident did, two days later.
    assert segregation["ended_at"] == at(end, "10:30")
    next_day = DAY + timedelta(days=1)
    assert (injection["started_at"], injection["ended_at"]) == (
        at(next_day, "01:00"),
        at(next_day, "01:05"),
    )


def test_empty_rows_are_left_out_and_remembered_by_position():
    _, record_input = parsed(
        interventions=[("", "", ""), ("05", "14:05", "14:20")],
        staff=[("", "", ""), ("Sam Lee", "Nurse", "")],
    )

    assert record_input.intervention_rows == [1] and record_input.staff_rows == [1]


def test_problems_land_on_the_rows_they_came_from():
    forms, record_input = parsed(interventions=[("", "", ""), ("05", "14:05", "14:20")])

    forms.show_problems(
        [
            Problem("interventions-0-ended_at", "Intervention 1: the end must be after the start"),
            Problem("staff", "Add the name and job title of each member of staff involved"),
            Problem("no_stay_reason", "The patient has no stay", warning=True),
            Problem("patient", "This patient is not known to this ward's provider"),
        ],
        record_input,
    )

    assert forms.interventions.forms[1].errors["ended_at"]
    assert forms.staff.forms[0].errors["name"]
    assert forms.form.warnings == {"no_stay_reason"}
    assert [f.name for f in forms.form.overrides()] == ["no_stay_reason"]
    summary = [link.anchor for link in forms.errors()]
    assert summary == [
        "id_date_day",  # the form's own error ("patient") comes first
        "id_interventions-1-ended_at",
        "id_staff-0-name",
        "id_no_stay_reason",
    ]


def test_times_without_a_date_ask_for_the_date():
    forms = RecordForms(record_form_data(DAY, date_day="", date_month="", date_year=""))

    assert not forms.is_valid()
    assert forms.form.errors["date"] == ["Enter the date force was used"]


def test_intervention_times_without_a_date_ask_for_the_date():
    data = record_form_data(
        DAY, date_day="", date_month="", date_year="", started_at="", ended_at=""
    )
    forms = RecordForms(data)

    assert not forms.is_valid()
    assert forms.form.errors["date"] == ["Enter the date force was used"]


def test_an_end_date_before_the_start_date_is_an_error():
    before = DAY - timedelta(days=1)
    forms = RecordForms(
        record_form_data(
            DAY,
            end_date_day=str(before.day),
            end_date_month=str(before.month),
            end_date_year=str(before.year),
        )
    )

    assert not forms.is_valid()
    assert forms.form.errors["end_date"]


def test_a_role_without_a_name_is_an_error():
    forms = RecordForms(record_form_data(DAY, staff=[("", "", "observer")]))

    assert not forms.is_valid()
    assert forms.staff.forms[0].errors["name"] == ["Enter the name of this member of staff"]


def test_another_row_keeps_what_was_typed_without_errors():
    forms = RecordForms(record_form_data(DAY, started_at="not a time"))

    more = forms.with_another_row("interventions")

    assert len(more.interventions.forms) == 3 and not more.form.is_bound
    assert more.form["started_at"].value() == "not a time"
    assert more.interventions.forms[0]["type_code"].value() == "11"
    assert more.form["date"].value() == [str(DAY.day), str(DAY.month), str(DAY.year)]


@pytest.mark.django_db
def test_a_record_fills_the_form_as_it_was_saved():
    ward = WardFactory()
    nurse = MembershipFactory(role="ward_staff", ward=ward).user
    patient = PatientFactory(provider=ward.provider)
    WardStayFactory(patient=patient, ward=ward)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=5)
    record = record_create(by=nurse, ward=ward, patient=patient, started_at=start)

    initial = initial_from_record(record)
    forms = RecordForms(initial=initial)

    local = timezone.localtime(start)
    assert forms.form["date"].value() == [str(local.day), str(local.month), str(local.year)]
    assert forms.form["started_at"].value() == f"{local:%H:%M}"
    assert len(forms.interventions.forms) == 3  # the two saved, and one to add to
    assert forms.staff.forms[0]["name"].value() == "Alex Morgan"


def test_a_damaged_list_is_an_error_in_the_summary():
    data = record_form_data(DAY)
    del data["staff-TOTAL_FORMS"]
    forms = RecordForms(data)

    assert not forms.is_valid()
    assert any(link.anchor == "staff" for link in forms.errors())
