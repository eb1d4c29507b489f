"""The network's learning library in Chromium: a ward manager writes up a finished ramp, the
PII check turns back a patient's name, the provider's QI lead approves, and a champion of the
network finds the story by searching. axe-core on every page."""

import pytest

from tests.factories.network import finished_ramp
from tests.factories.organisations import (
    MembershipFactory,
    NetworkFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward
from tests.functional.helpers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = NetworkFactory(code="ZZNC", name="Northern Collaborative")
    provider = ProviderFactory(code="ZZA", parent=network, name="Northcliffe Trust")
    oak = WardFactory(site=SiteFactory(parent=provider), code="OAK", name="Oak Ward")
    other = ProviderFactory(code="ZZB", parent=network, name="Saltmarsh Trust")
    WardFactory(site=SiteFactory(parent=other), code="FEN", name="Fen Ward")
    fill_ward(oak, rates=(14.0, 4.0), step_at=18)
    manager = MembershipFactory(role="ward_manager", ward=oak).user
    qi_lead = MembershipFactory(role="qi_lead", organisation=provider).user
    champion = MembershipFactory(role="champion", organisation=network).user
    ramp = finished_ramp(by=manager, ward=oak, months_ago=12)
    return {"manager": manager, "qi_lead": qi_lead, "champion": champion, "ramp": ramp}


def test_a_case_study_is_published_through_approval_and_found(page, live_server, axe, world):
    # The ward manager turns the finished ramp into a case study.
    sign_in(page, live_server, world["manager"])
    page.goto("/network/")
    assert_accessible(axe)
    page.get_by_role("button", name="Write a case study of Soft words on Oak Ward").click()
    page.fill("#id_title", "Soft words in the Oak lounge")
    page.fill("#id_problem", "Evenings were tense. Mr Jenkins was restrained most weeks.")
    page.get_by_role("button", name="Send to the provider for approval").click()
    problems = page.locator("#pii-problems")
    assert "Mr Jenkins" in problems.locator("mark").inner_text()
    assert "person's name" in problems.inner_text()
    assert_accessible(axe)
    page.fill("#id_problem", "Evenings were tense, and one patient was restrained most weeks.")
    page.get_by_role("button", name="Send to the provider for approval").click()
    assert "Waiting for the provider" in page.locator("#status").inner_text()

    # The provider's QI lead approves it, and it is published with its chart and verdict.
    sign_in(page, live_server, world["qi_lead"])
    page.goto("/network/")
    page.get_by_role("link", name="Soft words in the Oak lounge").click()
    assert_accessible(axe)
    page.get_by_role("button", name="Approve and publish").click()
    assert "Published to Northern Collaborative" in page.locator("main").inner_text()
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    assert page.locator("#verdict").is_visible()
    assert_accessible(axe)

    # A champion of the network finds it in the library.
    sign_in(page, live_server, world["champion"])
    page.goto("/network/ZZNC/library/")
    assert_accessible(axe)
    page.fill("#id_q", "oak lounge")
    page.select_option("#id_result", "worked")
    page.get_by_role("button", name="Search").click()
    assert "1 of 1 case study match" in page.locator("#library-count").inner_text()
    page.get_by_role("link", name="Soft words in the Oak lounge").click()
    page.wait_for_url("**/network/case-studies/*/")
    assert "one patient was restrained" in page.locator("#maincontent").inner_text()
    page.goto("/network/ZZNC/library/?q=nothing-matches-this")
    assert "0 of 1 case study match" in page.locator("#library-count").inner_text()
    page.goto("/network/ZZNC/")
    assert_accessible(axe)
    page.goto("/network/ZZNC/what-worked-where/")
    assert "Oak Ward" in page.locator("main").inner_text()
    assert_accessible(axe)
