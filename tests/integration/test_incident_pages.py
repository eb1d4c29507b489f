"""Recording, reading and correcting use-of-force records through the pages (Django's Client)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.incidents.models import RecordStatus, UseOfForceRecord
from mhsip.patients.models import Patient
from mhsip.patients.pseudonyms import local_id_hash
from mhsip.patients.tokens import patient_token
from tests.factories.incidents import record_create, record_form_data
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return WardFactory(name="Willow Ward")


@pytest.fixture
def nurse(ward):
    return MembershipFactory(role="ward_staff", ward=ward, user__first_name="Nia").user


@pytest.fixture
def manager(ward):
    return MembershipFactory(role="ward_manager", ward=ward).user


@pytest.fixture
def patient(ward):
    patient = PatientFactory(
        provider=ward.provider, local_id_hash=local_id_hash(ward.provider.code, "MRN123456")
    )
    WardStayFactory(patient=patient, ward=ward, started_at=timezone.now() - timedelta(days=20))
    return patient


@pytest.fixture
def other_nurse():
    return MembershipFactory(role="ward_staff", ward=WardFactory()).user


@pytest.fixture
def network_lead(ward):
    return MembershipFactory(role="network_lead", organisation=ward.provider.parent).user


def signed_in(client, user):
    client.force_login(user)
    return client


def create_url(ward, patient):
    token = patient_token(ward=ward, patient=patient)
    return reverse("incidents:record-create", args=[ward.code]) + f"?patient={token}"


# Home


def test_home_lists_the_persons_wards_with_a_record_button(client, nurse, ward):
    WardFactory(name="Not Their Ward")
    response = signed_in(client, nurse).get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Your wards" in content and "Willow Ward" in content
    assert "Not Their Ward" not in content
    assert reverse("incidents:record-patient", args=[ward.code]) in content
    assert nurse.display_name in content and "Sign out" in content


def test_home_signed_out_shows_the_intro_and_sign_in(client):
    content = client.get("/").content.decode()

    assert "Reducing restrictive practice" in content
    assert f'href="{reverse("login")}"' in content


# Ward page


def test_ward_page_lists_records_and_audits_the_list(client, nurse, ward, patient):
    record = record_create(by=nurse, ward=ward, patient=patient)

    response = signed_in(client, nurse).get(reverse("organisations:ward-detail", args=[ward.code]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Willow Ward" in content and "18" in content  # beds
    assert record.reference in content and patient.alias in content
    assert "Physical restraint - seated" in content and "Complete" in content
    event = AuditEvent.objects.get(action="use_of_force_record.list")
    assert event.actor == nurse and event.ward == ward


def test_ward_page_lists_most_recent_first_25_a_page(client, nurse, ward, patient):
    start = timezone.now() - timedelta(days=10)
    records = [
        record_create(by=nurse, ward=ward, patient=patient, started_at=start + timedelta(hours=i))
        for i in range(26)
    ]
    client = signed_in(client, nurse)
    first = client.get(reverse("organisations:ward-detail", args=[ward.code])).content.decode()
    second = client.get(reverse("organisations:ward-detail", args=[ward.code]) + "?page=2")

    assert records[-1].reference in first and records[0].reference not in first
    assert first.index(records[-1].reference) < first.index(records[-2].reference)
    assert records[0].reference in second.content.decode()
    assert AuditEvent.objects.filter(action="use_of_force_record.list").count() == 2


@pytest.mark.parametrize("who", ["other_nurse", "network_lead"])
def test_ward_page_is_forbidden_to_other_wards_and_network_roles(client, ward, who, request):
    user = request.getfixturevalue(who)

    response = signed_in(client, user).get(reverse("organisations:ward-detail", args=[ward.code]))

    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()
    assert not AuditEvent.objects.filter(action="use_of_force_record.list").exists()


def test_ward_page_sends_the_signed_out_to_sign_in(client, ward):
    response = client.get(reverse("organisations:ward-detail", args=[ward.code]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_ward_is_404(client, nurse):
    response = signed_in(client, nurse).get("/wards/NO-SUCH-WARD/")

    assert response.status_code == 404 and "Page not found" in response.content.decode()


# Recording: which patient?


def test_finding_a_known_patient_goes_to_the_record_form(client, nurse, ward, patient):
    response = signed_in(client, nurse).post(
        reverse("incidents:record-patient", args=[ward.code]), {"local_id": "mrn 123 456"}
    )

    # Spaces and case do not matter.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("incidents:record-create", args=[ward.code]))
    form = client.get(response["Location"])
    assert form.status_code == 200 and patient.alias in form.content.decode()


def test_an_unknown_patient_can_be_added_then_recorded(client, nurse, ward):
    url = reverse("incidents:record-patient", args=[ward.code])
    client = signed_in(client, nurse)

    offer = client.post(url, {"local_id": "RX9 99999"})
    assert offer.status_code == 200
    assert "Add a new patient" in offer.content.decode()
    added = client.post(
        url,
        {
            "step": "add",
            "local_id": "RX9 99999",
            "year_of_birth": "1990",
            "sex": "female",
            "gender_identity": "same_as_sex",
            "ethnicity": "N",
            "religion": "not_stated",
            "sexual_orientation": "not_known",
            "disability": "no",
            "learning_disability": "no",
            "autism": "not_known",
            "mental_disorder": "",
            "legal_status": "s3",
        },
    )

    assert added.status_code == 302
    patient = Patient.objects.get(provider=ward.provider)
    assert patient.ethnicity == "N" and patient.legal_status == "s3"
    assert AuditEvent.objects.filter(action="patient.create", ward=ward).exists()


def test_adding_a_patient_shows_errors_in_the_summary(client, nurse, ward):
    response = signed_in(client, nurse).post(
        reverse("incidents:record-patient", args=[ward.code]),
        {"step": "add", "local_id": "RX1", "year_of_birth": "1700", "sex": "female"},
    )

    content = response.content.decode()
    assert "There is a problem" in content
    assert "Year of birth must be between 1900" in content
    assert not Patient.objects.exists()


def test_the_record_form_without_a_valid_patient_goes_back_to_finding_one(client, nurse, ward):
    url = reverse("incidents:record-create", args=[ward.code]) + "?patient=forged"

    response = signed_in(client, nurse).get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:record-patient", args=[ward.code])


def test_a_patient_token_from_another_ward_is_refused(client, nurse, ward, patient):
    other = WardFactory(site=ward.site)
    MembershipFactory(role="ward_staff", ward=other, user=nurse)
    url = reverse("incidents:record-create", args=[other.code])
    url += f"?patient={patient_token(ward=ward, patient=patient)}"

    assert signed_in(client, nurse).get(url).status_code == 302


def test_recording_is_forbidden_to_other_wards_and_network_roles(
    client, ward, other_nurse, network_lead
):
    for user in (other_nurse, network_lead):
        client.force_login(user)
        url = reverse("incidents:record-patient", args=[ward.code])
        assert client.get(url).status_code == 403


# Recording: the record


def test_recording_a_complete_incident_with_two_interventions(client, nurse, ward, patient):
    response = signed_in(client, nurse).post(create_url(ward, patient), record_form_data())

    record = UseOfForceRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:record-detail", args=[record.pk])
    assert record.status == RecordStatus.COMPLETE and record.created_by == nurse
    assert [i.type_code for i in record.interventions.all()] == ["11", "14"]
    assert [s.name for s in record.staff.all()] == ["Alex Morgan", "Priya Shah"]
    assert record.duration_minutes == 20
    assert timezone.localtime(record.started_at).strftime("%H:%M") == "14:05"
    assert AuditEvent.objects.filter(action="use_of_force_record.create").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "has been recorded" in page


def test_an_incident_that_runs_past_midnight_needs_no_end_date(client, nurse, ward, patient):
    day = timezone.localdate() - timedelta(days=2)
    data = record_form_data(
        day,
        started_at="23:50",
        ended_at="00:10",
        interventions=[("11", "23:52", "00:02"), ("14", "00:02", "00:04")],
    )

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    assert response.status_code == 302
    record = UseOfForceRecord.objects.get()
    assert record.duration_minutes == 20
    assert timezone.localtime(record.ended_at).date() == day + timedelta(days=1)
    second = record.interventions.order_by("started_at").last()
    assert timezone.localtime(second.started_at).date() == day + timedelta(days=1)


def test_an_end_long_before_the_start_is_still_an_error(client, nurse, ward, patient):
    data = record_form_data(started_at="14:00", ended_at="13:00")

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    assert response.status_code == 200
    assert "must be after the start" in response.content.decode()
    assert not UseOfForceRecord.objects.exists()


def test_saving_a_draft_needs_almost_nothing(client, nurse, ward, patient):
    data = record_form_data(action="draft", interventions=[], staff=[], outcome="", reason="")

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    assert response.status_code == 302
    assert UseOfForceRecord.objects.get().status == RecordStatus.DRAFT


def test_a_draft_may_be_saved_with_nothing_but_the_patient(client, nurse, ward, patient):
    data = {
        "action": "draft",
        "interventions-TOTAL_FORMS": "2",
        "interventions-INITIAL_FORMS": "2",
        "staff-TOTAL_FORMS": "2",
        "staff-INITIAL_FORMS": "2",
    }

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    assert response.status_code == 302
    record = UseOfForceRecord.objects.get()
    assert record.status == RecordStatus.DRAFT and record.started_at is None
    ward_page = client.get(reverse("organisations:ward-detail", args=[ward.code]))
    assert "Not entered" in ward_page.content.decode()


def test_completing_names_every_missing_item(client, nurse, ward, patient):
    data = record_form_data(interventions=[], staff=[], outcome="", reason="", place="")

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    content = response.content.decode()
    assert response.status_code == 200 and not UseOfForceRecord.objects.exists()
    assert "There is a problem" in content
    for message, anchor in [
        ("Select where it happened", "#id_place"),
        ("Select the reason force was used", "#id_reason"),
        ("Add at least one type of force used", "#id_interventions-0-type_code"),
        ("Add the name and job title of each member of staff involved", "#id_staff-0-name"),
        ("Describe the outcome for the patient", "#id_outcome"),
    ]:
        assert f'<a href="{anchor}">{message}</a>' in content
    assert 'class="nhsuk-error-message" id="id_outcome-error"' in content


def test_an_intervention_ending_before_it_starts_is_shown_on_its_field(
    client, nurse, ward, patient
):
    data = record_form_data(interventions=[("11", "14:05", "14:13"), ("14", "14:15", "14:10")])

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    content = response.content.decode()
    assert (
        '<a href="#id_interventions-1-ended_at">Intervention 2: the end must be after the start</a>'
        in content
    )
    assert 'id="id_interventions-1-ended_at-error"' in content
    assert 'nhsuk-input--error" id="id_interventions-1-ended_at"' in content
    # What was typed is kept.
    assert 'value="14:15"' in content


def test_error_rows_are_numbered_as_on_the_page_when_a_row_above_is_empty(
    client, nurse, ward, patient
):
    data = record_form_data(interventions=[("", "", ""), ("14", "14:15", "14:10")])

    content = signed_in(client, nurse).post(create_url(ward, patient), data).content.decode()

    assert 'href="#id_interventions-1-ended_at"' in content


def test_the_incident_ending_before_it_starts_is_an_error(client, nurse, ward, patient):
    data = record_form_data(ended_at="13:00", interventions=[("11", "13:00", "13:00")])

    content = signed_in(client, nurse).post(create_url(ward, patient), data).content.decode()

    assert 'href="#id_ended_at"' in content and "must be after the start" in content


def test_an_impossible_date_is_rejected_naming_the_field(client, nurse, ward, patient):
    data = record_form_data(date_day="30", date_month="2", date_year="2025")

    content = signed_in(client, nurse).post(create_url(ward, patient), data).content.decode()

    assert "Date force was used must be a real date: 30/2/2025 does not exist" in content
    assert '<a href="#id_date_day">' in content
    assert not UseOfForceRecord.objects.exists()


def test_a_time_that_is_not_a_time_is_rejected(client, nurse, ward, patient):
    data = record_form_data(started_at="25:99")

    content = signed_in(client, nurse).post(create_url(ward, patient), data).content.decode()

    assert "Start time must be a real time on the 24-hour clock" in content


def test_times_may_be_typed_without_a_colon(client, nurse, ward, patient):
    data = record_form_data(started_at="1405", ended_at="14.25")

    signed_in(client, nurse).post(create_url(ward, patient), data)

    assert UseOfForceRecord.objects.get().duration_minutes == 20


def test_force_used_across_midnight(client, nurse, ward, patient):
    day = timezone.localdate() - timedelta(days=2)
    after = day + timedelta(days=1)
    data = record_form_data(
        day,
        started_at="23:50",
        ended_at="00:30",
        end_date_day=str(after.day),
        end_date_month=str(after.month),
        end_date_year=str(after.year),
        interventions=[("11", "23:50", "00:05"), ("05", "00:05", "00:30")],
    )

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    assert response.status_code == 302, response.content.decode()
    record = UseOfForceRecord.objects.get()
    assert record.duration_minutes == 40
    assert [i.duration_minutes for i in record.interventions.all()] == [15, 25]


def test_add_another_intervention_keeps_the_answers_and_shows_no_errors(
    client, nurse, ward, patient
):
    data = record_form_data(action="add_intervention", outcome="", started_at="9")

    response = signed_in(client, nurse).post(create_url(ward, patient), data)

    content = response.content.decode()
    assert response.status_code == 200 and not UseOfForceRecord.objects.exists()
    assert "There is a problem" not in content
    assert 'name="interventions-2-type_code"' in content
    assert 'name="interventions-TOTAL_FORMS" value="3"' in content
    assert "Two-person seated hold" in content


def test_add_another_member_of_staff(client, nurse, ward, patient):
    data = record_form_data(action="add_staff")

    content = signed_in(client, nurse).post(create_url(ward, patient), data).content.decode()

    assert 'name="staff-2-name"' in content and 'value="Priya Shah"' in content


def test_no_stay_is_a_warning_with_a_reason_to_override(client, nurse, ward):
    stranger = PatientFactory(provider=ward.provider)
    client = signed_in(client, nurse)

    warned = client.post(create_url(ward, stranger), record_form_data()).content.decode()
    assert "The patient has no stay on this ward at that time" in warned
    assert 'name="no_stay_reason"' in warned and "nhsuk-card--warning" in warned

    data = record_form_data(no_stay_reason="Admitted last night; not entered yet")
    assert client.post(create_url(ward, stranger), data).status_code == 302
    assert UseOfForceRecord.objects.get().no_stay_reason.startswith("Admitted")


def test_a_likely_duplicate_is_a_warning(client, nurse, ward, patient):
    client = signed_in(client, nurse)
    client.post(create_url(ward, patient), record_form_data())

    warned = client.post(create_url(ward, patient), record_form_data()).content.decode()

    assert "This looks like UOF-" in warned and 'name="duplicate_reason"' in warned
    assert UseOfForceRecord.objects.count() == 1


# The record page


def test_record_page_shows_the_acts_items_and_audits_the_view(client, nurse, ward, patient):
    record = record_create(by=nurse, ward=ward, patient=patient)

    response = signed_in(client, nurse).get(reverse("incidents:record-detail", args=[record.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    for letter in "abcdefghijklmnop":
        assert f'<span class="mhsip-act-item">({letter})</span>' in content
    assert "Alex Morgan" in content and "Charge nurse" in content
    assert "Physical restraint - seated" in content
    assert "Version 1" in content and "First recorded" in content
    event = AuditEvent.objects.get(action="use_of_force_record.view")
    assert event.actor == nurse and event.object_id == str(record.pk)


def test_ward_staff_see_no_edit_link_on_a_complete_record(client, nurse, ward, patient):
    record = record_create(by=nurse, ward=ward, patient=patient)

    content = signed_in(client, nurse).get(reverse("incidents:record-detail", args=[record.pk]))

    assert reverse("incidents:record-edit", args=[record.pk]) not in content.content.decode()


@pytest.mark.parametrize("who", ["other_nurse", "network_lead"])
def test_record_page_is_404_or_403_outside_the_persons_wards(
    client, nurse, ward, patient, who, request
):
    record = record_create(by=nurse, ward=ward, patient=patient)
    user = request.getfixturevalue(who)

    response = signed_in(client, user).get(reverse("incidents:record-detail", args=[record.pk]))

    # Staff of other wards get "not found", so the page does not confirm the record exists;
    # network roles see no patient-level page at all.
    assert response.status_code == (404 if who == "other_nurse" else 403)
    assert record.reference not in response.content.decode()
    assert not AuditEvent.objects.filter(action="use_of_force_record.view").exists()


# Editing


def test_editing_a_complete_record_needs_a_reason_then_keeps_version_2(
    client, nurse, manager, ward, patient
):
    record = record_create(by=nurse, ward=ward, patient=patient)
    url = reverse("incidents:record-edit", args=[record.pk])
    client = signed_in(client, manager)
    form = client.get(url).content.decode()
    assert "Why are you changing this record?" in form
    assert 'value="Alex Morgan"' in form
    day = timezone.localtime(record.started_at)
    start = f"{day:%H:%M}"
    end = f"{timezone.localtime(record.ended_at):%H:%M}"
    items = [
        (
            i.type_code,
            f"{timezone.localtime(i.started_at):%H:%M}",
            f"{timezone.localtime(i.ended_at):%H:%M}",
        )
        for i in record.interventions.all()
    ]
    data = record_form_data(
        day.date(),
        started_at=start,
        ended_at=end,
        interventions=items,
        outcome="Settled; slept well.",
    )

    refused = client.post(url, data).content.decode()
    assert '<a href="#id_change_reason">Say why you are changing a completed record</a>' in refused
    record.refresh_from_db()
    assert record.version == 1

    data["change_reason"] = "Outcome clarified at handover"
    response = client.post(url, data)

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.version == 2 and record.outcome == "Settled; slept well."
    page = client.get(response["Location"]).content.decode()
    assert "Version 2" in page and "Outcome clarified at handover" in page
    assert "<strong>Outcome</strong>:" in page and "→ “Settled; slept well.”" in page
    assert AuditEvent.objects.filter(action="use_of_force_record.update").count() == 1


def test_ward_staff_may_finish_their_own_draft(client, nurse, ward, patient):
    record = record_create(by=nurse, ward=ward, patient=patient, complete=False)
    url = reverse("incidents:record-edit", args=[record.pk])
    client = signed_in(client, nurse)

    form = client.get(url).content.decode()

    assert "Complete record" in form and "Why are you changing" not in form


def test_ward_staff_may_not_edit_a_complete_record(client, nurse, ward, patient):
    record = record_create(by=nurse, ward=ward, patient=patient)

    response = signed_in(client, nurse).get(reverse("incidents:record-edit", args=[record.pk]))

    assert response.status_code == 403


def test_editing_a_record_of_another_ward_is_404(client, nurse, ward, patient):
    record = record_create(by=nurse, ward=ward, patient=patient)
    stranger = MembershipFactory(role="ward_manager", ward=WardFactory()).user

    response = signed_in(client, stranger).get(reverse("incidents:record-edit", args=[record.pk]))

    assert response.status_code == 404
