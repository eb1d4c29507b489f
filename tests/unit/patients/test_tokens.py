import pytest
from django.core import signing

from mhsip.patients import tokens
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return WardFactory()


@pytest.fixture
def nurse(ward):
    return MembershipFactory(role="ward_staff", ward=ward).user


def test_a_token_names_the_patient_for_that_ward(ward, nurse):
    patient = PatientFactory(provider=ward.provider)

    token = tokens.patient_token(ward=ward, patient=patient)

    assert tokens.patient_from_token(nurse, ward=ward, token=token) == patient


def test_a_token_for_another_ward_a_forged_one_or_an_old_one_names_no_one(ward, nurse, settings):
    patient = PatientFactory(provider=ward.provider)
    other = WardFactory(site=ward.site)
    MembershipFactory(role="ward_staff", ward=other, user=nurse)
    token = tokens.patient_token(ward=ward, patient=patient)
    forged = signing.dumps({"ward": ward.pk, "patient": patient.pk}, salt="something else")
    old = signing.TimestampSigner(salt=tokens._SALT)
    old.timestamp = lambda: "1"  # the start of 1970: long expired

    assert tokens.patient_from_token(nurse, ward=other, token=token) is None
    assert tokens.patient_from_token(nurse, ward=ward, token=forged) is None
    assert tokens.patient_from_token(nurse, ward=ward, token="nonsense") is None
    expired = old.sign_object({"ward": ward.pk, "patient": patient.pk}, compress=True)
    assert tokens.patient_from_token(nurse, ward=ward, token=expired) is None


def test_a_token_names_no_one_to_someone_who_may_not_see_the_ward(ward):
    patient = PatientFactory(provider=ward.provider)
    outsider = MembershipFactory(role="ward_staff", ward=WardFactory()).user

    token = tokens.patient_token(ward=ward, patient=patient)

    assert tokens.patient_from_token(outsider, ward=ward, token=token) is None
