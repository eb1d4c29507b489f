"""Fixtures shared by every kind of test.

The run is strict by configuration (pyproject.toml, [tool.pytest.ini_options]): any warning
fails the test that raised it, unknown markers are errors, and an xfail that passes fails.
Tests run with DEBUG=1 settings ([tool.pytest_env]); the production settings are exercised in
a subprocess by tests/integration/test_cli.py.

Layout: unit/ mirrors mhsip/ one-to-one; integration/ goes through URLs and middleware with
Django's test Client; functional/ drives a real browser; test_repository.py checks the
repository itself.
"""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids restart after each test's rollback, so a cache
    key from one test could otherwise match another test's different data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    """Tests marked `pdf` need WeasyPrint's Pango library: without it they are skipped, saying
    why (as browser tests are without Chromium); the pages then say plainly that PDFs cannot be
    made (tests/integration/test_reports_pages.py tests that too)."""
    from mhsip.reports.pdf import PANGO_HINT, pdf_available

    if any(item.get_closest_marker("pdf") for item in items) and not pdf_available():
        skip = pytest.mark.skip(reason=f"Pango not found ({PANGO_HINT}) to test PDF reports")
        for item in items:
            if item.get_closest_marker("pdf"):
                item.add_marker(skip)
