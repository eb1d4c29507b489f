"""A provider's quality-improvement lead reads the funnel plot and the equality page, in
Chromium, with axe-core on every page."""

import pytest

from mhsip.patients.models import Patient
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward
from tests.functional.helpers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider():
    provider = ProviderFactory(code="ZZQ", name="Quayside NHS Trust")
    site = SiteFactory(parent=provider)
    for seed, (code, rate) in enumerate([("OAK", 12.0), ("ELM", 30.0), ("ASH", 0.5)], start=1):
        ward = WardFactory(site=site, code=code, name=f"{code.title()} Ward")
        fill_ward(ward, months=13, rates=(rate, rate), seed=seed)
    for patient in Patient.objects.filter(provider=provider)[::3]:
        patient.ethnicity = "N"
        patient.save()
    return provider


def test_provider_lead_reads_the_funnel_and_the_equality_page(page, live_server, axe, provider):
    lead = MembershipFactory(role="qi_lead", organisation=provider).user
    sign_in(page, live_server, lead)
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto("/dashboards/provider/ZZQ/")
    page.get_by_role("link", name="Variation and equality for Quayside NHS Trust").click()
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    assert page.locator("h1").inner_text() == "Compare like with like: funnel plot"
    reading = page.locator("#funnel-reading").inner_text()
    assert "Above the upper 99.8% limit: Elm Ward" in reading
    assert "Below the lower 99.8% limit: Ash Ward" in reading and "under-recorded" in reading
    assert page.locator("#funnel-table tbody tr").count() == 3
    # Values on hover: Vega's tooltip over a ward's point.
    page.locator(".mhsip-chart svg g.units_marks path").first.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    assert "99.8% limits" in page.locator("#vg-tooltip-element").inner_text()
    assert_accessible(axe)

    page.get_by_role("link", name="Inequalities: who is restrained more").click()
    page.locator(".mhsip-chart--drawn svg").nth(1).wait_for(timeout=15_000)
    assert "times the rate of White" in page.locator("#equality-reading").inner_text()
    assert page.locator("#table-restrictive_interventions tbody tr").count() == 2
    assert_accessible(axe)

    page.select_option("#id_characteristic", "age_band")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    assert "by age" in page.locator("#equality-reading h2").inner_text()
    assert [text for text in console if "Content Security Policy" in text] == []
    assert_accessible(axe)
