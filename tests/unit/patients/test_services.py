from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.patients import services
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse_and_ward():
    ward = WardFactory()
    return MembershipFactory(role="ward_staff", ward=ward).user, ward


def test_register_finds_the_same_patient_by_local_identifier(nurse_and_ward):
    nurse, ward = nurse_and_ward
    provider = ward.provider
    first = services.patient_register(by=nurse, provider=provider, local_id="RX1 234", check=False)
    again = services.patient_register(
        by=nurse, provider=provider, local_id="rx1234", check=False, ethnicity="N"
    )
    assert first.pk == again.pk and again.ethnicity == "N"


def test_admit_transfer_discharge(nurse_and_ward):
    nurse, ward = nurse_and_ward
    other = WardFactory(site=ward.site)
    MembershipFactory(role="ward_staff", ward=other, user=nurse)
    patient = services.patient_register(
        by=nurse, provider=ward.provider, local_id="A1", check=False
    )
    admitted = timezone.now() - timedelta(days=10)
    stay = services.stay_admit(by=nurse, patient=patient, ward=ward, at=admitted)
    with pytest.raises(ValidationError, match="already on a ward"):
        services.stay_admit(by=nurse, patient=patient, ward=other, at=admitted)
    moved = services.stay_end(
        by=nurse, stay=stay, at=admitted + timedelta(days=2), reason="transfer", to_ward=other
    )
    assert moved.ward == other and stay.end_reason == "transfer"
    with pytest.raises(ValidationError, match="before it started"):
        services.stay_end(by=nurse, stay=moved, at=admitted, reason="discharge")


def test_cannot_admit_to_a_ward_of_another_provider_or_without_permission(nurse_and_ward):
    nurse, ward = nurse_and_ward
    patient = services.patient_register(
        by=nurse, provider=ward.provider, local_id="A2", check=False
    )
    with pytest.raises(PermissionDenied):
        services.stay_admit(by=nurse, patient=patient, ward=WardFactory(), at=timezone.now())
    with pytest.raises(ValidationError, match="another provider"):
        services.stay_admit(
            by=nurse, patient=patient, ward=WardFactory(), at=timezone.now(), check=False
        )


def test_ward_staff_add_patients_from_their_ward(nurse_and_ward):
    nurse, ward = nurse_and_ward

    with pytest.raises(PermissionDenied):
        services.patient_register(by=nurse, provider=ward.provider, local_id="A3")
    patient = services.patient_register(by=nurse, provider=ward.provider, local_id="A3", ward=ward)

    assert patient.provider == ward.provider
    with pytest.raises(ValidationError, match="another provider"):
        services.patient_register(
            by=nurse, provider=WardFactory().provider, local_id="A4", ward=ward
        )


def test_the_sending_ward_transfers_to_a_ward_it_has_no_role_on(nurse_and_ward):
    nurse, ward = nurse_and_ward
    receiving = WardFactory(site=ward.site)
    patient = services.patient_register(by=nurse, provider=ward.provider, local_id="A5", ward=ward)
    stay = services.stay_admit(
        by=nurse, patient=patient, ward=ward, at=timezone.now() - timedelta(days=1)
    )

    moved = services.stay_end(
        by=nurse, stay=stay, at=timezone.now(), reason="transfer", to_ward=receiving
    )

    assert moved.ward == receiving
    with pytest.raises(ValidationError, match="another provider"):
        other = services.stay_admit(
            by=nurse, patient=PatientFactory(provider=ward.provider), ward=ward, at=timezone.now()
        )
        services.stay_end(
            by=nurse, stay=other, at=timezone.now(), reason="transfer", to_ward=WardFactory()
        )


def test_viewing_the_wards_patients_is_audited(nurse_and_ward):
    nurse, ward = nurse_and_ward

    services.ward_stays_viewed(by=nurse, ward=ward)

    assert AuditEvent.objects.get(action="ward_stay.list").ward == ward
