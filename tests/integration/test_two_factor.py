"""The TOTP second factor: setting up an authenticator app, giving a code at sign-in, and
MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA holding back every page until a code is given."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mhsip.auditing.models import AuditEvent
from tests.factories.accounts import UserFactory
from tests.factories.organisations import MembershipFactory, NetworkFactory, WardFactory
from tests.integration.test_cli import production_env, run_mhsip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def nurse():
    user = UserFactory(username="nurse")
    MembershipFactory(user=user, role="ward_staff", ward=WardFactory())
    return user


@pytest.fixture
def network_lead():
    user = UserFactory(username="lead")
    MembershipFactory(user=user, role="network_lead", organisation=NetworkFactory())
    return user


def code_for(device, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or a step later: a code is accepted only once)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def set_up(client, user) -> TOTPDevice:
    client.get(reverse("two-factor-set-up"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two-factor-set-up"), {"token": code_for(device)})
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    return device


def test_set_up_page_shows_the_qr_code_and_the_otpauth_link(client, nurse):
    client.force_login(nurse)

    response = client.get(reverse("two-factor-set-up"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in content
    assert "otpauth://totp/MHSIP%3Anurse?secret=" in content
    assert TOTPDevice.objects.get(user=nurse).confirmed is False


def test_set_up_with_a_right_code_turns_it_on_and_is_audited(client, nurse):
    client.force_login(nurse)

    device = set_up(client, nurse)

    assert device.confirmed
    assert AuditEvent.objects.filter(action="account.second_factor_set_up", actor=nurse).exists()


def test_set_up_with_a_wrong_code_says_so(client, nurse):
    client.force_login(nurse)
    client.get(reverse("two-factor-set-up"))

    response = client.post(reverse("two-factor-set-up"), {"token": "000000x"})

    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert "Enter the code as 6 numbers" in content
    assert TOTPDevice.objects.get(user=nurse).confirmed is False


def test_people_who_never_see_patient_data_cannot_set_it_up(client, network_lead):
    client.force_login(network_lead)

    assert client.get(reverse("two-factor-set-up")).status_code == 403


def test_once_set_up_every_sign_in_asks_for_a_code(client, nurse):
    client.force_login(nurse)
    device = set_up(client, nurse)
    client.logout()
    client.force_login(nurse)

    held_back = client.get("/access/me/")
    wrong = client.post(reverse("two-factor-verify"), {"token": "123456", "next": "/access/me/"})
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second
    right = client.post(
        reverse("two-factor-verify"), {"token": code_for(device, 1), "next": "/access/me/"}
    )

    assert held_back.status_code == 302
    assert held_back["Location"] == reverse("two-factor-verify") + "?next=%2Faccess%2Fme%2F"
    assert "That code is not right" in wrong.content.decode()
    assert right["Location"] == "/access/me/"
    assert client.get("/access/me/").status_code == 200


def test_wrong_codes_are_throttled(client, nurse):
    client.force_login(nurse)
    device = set_up(client, nurse)
    client.logout()
    client.force_login(nurse)

    client.post(reverse("two-factor-verify"), {"token": "123456"})
    response = client.post(reverse("two-factor-verify"), {"token": code_for(device, 1)})

    assert "Too many wrong codes" in response.content.decode()


def test_without_the_requirement_a_password_is_enough(client, nurse, settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = False
    client.force_login(nurse)

    assert client.get("/access/me/").status_code == 200


def test_the_requirement_sends_patient_data_roles_to_set_it_up(client, nurse, settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = True
    client.force_login(nurse)

    response = client.get("/access/")

    assert response["Location"] == reverse("two-factor-set-up") + "?next=%2Faccess%2F"
    # The pages that let them do it stay open.
    assert client.get(reverse("two-factor-set-up")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_the_requirement_leaves_other_roles_alone(client, network_lead, settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = True
    client.force_login(network_lead)

    assert client.get("/access/").status_code == 200


def test_after_set_up_the_person_goes_back_where_they_were(client, nurse, settings):
    settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA = True
    client.force_login(nurse)
    client.get(reverse("two-factor-set-up"))
    device = TOTPDevice.objects.get(user=nurse)

    response = client.post(
        reverse("two-factor-set-up"), {"token": code_for(device), "next": "/access/"}
    )

    assert response["Location"] == "/access/"
    assert client.get("/access/").status_code == 200


def test_replacing_the_app_needs_a_code_from_the_old_one(client, nurse):
    client.force_login(nurse)
    set_up(client, nurse)
    client.logout()
    client.force_login(nurse)

    response = client.get(reverse("two-factor-set-up"))

    assert response["Location"].startswith(reverse("two-factor-verify"))


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "True"),
        ({"DEBUG": "1"}, "False"),
        ({"MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA": "0"}, "False"),
        ({"DEBUG": "1", "MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA": "1"}, "True"),
    ],
)
def test_the_requirement_is_on_in_production_and_off_in_development(extra, expected):
    code = "from django.conf import settings; print(settings.MHSIP_REQUIRE_2FA_FOR_PATIENT_DATA)"

    result = run_mhsip("shell", "-c", code, env=production_env(**extra))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
