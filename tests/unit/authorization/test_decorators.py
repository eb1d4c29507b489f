import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from mhsip.authorization.decorators import require_patient_data_access
from tests.factories.accounts import UserFactory
from tests.factories.organisations import MembershipFactory, NetworkFactory, WardFactory

pytestmark = pytest.mark.django_db


@require_patient_data_access
def patient_page(request):
    return HttpResponse("patient data")


def request_as(user):
    request = RequestFactory().get("/wards/W1/patients/")
    request.user = user
    request.session = SessionStore()
    return request


def test_signed_out_people_go_to_sign_in():
    response = patient_page(request_as(AnonymousUser()))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/wards/W1/patients/"


def test_roles_without_patient_data_are_refused():
    user = MembershipFactory(role="network_lead", organisation=NetworkFactory()).user

    with pytest.raises(PermissionDenied):
        patient_page(request_as(user))


def test_patient_data_roles_get_in(settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = False
    user = MembershipFactory(role="ward_staff", ward=WardFactory()).user

    assert patient_page(request_as(user)).content == b"patient data"


def test_with_the_requirement_they_set_up_a_second_factor_first(settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = True
    user = MembershipFactory(role="ward_staff", ward=WardFactory()).user

    response = patient_page(request_as(user))

    assert response["Location"] == "/accounts/two-factor/?next=%2Fwards%2FW1%2Fpatients%2F"


def test_once_set_up_they_give_a_code_even_without_the_requirement(settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = False
    user = MembershipFactory(role="ward_staff", ward=WardFactory()).user
    TOTPDevice.objects.create(user=user, confirmed=True)

    response = patient_page(request_as(user))

    assert response["Location"].startswith("/accounts/two-factor/verify/")


def test_a_user_without_memberships_is_refused():
    with pytest.raises(PermissionDenied):
        patient_page(request_as(UserFactory()))
