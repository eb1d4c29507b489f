"""A ward team's improvement work in Chromium: an aim, a driver diagram, a co-designed idea
tested in two chained PDSA cycles, the annotation on the chart and the "did it work?" verdict;
and a patient sharing an idea through the ward's link. axe-core on every page."""

from datetime import timedelta

import pytest

from mhsip.improvement import services
from tests.factories.improvement import library_idea
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward, months_back
from tests.functional.test_dashboards import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    library_idea()  # the flush after an earlier browser test empties the library
    site = SiteFactory(parent=ProviderFactory(code="ZZA"))
    oak = WardFactory(site=site, code="OAK", name="Oak Ward")
    # The rate falls from about 47 to 13 per 1,000 bed days at month 18 of the last 30.
    fill_ward(oak, rates=(14.0, 4.0), step_at=18)
    manager = MembershipFactory(role="ward_manager", ward=oak).user
    rep = MembershipFactory(role="patient_representative", ward=oak).user
    post = services.codesign_post_create(
        by=rep,
        ward=oak,
        kind="idea",
        title="Music in the evenings",
        body="Quiet music in the lounge after tea, chosen by patients",
    )
    return {"oak": oak, "manager": manager, "rep": rep, "post": post}


def fill_date(page, prefix, day):
    page.fill(f"#id_{prefix}_day", str(day.day))
    page.fill(f"#id_{prefix}_month", str(day.month))
    page.fill(f"#id_{prefix}_year", str(day.year))


def plan_cycle(page, start, question):
    page.select_option("#id_change", label="Evening music")
    page.fill("#id_question", question)
    page.fill("#id_prediction", "Fewer raised voices after 6pm")
    page.fill("#id_plan_who", "Evening staff")
    page.fill("#id_plan_what", "A patients' playlist, played quietly after tea")
    page.fill("#id_plan_where", "The lounge")
    fill_date(page, "planned_start", start)
    fill_date(page, "planned_end", start + timedelta(days=14))
    page.fill("#id_data_to_collect", "Raised voices each evening")
    page.select_option("#id_study_measure", "restrictive_interventions")
    page.get_by_role("button", name="Save the plan").click()


def do_study_act(page, axe, start, decision, decided_on, *, check=False):
    page.get_by_role("link", name="Record the Do: the test has started").click()
    fill_date(page, "started_on", start)
    fill_date(page, "ended_on", start + timedelta(days=14))
    page.fill("#id_what_happened", "Played on 12 evenings")
    page.get_by_role("button", name="Save the Do").click()
    page.get_by_role("link", name="Record the Study").click()
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    if check:
        assert_accessible(axe)
    page.fill("#id_result", "Calmer evenings, as predicted")
    page.get_by_role("button", name="Save the Study").click()
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label(decision).check()
    fill_date(page, "decided_on", decided_on)
    if check:
        assert_accessible(axe)
    page.get_by_role("button", name="Save the decision").click()


