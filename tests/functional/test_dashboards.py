"""A ward manager reads the ward's dashboard and changes its baseline; a network lead reads the
network's suppressed summary. In Chromium, with axe-core on every page."""

import pytest

from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward, months_back
from tests.functional.helpers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    provider = ProviderFactory(code="ZZA", name="Northshore Mental Health NHS Trust")
    site = SiteFactory(parent=provider)
    oak = WardFactory(site=site, code="OAK", name="Oak Ward")
    elm = WardFactory(site=site, code="ELM", name="Elm Ward")
    fill_ward(oak, rates=(12.0, 4.0), seed=1)
    fill_ward(elm, rates=(3.0, 3.0), seed=2)
    return {"provider": provider, "oak": oak}


def test_ward_manager_reads_the_dashboard_and_changes_the_baseline(page, live_server, axe, world):
    manager = MembershipFactory(role="ward_manager", ward=world["oak"]).user
    sign_in(page, live_server, manager)
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto("/dashboards/ward/OAK/")
    assert page.locator("h1").inner_text() == "Oak Ward"
    icons = page.locator("#outcome-measures svg title").evaluate_all(
        "titles => titles.map(t => t.textContent)"
    )
    assert any(text.startswith("Variation:") for text in icons)
    assert any(text.startswith("Assurance:") for text in icons)
    assert_accessible(axe)

    page.get_by_role("link", name="Restrictive interventions per 1,000 occupied bed days").click()
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    assert page.locator(".mhsip-chart svg").count() >= 1
    assert "below the centre line" in page.locator(".mhsip-reading").inner_text()
    # Values on hover: Vega's tooltip appears over a point.
    page.screenshot(path="/tmp/measure.png", full_page=True)
    point = page.locator(".mhsip-chart svg g.points_marks path").last
    point.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    assert "Value" in page.locator("#vg-tooltip-element").inner_text()
    assert [text for text in console if "Content Security Policy" in text] == []
    assert_accessible(axe)

    page.get_by_role("link", name="Change the baseline or the aim").first.click()
    months = [m.strftime("%Y-%m") for m in months_back(30)]
    page.select_option("#id_baseline_start", months[2])
    page.select_option("#id_baseline_end", months[15])
    page.fill("#id_reduction_percent", "30")
    assert_accessible(axe)
    page.get_by_role("button", name="Save the baseline and aim").click()
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    assert "Progress towards a 30% reduction" in page.content()
    assert "Limits from the baseline" in page.locator("figcaption").inner_text()


def test_network_lead_sees_the_network_summary_suppressed(page, live_server, axe, world):
    lead = MembershipFactory(role="network_lead", organisation=world["provider"].parent).user
    sign_in(page, live_server, lead)
    page.goto(f"/dashboards/network/{world['provider'].parent.code}/")
    text = page.locator("main").inner_text()
    assert "Figures here are suppressed" in text
    assert "Progress towards" not in text
    assert "of 2" in page.locator("#wards-meeting-aim").inner_text()
    assert_accessible(axe)
