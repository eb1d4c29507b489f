"""A QI lead imports an MHSDS extract in Chromium: several table CSVs, then a zip; the result
page shows what was kept and the problem rows; a running import's page updates itself until it
ends. axe-core on every page."""

import io
import zipfile

import pytest

from mhsip.imports.models import ImportKind, ImportRun, ImportStatus
from mhsip.tabular import Problems
from tests.factories.organisations import MembershipFactory, ProviderFactory
from tests.functional.helpers import assert_accessible, sign_in
from tests.integration.test_extracts_import import may_tables
from tests.unit.mhsds.helpers import write_extract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lead(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    return MembershipFactory(role="qi_lead", organisation=ProviderFactory(code="RX4")).user


def extract_files(tmp_path):
    tables = may_tables()
    # A one-digit type code: kept, counted as UNKNOWN, reported on its row.
    tables["MHS515RestrictiveInterventType"][0]["RestrictiveIntType"] = "1"
    directory = write_extract(tmp_path / "extract", tables)
    return [
        {"name": path.name, "mimeType": "text/csv", "buffer": path.read_bytes()}
        for path in sorted(directory.iterdir())
    ]


def test_a_qi_lead_uploads_an_extract_and_sees_its_result(page, live_server, axe, lead, tmp_path):
    sign_in(page, live_server, lead)
    page.goto(f"{live_server.url}/extracts/mhsds/")
    page.get_by_role("heading", name="Import an MHSDS extract").wait_for()
    assert_accessible(axe)

    page.set_input_files("#id_files", files=extract_files(tmp_path))
    page.get_by_role("button", name="Import the extract").click()

    page.get_by_role("heading", name="Finished with problems").wait_for()
    assert_accessible(axe)
    summary = page.locator(".nhsuk-summary-list").inner_text()
    assert "Ward stays kept\t3" in summary or "Ward stays kept\n3" in summary
    assert "Interventions kept" in summary
    problem = page.get_by_role("row").filter(has_text="MHS515RestrictiveInterventType.csv")
    assert "did you mean 01?" in problem.inner_text()
    assert "Kept (warning)" in problem.inner_text()

    # The same files again, as one zip: nothing new, and both runs are listed.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for f in extract_files(tmp_path):
            archive.writestr(f"may/{f['name']}", f["buffer"])
    page.get_by_role("link", name="Import an MHSDS extract").click()
    page.set_input_files(
        "#id_files",
        files=[{"name": "may.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}],
    )
    page.get_by_role("button", name="Import the extract").click()
    page.get_by_role("heading", name="Finished with problems").wait_for()
    page.get_by_role("link", name="Import an MHSDS extract").click()
    assert page.get_by_role("link", name="may.zip").count() == 1
    assert_accessible(axe)


def test_a_running_import_shows_its_progress_and_updates_itself(page, live_server, axe, lead):
    run = ImportRun.objects.create(
        kind=ImportKind.MHSDS,
        source="MHS000Header.csv, MHS502WardStay.csv",
        started_by=lead,
        status=ImportStatus.RUNNING,
        rows_total=200,
        rows_done=50,
    )
    sign_in(page, live_server, lead)
    page.goto(f"{live_server.url}/extracts/mhsds/{run.pk}/")
    assert page.locator("progress").get_attribute("value") == "25"
    assert "Read 50 of 200 rows (25%)" in page.locator("#import-progress").inner_text()
    assert_accessible(axe)

    run.mark_progress(150)
    page.get_by_text("Read 150 of 200 rows (75%)").wait_for(timeout=10_000)
    run.mark_finished({"ward stays": 7}, Problems())
    page.get_by_role("heading", name="Finished").wait_for(timeout=10_000)
    assert page.locator("progress").count() == 0
    assert "Ward stays kept" in page.locator(".nhsuk-summary-list").inner_text()
