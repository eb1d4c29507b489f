from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mhsip.patients import services
from tests.factories.organisations import MembershipFactory, WardFactory

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
