import base64
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from mhsip.accounts.two_factor import (
    SecondFactorStep,
    qr_code_data_uri,
    second_factor_exempt,
    second_factor_owed,
    secret_for_typing,
)
from tests.factories.accounts import UserFactory
from tests.factories.organisations import MembershipFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_qr_code_is_an_svg_data_uri():
    uri = qr_code_data_uri("otpauth://totp/MHSIP:nurse?secret=ABC")

    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "<path" in svg
    # Nothing our Content-Security-Policy would refuse if the SVG were inlined.
    assert "style" not in svg and "script" not in svg


def test_secret_is_grouped_base32_of_the_key():
    device = TOTPDevice(key="00" * 20)

    assert secret_for_typing(device) == "AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA"
    assert re.fullmatch(r"([A-Z2-7]{4} ?)+", secret_for_typing(TOTPDevice()))


def test_nothing_is_owed_by_someone_signed_out():
    from django.contrib.auth.models import AnonymousUser

    assert second_factor_owed(AnonymousUser()) is None


def test_a_confirmed_device_means_a_code_is_owed(settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = False
    user = UserFactory()
    TOTPDevice.objects.create(user=user, confirmed=False)
    assert second_factor_owed(user) is None

    TOTPDevice.objects.create(user=user, confirmed=True)
    assert second_factor_owed(user) is SecondFactorStep.VERIFY


def test_the_requirement_applies_to_patient_data_roles_only(settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = True
    nurse = MembershipFactory(role="ward_staff", ward=WardFactory()).user
    admin = MembershipFactory(role="system_admin").user

    assert second_factor_owed(nurse) is SecondFactorStep.SET_UP
    assert second_factor_owed(admin) is None


def test_verified_sessions_owe_nothing(settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = True
    nurse = MembershipFactory(role="ward_staff", ward=WardFactory()).user
    nurse.is_verified = lambda: True

    assert second_factor_owed(nurse) is None


def test_exempt_views_are_marked_and_still_work():
    view = second_factor_exempt(lambda request: "page")

    assert view.second_factor_exempt is True
    assert view(None) == "page"
