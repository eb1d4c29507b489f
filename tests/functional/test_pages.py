import pytest

pytestmark = pytest.mark.browser

NHS_BLUE = "rgb(0, 94, 184)"  # #005eb8, the NHS.UK header colour


def test_home_page_is_an_accessible_nhsuk_page(page, axe):
    console = []
    page.on("console", lambda message: console.append(message.text))

    response = page.goto("/")

    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == "Reducing restrictive practice on mental health wards"
    # The NHS.UK stylesheet loaded, and its JavaScript ran (it marks the body when it starts).
    header_colour = page.locator("header.nhsuk-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_colour == NHS_BLUE
    # A selector, not wait_for_function: polling a script needs the 'unsafe-eval' our CSP refuses.
    page.locator("body.nhsuk-frontend-supported").wait_for(state="attached")
    # Nothing on the page was blocked by our Content-Security-Policy.
    assert [text for text in console if "Content Security Policy" in text] == []

    violations = axe()
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == [], [f"{v['id']}: {v['help']}" for v in serious]


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/")
    # The NHS.UK skip link script moves focus; wait until it has started.
    # A selector, not wait_for_function: polling a script needs the 'unsafe-eval' our CSP refuses.
    page.locator("body.nhsuk-frontend-supported").wait_for(state="attached")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "maincontent"


def test_health_page_reports_ok(page):
    response = page.goto("/health")

    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["status"] == "ok"