def test_a_team_tests_a_co_designed_idea_and_sees_that_it_worked(page, live_server, axe, world):
    sign_in(page, live_server, world["manager"])
    page.goto("/improvement/")
    page.get_by_role("link", name="Oak Ward").click()
    assert_accessible(axe)

    # An aim: what, how much, by when.
    page.get_by_role("button", name="Start a project").click()
    page.get_by_role("button", name="Start the project").click()  # nothing filled in yet
    assert "Enter a name for the project" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(axe)
    page.fill("#id_title", "Calmer evenings")
    page.fill("#id_aim_what", "Reduce restrictive interventions on Oak Ward")
    page.fill("#id_aim_how_much", "by 30%")
    fill_date(page, "aim_by", months_back(1)[0].date() + timedelta(days=365))
    page.get_by_role("button", name="Start the project").click()
    assert (
        "Reduce restrictive interventions on Oak Ward by 30% by"
        in page.locator("#aim-statement").inner_text()
    )
    project_url = page.url

    # The driver diagram, built in the page.
    page.get_by_role("link", name="Edit the driver diagram and change ideas").click()
    page.fill("#id_primary_text", "Evenings are calm")
    page.get_by_role("button", name="Add the primary driver").click()
    page.select_option("#id_parent", label="Evenings are calm")
    page.fill("#id_secondary_text", "Things to do after tea")
    page.get_by_role("button", name="Add the secondary driver").click()
    assert_accessible(axe)

    # The co-designed idea becomes a change idea in the project, under the secondary driver.
    page.goto(f"/improvement/co-design/{world['post'].pk}/")
    assert_accessible(axe)
    page.get_by_role("button", name="Make it a change idea to test").click()
    page.fill("#id_title", "Evening music")
    page.select_option("#id_project", label="Calmer evenings")
    page.get_by_role("button", name="Make it a change idea").click()
    page.get_by_role("link", name="Edit the driver diagram and change ideas").click()
    page.select_option("select[name=driver] >> nth=-1", label="Things to do after tea")
    page.get_by_role("button", name="Move Evening music").click()
    diagram = page.locator("svg.mhsip-driver-diagram").text_content()
    assert "Evening music" in diagram and "Things to do after tea" in diagram
    page.goto(project_url)
    page.get_by_role("link", name="Evening music", exact=True).first.click()
    shaped_by = page.locator("main").inner_text()
    assert f"{world['rep'].display_name}, patient or carer representative" in shaped_by

    # The measurement plan.
    page.goto(project_url)
    page.get_by_role("link", name="Choose the measures").click()
    page.get_by_label("Restrictive interventions per 1,000 occupied bed days").check()
    assert_accessible(axe)
    page.get_by_role("button", name="Save the measurement plan").click()

    # Two chained PDSA cycles, the team writing up tests that ran last year.
    months = [m.date() for m in months_back(30)]
    page.get_by_role("button", name="Plan a PDSA cycle").click()
    assert_accessible(axe)
    plan_cycle(page, months[16], "Does music after tea calm the lounge?")
    do_study_act(page, axe, months[16], "Adapt", months[16] + timedelta(days=14), check=True)
    page.get_by_role("button", name="Plan the next cycle").click()
    plan_cycle(page, months[17], "Does it work with headphones for those who want quiet?")
    do_study_act(page, axe, months[17], "Adopt", months[18])
    assert page.locator("h1").inner_text() == "PDSA 2: Evening music"
    assert_accessible(axe)

    # The cycles and the adoption on the measure's chart.
    page.goto("/dashboards/ward/OAK/restrictive_interventions/")
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    notes = page.locator(".mhsip-chart svg").first.text_content()
    assert "2 notes: Evening music" in notes and "Adopted: Evening music" in notes

    # Did it work?
    page.goto(project_url)
    assert "PDSA 1:" in page.content() and "PDSA 2:" in page.content()
    page.get_by_role("link", name="Did it work? Evening music").click()
    page.wait_for_selector(".mhsip-chart--drawn svg", timeout=15_000)
    verdict = page.locator("#verdict").inner_text()
    assert "Yes, it looks like it worked" in verdict and "95% confidence interval" in verdict
    assert "Adopted: Evening music" in page.locator(".mhsip-chart svg").first.text_content()
    assert_accessible(axe)


def test_a_patient_shares_an_idea_through_the_wards_link(page, live_server, axe, world):
    token = services.share_link_for(by=world["manager"], ward=world["oak"]).token
    page.goto(f"/improvement/share/{token}/")
    page.get_by_role("button", name="Send it to the ward team").click()
    assert (
        "Say whether this is a problem or an idea"
        in page.locator(".nhsuk-error-summary").inner_text()
    )
    assert_accessible(axe)
    page.get_by_label("An idea").check()
    page.fill("#id_title", "Fruit after supper")
    page.fill("#id_body", "People get hungry in the evening")
    page.get_by_label("A patient").check()
    page.get_by_role("button", name="Send it to the ward team").click()
    assert page.locator("h1").inner_text() == "Thank you"
    assert_accessible(axe)
