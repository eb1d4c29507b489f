"""Browser fixtures: Playwright driving Debian's Chromium against pytest-django's live_server.

Playwright cannot download a browser of its own here, so we launch /usr/bin/chromium by its
path (`apt-get install chromium`; .ci/run does this). Without it, these tests skip and say why.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
# Headless, sandbox-free (we run as root in CI) and quiet: no first-run screens, updates or
# background requests, which would reach for a network the tests do not have.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: `apt-get install chromium` to run browser tests")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop open in this thread, and Django refuses
    # database calls (such as live_server's end-of-test flush) while it sees one. Nothing here
    # is really concurrent, which is the case this switch exists for.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab whose relative URLs go to the live server, and only there."""
    context = browser.new_context(base_url=live_server.url)
    # Keep tests off the network: anything not served by the live server (such as the NHS web
    # font the stylesheet asks for) is refused, and the page falls back as a browser offline would.
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe(page):
    """Return a function that runs axe-core on the current page and returns its violations."""
    if not AXE_SOURCE.exists():
        pytest.skip(f"{AXE_SOURCE} not found: run `make assets` (npm ci) first")
    source = AXE_SOURCE.read_text()

    def run_axe() -> list[dict]:
        # Evaluated through the DevTools protocol, so the page's Content-Security-Policy (which
        # rightly forbids inline scripts) stays in force for everything else.
        page.evaluate(source)
        results = page.evaluate("axe.run(document)")
        return results["violations"]

    return run_axe
