"""Signing in and out through the real pages, login throttling (django-axes) included."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is slow on purpose; these tests check the sign-in flow, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def nurse():
    return UserFactory(username="nurse", first_name="Nia", last_name="Okafor")


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_sign_in_page_is_an_nhsuk_form(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Sign in</h1>" in content
    assert 'autocomplete="current-password"' in content
    assert "nhsuk-error-summary" not in content


def test_right_password_signs_in_and_goes_home(client, nurse):
    response = sign_in(client, "nurse", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(nurse.pk)


def test_sign_in_goes_on_to_the_page_asked_for(client, nurse):
    response = sign_in(client, "nurse", PASSWORD, next="/access/me/")

    assert response["Location"] == "/access/me/"


def test_sign_in_refuses_to_go_on_to_another_site(client, nurse):
    response = sign_in(client, "nurse", PASSWORD, next="https://evil.example/")

    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_wrong_password_shows_the_error_summary(client, nurse):
    response = sign_in(client, "nurse", "wrong password")

    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert '<a href="#id_username">Enter a correct username and password.' in content
    assert "<title>Error: Sign in" in content
    assert "_auth_user_id" not in client.session


def test_empty_form_names_both_fields(client):
    response = sign_in(client, "", "")

    content = response.content.decode()
    assert '<a href="#id_username">Enter your username</a>' in content
    assert '<a href="#id_password">Enter your password</a>' in content


def test_five_wrong_passwords_lock_the_account_out_for_15_minutes(client, nurse):
    for _ in range(4):
        assert sign_in(client, "nurse", "wrong password").status_code == 200

    fifth = sign_in(client, "nurse", "wrong password")
    # Even the right password is refused while locked out.
    sixth = sign_in(client, "nurse", PASSWORD)

    for response in (fifth, sixth):
        assert response.status_code == 429
        assert "You cannot sign in for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_for_the_username_not_everyone_at_that_address(client, nurse):
    UserFactory(username="colleague")
    for _ in range(5):
        sign_in(client, "nurse", "wrong password")

    response = sign_in(client, "colleague", PASSWORD)

    assert response.status_code == 302


def test_signing_in_clears_earlier_failures(client, nurse):
    for _ in range(4):
        sign_in(client, "nurse", "wrong password")
    sign_in(client, "nurse", PASSWORD)
    client.logout()

    for _ in range(4):
        assert sign_in(client, "nurse", "wrong password").status_code == 200


def test_lockout_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_sign_out_is_post_only_and_says_so(client, nurse):
    client.force_login(nurse)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have signed out." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_header_shows_who_is_signed_in(client, nurse):
    client.force_login(nurse)

    response = client.get(reverse("authorization:my-access"))

    assert "Nia Okafor" in response.content.decode()
