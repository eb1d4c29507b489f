from datetime import timedelta

import pytest
from django.utils import timezone

from mhsip.patients import queries
from mhsip.patients.pseudonyms import local_id_hash
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return WardFactory()


def test_patients_are_found_by_local_identifier_within_the_provider(ward):
    nurse = MembershipFactory(role="ward_staff", ward=ward).user
    patient = PatientFactory(
        provider=ward.provider, local_id_hash=local_id_hash(ward.provider.code, "RX1 234")
    )
    elsewhere = WardFactory()  # another provider, where the same number is someone else
    PatientFactory(
        provider=elsewhere.provider, local_id_hash=local_id_hash(elsewhere.provider.code, "RX1234")
    )

    assert queries.patient_find(nurse, ward=ward, local_id="rx1234") == patient
    assert queries.patient_find(nurse, ward=ward, local_id="RX9") is None
    assert queries.patient_find(nurse, ward=ward, local_id="  ") is None


def test_nothing_is_found_without_permission_on_the_ward(ward):
    outsider = MembershipFactory(role="ward_staff", ward=WardFactory()).user
    patient = PatientFactory(
        provider=ward.provider, local_id_hash=local_id_hash(ward.provider.code, "A1")
    )
    WardStayFactory(patient=patient, ward=ward)

    assert queries.patient_find(outsider, ward=ward, local_id="A1") is None
    assert queries.patient_for_ward(outsider, ward=ward, pk=patient.pk) is None
    assert not queries.current_stays(outsider, ward=ward).exists()
    assert not queries.bed_days_for(outsider, ward=ward).exists()


def test_current_stays_are_the_patients_on_the_ward_now(ward):
    nurse = MembershipFactory(role="ward_staff", ward=ward).user
    here = WardStayFactory(ward=ward)
    WardStayFactory(ward=ward, ended_at=timezone.now() - timedelta(days=1))
    WardStayFactory()

    assert list(queries.current_stays(nurse, ward=ward)) == [here]
    assert queries.current_stay(nurse, ward=ward, pk=here.pk) == here
    assert queries.open_stay(here.patient, ward) == here


def test_transfers_go_to_the_providers_other_open_wards(ward):
    sibling = WardFactory(site=ward.site)
    WardFactory(site=ward.site, closed_on=timezone.localdate())
    WardFactory()

    assert list(queries.transfer_wards(ward=ward)) == [sibling]
