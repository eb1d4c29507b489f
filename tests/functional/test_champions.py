"""A champion in Chromium: follows a ward, sees an alert the watcher raised, opens it and
acknowledges it with a note. axe-core on every page."""

import pytest

from mhsip.champions.tasks import watch_measures
from tests.factories.champions import jump_in_the_last_month
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.functional.helpers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    provider = ProviderFactory(code="ZZA", name="Zephyr Health")
    oak = WardFactory(site=SiteFactory(parent=provider), code="OAK", name="Oak Ward")
    jump_in_the_last_month(oak)
    champion = MembershipFactory(role="champion", organisation=provider.parent).user
    return {"oak": oak, "champion": champion}


def test_a_champion_follows_a_ward_and_acknowledges_its_alert(page, live_server, axe, world):
    sign_in(page, live_server, world["champion"])
    page.goto("/champions/")
    assert "No alerts are waiting" in page.locator("main").inner_text()
    assert_accessible(axe)

    page.get_by_role("link", name="Choose the wards and providers you follow").click()
    assert_accessible(axe)
    page.get_by_role("button", name="Follow Oak Ward").click()
    assert "You are following Oak Ward" in page.locator(".nhsuk-notification-banner").inner_text()
    assert page.get_by_role("button", name="Stop following Oak Ward").is_visible()

    watch_measures.enqueue()  # as cron would, in the background: not from the page

    page.goto("/champions/")
    waiting = page.locator("#open").locator("xpath=following-sibling::ul[1]")
    assert "Restrictive interventions per 1,000 occupied bed days, Oak Ward" in (
        waiting.inner_text()
    )
    assert_accessible(axe)
    chart_link = waiting.get_by_role("link", name="Open the chart").first
    assert chart_link.get_attribute("href").startswith("/dashboards/ward/OAK/")

    waiting.get_by_role("link", name="Acknowledge").first.click()
    page.get_by_role("button", name="Acknowledge the alert").click()  # no note yet
    assert "Say what you did" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(axe)
    page.fill("#id_note", "Asked the ward manager: a new patient that month. Watching it.")
    page.get_by_role("button", name="Acknowledge the alert").click()

    assert "acknowledged" in page.locator(".nhsuk-notification-banner").inner_text()
    assert "a new patient that month" in page.locator("main").inner_text()
    assert_accessible(axe)
