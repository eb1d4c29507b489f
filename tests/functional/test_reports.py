"""A ward manager writes the month's narrative, previews the board report and downloads the PDF,
in Chromium, with axe-core on each page."""

import pytest

from mhsip.reports.board import last_complete_month
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward
from tests.functional.helpers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.pdf, pytest.mark.django_db(transaction=True)]

NARRATIVE = "Restraint in the evenings fell after the team started soft words in the lounge."


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ward = WardFactory(site=SiteFactory(parent=ProviderFactory(code="ZZR")), code="WREN",
                       name="Wren Ward")  # fmt: skip
    fill_ward(ward, months=13, rates=(8.0, 4.0), step_at=9)
    return {"ward": ward, "manager": MembershipFactory(role="ward_manager", ward=ward).user}


def test_write_preview_and_download_the_board_report(page, live_server, axe, world):
    sign_in(page, live_server, world["manager"])
    month = last_complete_month()

    page.goto(f"{live_server.url}/reports/")
    assert_accessible(axe)
    page.get_by_role("link", name="Wren Ward").click()
    page.get_by_role("heading", name=f"Board report, {month:%B %Y}").wait_for()
    assert_accessible(axe)

    page.fill("#id_text", NARRATIVE)
    page.get_by_role("button", name="Save the narrative").click()
    preview = page.locator("#cover")
    preview.get_by_text(NARRATIVE).wait_for()
    assert page.locator("#chart-restrictive_interventions svg").count() >= 1
    assert_accessible(axe)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"board-report-WREN-{month:%Y-%m}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
