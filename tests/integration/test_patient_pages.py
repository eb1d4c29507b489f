"""Patients on a ward, admissions, transfers, discharges and monthly bed days, through the pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.patients.models import MonthlyBedDays, Patient, WardStay
from mhsip.patients.pseudonyms import local_id_hash
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return WardFactory(name="Willow Ward")


@pytest.fixture
def nurse(ward):
    return MembershipFactory(role="ward_staff", ward=ward).user


@pytest.fixture
def manager(ward):
    return MembershipFactory(role="ward_manager", ward=ward).user


@pytest.fixture
def stay(ward):
    patient = PatientFactory(
        provider=ward.provider,
        local_id_hash=local_id_hash(ward.provider.code, "MRN1"),
        year_of_birth=timezone.localdate().year - 30,
    )
    return WardStayFactory(patient=patient, ward=ward)


def when(moment, prefix="day"):
    local = timezone.localtime(moment)
    return {
        f"{prefix}_day": str(local.day),
        f"{prefix}_month": str(local.month),
        f"{prefix}_year": str(local.year),
        "time": f"{local:%H:%M}",
    }


def test_patient_list_shows_who_is_on_the_ward_and_audits_it(client, nurse, ward, stay):
    WardStayFactory(ward=ward, ended_at=timezone.now() - timedelta(days=1))  # discharged
    client.force_login(nurse)

    response = client.get(reverse("patients:ward-patients", args=[ward.code]))

    content = response.content.decode()
    assert response.status_code == 200
    assert stay.patient.alias in content and "25 to 34" in content
    assert "1 patient on the ward now" in content
    assert "Record a use of force" in content and "Transfer or discharge" in content
    assert AuditEvent.objects.filter(action="ward_stay.list", ward=ward, actor=nurse).exists()


@pytest.mark.parametrize("role", ["other_ward", "network_lead", "patient_representative"])
def test_patient_pages_are_forbidden_outside_the_ward(client, ward, stay, role):
    if role == "other_ward":
        user = MembershipFactory(role="ward_staff", ward=WardFactory()).user
    elif role == "network_lead":
        user = MembershipFactory(role=role, organisation=ward.provider.parent).user
    else:
        user = MembershipFactory(role=role, ward=ward).user
    client.force_login(user)

    for url in [
        reverse("patients:ward-patients", args=[ward.code]),
        reverse("patients:admit", args=[ward.code]),
        reverse("patients:stay-end", args=[ward.code, stay.pk]),
        reverse("patients:bed-days", args=[ward.code]),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert stay.patient.alias not in response.content.decode()


def test_admitting_a_known_patient(client, nurse, ward):
    patient = PatientFactory(
        provider=ward.provider, local_id_hash=local_id_hash(ward.provider.code, "MRN2")
    )
    client.force_login(nurse)
    admitted = timezone.now() - timedelta(hours=2)

    response = client.post(
        reverse("patients:admit", args=[ward.code]), {"local_id": "MRN2", **when(admitted)}
    )

    assert response.status_code == 302
    stay = WardStay.objects.get(patient=patient)
    assert stay.ward == ward and stay.ended_at is None
    assert "has been admitted" in client.get(response["Location"]).content.decode()


def test_admitting_a_new_patient_asks_for_their_characteristics(client, nurse, ward):
    client.force_login(nurse)
    url = reverse("patients:admit", args=[ward.code])
    admitted = timezone.now() - timedelta(hours=2)

    asked = client.post(url, {"local_id": "NEW1", **when(admitted)}).content.decode()
    assert "Add a new patient and admit them" in asked and "Ethnic group" in asked
    assert not Patient.objects.exists()

    response = client.post(
        url,
        {
            "step": "add",
            "local_id": "NEW1",
            **when(admitted),
            "year_of_birth": "",
            "sex": "not_stated",
            "gender_identity": "not_known",
            "ethnicity": "99",
            "religion": "not_known",
            "sexual_orientation": "not_known",
            "disability": "not_known",
            "learning_disability": "yes",
            "autism": "yes",
            "legal_status": "s2",
        },
    )

    assert response.status_code == 302
    patient = Patient.objects.get()
    assert patient.learning_disability == "yes" and patient.sex == "not_stated"
    assert patient.stays.get().ward == ward


def test_an_admission_in_the_future_is_refused(client, nurse, ward):
    client.force_login(nurse)

    content = client.post(
        reverse("patients:admit", args=[ward.code]),
        {"local_id": "MRN3", **when(timezone.now() + timedelta(days=2))},
    ).content.decode()

    assert "There is a problem" in content
    assert "The admission date cannot be in the future" in content


def test_an_admission_without_a_date_or_time_asks_for_them(client, nurse, ward):
    client.force_login(nurse)

    content = client.post(
        reverse("patients:admit", args=[ward.code]), {"local_id": "MRN3"}
    ).content.decode()

    assert '<a href="#id_day_day">Enter the admission date</a>' in content
    assert '<a href="#id_time">Enter the time of the admission</a>' in content


def test_admitting_someone_already_on_a_ward_says_to_transfer_them(client, nurse, ward, stay):
    client.force_login(nurse)

    content = client.post(
        reverse("patients:admit", args=[ward.code]),
        {"local_id": "MRN1", **when(timezone.now() - timedelta(hours=1))},
    ).content.decode()

    assert "is already on a ward: transfer them" in content


def test_transferring_to_another_ward_of_the_provider(client, nurse, ward, stay):
    other = WardFactory(site=ward.site, name="Rowan Ward")
    client.force_login(nurse)
    moved = timezone.now() - timedelta(hours=1)

    form = client.get(reverse("patients:stay-end", args=[ward.code, stay.pk])).content.decode()
    assert "Rowan Ward" in form
    response = client.post(
        reverse("patients:stay-end", args=[ward.code, stay.pk]),
        {"reason": "transfer", "to_ward": other.pk, **when(moved)},
    )

    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.end_reason == "transfer" and stay.ended_at is not None
    assert stay.patient.stays.get(ended_at__isnull=True).ward == other


def test_a_transfer_needs_a_ward(client, nurse, ward, stay):
    client.force_login(nurse)

    content = client.post(
        reverse("patients:stay-end", args=[ward.code, stay.pk]),
        {"reason": "transfer", **when(timezone.now() - timedelta(hours=1))},
    ).content.decode()

    assert '<a href="#id_to_ward">Select the ward the patient moved to</a>' in content


def test_discharging(client, nurse, ward, stay):
    client.force_login(nurse)

    response = client.post(
        reverse("patients:stay-end", args=[ward.code, stay.pk]),
        {"reason": "discharge", **when(timezone.now() - timedelta(hours=1))},
    )

    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.end_reason == "discharge"


def test_a_stay_that_has_ended_cannot_be_ended_again(client, nurse, ward):
    ended = WardStayFactory(ward=ward, ended_at=timezone.now() - timedelta(days=1))
    client.force_login(nurse)

    assert client.get(reverse("patients:stay-end", args=[ward.code, ended.pk])).status_code == 404


def test_entering_monthly_bed_days(client, manager, ward):
    client.force_login(manager)
    url = reverse("patients:bed-days", args=[ward.code])

    assert client.get(url).status_code == 200
    response = client.post(url, {"month": "1", "year": "2025", "occupied_bed_days": "540"})

    assert response.status_code == 302
    entry = MonthlyBedDays.objects.get(ward=ward)
    assert entry.month == date(2025, 1, 1) and entry.occupied_bed_days == 540
    assert "540" in client.get(url).content.decode()


def test_bed_days_errors_are_shown(client, manager, ward):
    client.force_login(manager)

    content = client.post(
        reverse("patients:bed-days", args=[ward.code]),
        {"month": "1", "year": "1999", "occupied_bed_days": "-3"},
    ).content.decode()

    assert "There is a problem" in content
    assert "Occupied bed days cannot be negative" in content
    assert "The year must be between 2000" in content


def test_ward_staff_may_not_enter_bed_days(client, nurse, ward):
    client.force_login(nurse)

    assert client.get(reverse("patients:bed-days", args=[ward.code])).status_code == 403
