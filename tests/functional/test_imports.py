"""A data manager builds a mapping for their Datix export in Chromium, imports it and sees the
result; axe-core on every page."""

import pytest

from tests.factories.imports import csv_bytes, datix_rows, intervention_row
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.functional.helpers import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    provider = ProviderFactory(code="RAA", name="Ashbrook NHS Foundation Trust")
    site = SiteFactory(parent=provider)
    WardFactory(site=site, code="RAA01-ASH", name="Ash Ward")
    WardFactory(site=site, code="RAA01-ELM", name="Elm Ward")
    lead = MembershipFactory(role="qi_lead", organisation=provider).user
    return {"lead": lead}


CODES = {
    "Seated hold": "11 Physical restraint - seated",
    "IM rapid tranq": "14 Chemical restraint - injection (rapid tranquillisation)",
    "Prone restraint": "01 Physical restraint - prone",
    "Violence to others": "10 Prevent violence to others",
}


def test_build_a_mapping_and_import_an_export(page, live_server, axe, world):
    sign_in(page, live_server, world["lead"])
    page.goto("/imports/")
    assert_accessible(axe)
    page.get_by_role("link", name="Import an incident-system export").click()
    assert_accessible(axe)
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "datix-april.csv", "mimeType": "text/csv", "buffer": csv_bytes(datix_rows())}
        ],
    )
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Which column holds what").wait_for()
    assert_accessible(axe)
    page.fill("#id_name", "Datix monthly")
    page.fill("#id_source", "Datix")
    for key, column in {
        "incident_reference": "Incident ID",
        "ward": "Location (exact)",
        "patient_local_id": "Patient number",
        "start_date": "Incident date",
        "start_time": "Time",
        "end_time": "End time",
        "intervention_type_1": "Restraint type",
        "reason": "Reason for restraint",
        "outcome": "Outcome",
    }.items():
        page.select_option(f"#id_column_{key}", column)
    page.get_by_role("button", name="Save the columns and continue").click()

    page.get_by_role("heading", name="What each value means").wait_for()
    assert_accessible(axe)
    assert page.get_by_text("Values without a code").is_visible()
    for value, code in CODES.items():
        page.get_by_label(f"“{value}”").select_option(label=code)
    page.get_by_role("button", name="Save the codes and import").click()

    page.get_by_role("heading", name="Import of datix-april.csv").wait_for()
    page.get_by_text("3 records added").wait_for()
    assert page.get_by_text("Finished", exact=True).is_visible()
    assert_accessible(axe)
    page.goto("/imports/")
    assert page.get_by_role("link", name="datix-april.csv").is_visible()


def test_an_export_with_one_row_per_intervention(page, live_server, axe, world):
    rows = [
        intervention_row("DX-1", "Prone restraint", "14:05", "14:10"),
        intervention_row("DX-1", "Seclusion", "14:12", "14:25"),
        intervention_row("DX-2", "Seated hold", "14:05", "14:20", patient="RAA-555002"),
    ]
    sign_in(page, live_server, world["lead"])
    page.goto("/imports/incidents/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "datix-by-row.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}],
    )
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Which column holds what").wait_for()
    page.fill("#id_name", "Datix by intervention")
    page.fill("#id_source", "Datix")
    page.get_by_role("group", name="How does the export lay out the incidents?").get_by_label(
        "One row per restrictive intervention"
    ).check()
    assert_accessible(axe)
    for key, column in {
        "incident_reference": "Incident ID",
        "ward": "Location (exact)",
        "patient_local_id": "Patient number",
        "start_date": "Incident date",
        "start_time": "Time",
        "end_time": "End time",
        "intervention_type_1": "Restraint type",
        "intervention_start_time": "Restraint start",
        "intervention_end_time": "Restraint end",
    }.items():
        page.select_option(f"#id_column_{key}", column)
    page.get_by_role("button", name="Save the columns and continue").click()

    page.get_by_role("heading", name="What each value means").wait_for()
    assert page.get_by_text("In this file 1 incident is on more than one row").is_visible()
    assert_accessible(axe)
    for value, code in CODES.items():
        if value in {"Seated hold", "Prone restraint"}:
            page.get_by_label(f"“{value}”").select_option(label=code)
    page.get_by_role("button", name="Save the codes and import").click()

    page.get_by_role("heading", name="Import of datix-by-row.csv").wait_for()
    page.get_by_text("2 records added").wait_for()
    assert page.get_by_text("Finished", exact=True).is_visible()
