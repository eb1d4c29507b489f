"""Signing in as each role through the real page, the audit log and the access pages, in
Chromium, each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.factories.world import PASSWORD, PEOPLE, build_world
from tests.functional.helpers import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def sign_in(page, username, password=PASSWORD):
    """Through the real sign-in page (these tests are about signing in), not a made session."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("username", [key for key, *_ in PEOPLE])
def test_each_role_signs_in_and_lands_home_with_their_name_in_the_header(page, world, username):
    user = world.users[username]

    sign_in(page, username)

    page.wait_for_url("/")
    header = page.locator("header.nhsuk-header")
    assert f"{user.first_name} {user.last_name}" in header.inner_text()


def test_wrong_password_shows_the_error_summary(page, world, axe):
    sign_in(page, "ward_staff", "not the password")

    summary = page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct username and password" in summary.inner_text()
    # The NHS.UK error summary takes focus, so screen readers announce it. (expect() polls
    # from Playwright's side: wait_for_function would need the 'unsafe-eval' our CSP refuses.)
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    assert_accessible(axe)


def test_sign_in_page_is_accessible(page, axe):
    page.goto("/accounts/login/")

    assert_accessible(axe)


def test_responsible_person_sees_a_record_view_in_the_audit_log(page, world, axe):
    sign_in(page, "responsible_person")
    page.wait_for_url("/")

    page.goto("/audit/")

    table = page.locator("table")
    row = table.locator("tr", has_text="Viewed a use-of-force record")
    assert row.count() == 1
    assert world.records["A1"].reference in row.inner_text()
    assert "Mona Manager" in row.inner_text()
    assert_accessible(axe)


def test_audit_log_filters_by_action(page, world):
    sign_in(page, "responsible_person")
    page.wait_for_url("/")
    page.goto("/audit/")

    page.get_by_label("What happened").select_option(label="Viewed a use-of-force record")
    page.get_by_role("button", name="Filter").click()

    assert page.locator("tbody tr").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these events (CSV)").click()
    assert download.value.suggested_filename.startswith("mhsip-audit-log-")


def test_access_matrix_is_accessible(page, world, axe):
    sign_in(page, "patient_representative")
    page.wait_for_url("/")

    page.goto("/access/")

    assert page.locator("h1").inner_text() == "Who can see and do what"
    assert_accessible(axe)


def test_my_access_is_accessible(page, world, axe):
    sign_in(page, "responsible_person")
    page.wait_for_url("/")

    page.goto("/access/me/")

    assert "Responsible person (Use of Force Act): Ashbrook NHS Foundation Trust" in (
        page.locator("main").inner_text()
    )
    assert_accessible(axe)


def test_two_factor_set_up_page_is_accessible(page, world, axe):
    sign_in(page, "ward_staff")
    page.wait_for_url("/")

    page.goto("/accounts/two-factor/")

    assert page.get_by_role("img", name="QR code").is_visible()
    assert_accessible(axe)
