"""The import pages: the mapping built in the page, the import, its history, and who may."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mhsip.imports.models import (
    ImportFile,
    ImportKind,
    ImportRun,
    ImportStatus,
    IncidentLayout,
    IncidentMapping,
)
from mhsip.incidents.models import UseOfForceRecord
from mhsip.patients.models import MonthlyBedDays
from tests.factories.imports import (
    bed_days_run,
    csv_bytes,
    datix_mapping,
    datix_row,
    datix_rows,
    intervention_mapping,
    intervention_row,
)
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    return build_world()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_build_a_mapping_in_the_page_and_import(client, world):
    client.force_login(world.users["qi_lead"])
    provider = world.providers["A"]
    response = client.post(
        reverse("imports:incidents-upload"),
        {"provider": provider.pk, "file": upload("datix.csv", csv_bytes(datix_rows()))},
    )
    import_file = ImportFile.objects.get()
    assert response.url == reverse("imports:incident-columns", args=[import_file.pk])

    page = client.get(response.url)
    assert page.status_code == 200
    assert "Location (exact)" in page.text and "RAA01-ELM" in page.text  # an example value

    columns = {
        "column_incident_reference": "Incident ID",
        "column_ward": "Location (exact)",
        "column_patient_local_id": "Patient number",
        "column_start_date": "Incident date",
        "column_start_time": "Time",
        "column_end_time": "End time",
        "column_intervention_type_1": "Restraint type",
        "column_reason": "Reason for restraint",
    }
    response = client.post(
        response.url,
        {"name": "Datix monthly", "source": "Datix", "layout": "incident", **columns},
    )
    mapping = IncidentMapping.objects.get()
    assert mapping.columns["ward"] == "Location (exact)"

    page = client.get(response.url)
    assert "Values without a code" in page.text and "Violence to others" in page.text
    form = page.context["form"]
    # "Seclusion" is suggested as MHSDS 05 from its label; the others are chosen by the user.
    assert (
        form.initial[f"intervention_type__{form.found['intervention_type'].index('Seclusion')}"]
        == "05"
    )
    data = {"mapping": mapping.pk, "import": "1"}
    for code_list, values in form.found.items():
        for index, value in enumerate(values):
            data[f"{code_list}__{index}"] = {
                "Seated hold": "11",
                "IM rapid tranq": "14",
                "Seclusion": "05",
                "Prone restraint": "01",
                "Violence to others": "10",
            }[value]
    response = client.post(page.request["PATH_INFO"] + f"?mapping={mapping.pk}", data)

    run = ImportRun.objects.get()
    assert response.url == reverse("imports:run", args=[run.pk])
    assert run.status == ImportStatus.FINISHED, run.problems
    assert UseOfForceRecord.objects.filter(source="Datix").count() == 3
    # The uploaded copy (holding patients' identifiers) is gone once imported.
    assert not ImportFile.objects.get().file
    page = client.get(response.url)
    assert "3 records added" in page.text
    history = client.get(reverse("imports:history"))
    assert "datix.csv" in history.text

    mapping.refresh_from_db()
    assert mapping.values["intervention_type"]["Seated hold"] == "11"


def test_a_saved_mapping_goes_straight_to_its_codes(client, world):
    mapping = datix_mapping(world.providers["A"])
    client.force_login(world.users["responsible_person"])
    response = client.post(
        reverse("imports:incidents-upload"),
        {
            "provider": world.providers["A"].pk,
            "mapping": mapping.pk,
            "file": upload("april.csv", csv_bytes(datix_rows())),
        },
    )
    assert f"?mapping={mapping.pk}" in response.url
    page = client.get(response.url)
    assert "Values without a code" not in page.text


@pytest.mark.parametrize("who", ["ward_staff", "ward_manager", "network_lead", "champion"])
def test_people_without_data_import_are_refused(client, world, who):
    client.force_login(world.users[who])
    for name in ("imports:history", "imports:incidents-upload", "imports:bed-days-upload"):
        assert client.get(reverse(name)).status_code == 403


def test_cannot_import_into_another_provider(client, world):
    client.force_login(world.users["qi_lead"])  # provider A
    response = client.post(
        reverse("imports:bed-days-upload"),
        {
            "provider": world.providers["B"].pk,
            "file": upload("beds.csv", b"Ward,Month,Occupied bed days\nRBB01-OAK,2024-01,300\n"),
        },
    )
    assert response.status_code == 200
    assert "Choose a provider you may import data for" in response.text
    assert not ImportRun.objects.exists()


def test_another_providers_files_and_runs_are_not_found(client, world):
    other = ImportFile.objects.create(
        kind=ImportKind.INCIDENTS,
        provider=world.providers["B"],
        name="b.csv",
        file=upload("b.csv", csv_bytes(datix_rows())),
        uploaded_by=world.users["system_admin"],
    )
    run = bed_days_run(world.providers["B"])
    client.force_login(world.users["qi_lead"])

    assert client.get(reverse("imports:incident-columns", args=[other.pk])).status_code == 404
    assert client.get(reverse("imports:run", args=[run.pk])).status_code == 404
    assert "bed-days.csv" not in client.get(reverse("imports:history")).text


def test_history_lists_every_kind_including_mhsds(client, world):
    ImportRun.objects.create(
        kind=ImportKind.MHSDS, source="extract-2024-03", organisation=world.providers["A"]
    )
    client.force_login(world.users["responsible_person"])
    page = client.get(reverse("imports:history"))
    assert "extract-2024-03" in page.text and "MHSDS extract" in page.text


def test_bed_days_upload_in_the_page(client, world):
    client.force_login(world.users["qi_lead"])
    response = client.post(
        reverse("imports:bed-days-upload"),
        {
            "provider": world.providers["A"].pk,
            "file": upload(
                "beds.csv",
                b"Ward code,Month,Occupied bed days\nRAA01-ASH,2024-01,500\nElm Ward,2024-01,x\n",
            ),
        },
    )
    run = ImportRun.objects.get()
    assert response.url == reverse("imports:run", args=[run.pk])
    assert run.status == ImportStatus.FINISHED_WITH_PROBLEMS
    assert MonthlyBedDays.objects.get().occupied_bed_days == 500
    page = client.get(response.url)
    assert "x is not a whole number" in page.text


def test_a_running_import_page_refreshes_itself(client, world):
    run = bed_days_run(world.providers["A"])
    run.mark_running(1000)
    run.mark_progress(250)
    client.force_login(world.users["qi_lead"])
    page = client.get(reverse("imports:run", args=[run.pk]))
    assert 'data-running="true"' in page.text
    assert "Checked 250 of 1000 rows (25%)" in page.text
    assert "imports/progress.js" in page.text


def stored_export(world, rows) -> ImportFile:
    return ImportFile.objects.create(
        kind=ImportKind.INCIDENTS,
        provider=world.providers["A"],
        name="datix.csv",
        file=upload("datix.csv", csv_bytes(rows)),
        uploaded_by=world.users["qi_lead"],
    )


def per_intervention_rows():
    return [
        intervention_row("DX-1", "Prone restraint", "14:05", "14:10"),
        intervention_row("DX-1", "Seclusion", "14:12", "14:25"),
        intervention_row("DX-2", "Seated hold", "14:05", "14:20", patient="RAA-555002"),
    ]


def test_the_columns_page_asks_for_the_layout_and_saves_it_with_the_mapping(client, world):
    import_file = stored_export(world, per_intervention_rows())
    client.force_login(world.users["qi_lead"])
    url = reverse("imports:incident-columns", args=[import_file.pk])

    page = client.get(url)
    assert "How does the export lay out the incidents?" in page.text
    assert 'type="radio" value="intervention"' in page.text
    assert "Intervention start time" in page.text

    response = client.post(
        url,
        {
            "name": "Datix by intervention",
            "source": "Datix",
            "layout": "intervention",
            "column_incident_reference": "Incident ID",
            "column_ward": "Location (exact)",
            "column_patient_local_id": "Patient number",
            "column_start_date": "Incident date",
            "column_start_time": "Time",
            "column_end_time": "End time",
            "column_intervention_type_1": "Restraint type",
            "column_intervention_start_time": "Restraint start",
            "column_intervention_end_time": "Restraint end",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    mapping = IncidentMapping.objects.get()
    assert mapping.layout == IncidentLayout.INTERVENTION
    assert mapping.columns["intervention_start_time"] == "Restraint start"

    again = client.get(f"{url}?mapping={mapping.pk}")
    assert 'value="intervention" checked' in again.text


def test_the_layout_must_be_chosen(client, world):
    import_file = stored_export(world, datix_rows())
    client.force_login(world.users["qi_lead"])

    page = client.post(
        reverse("imports:incident-columns", args=[import_file.pk]),
        {"name": "Datix", "source": "Datix", "column_incident_reference": "Incident ID"},
    )

    assert page.status_code == 200
    assert "Choose whether the export has one row per incident or per intervention" in page.text
    assert not IncidentMapping.objects.exists()


def test_repeated_references_are_pointed_out_when_the_mapping_says_one_row_each(client, world):
    rows = [datix_row("DX-1", types="Prone restraint"), datix_row("DX-1", types="Seclusion")]
    import_file = stored_export(world, rows)
    mapping = datix_mapping(world.providers["A"])
    client.force_login(world.users["qi_lead"])

    page = client.get(
        reverse("imports:incident-values", args=[import_file.pk]) + f"?mapping={mapping.pk}"
    )

    assert "Incidents on more than one row" in page.text
    assert (
        "1 incident is on more than one row (for example DX-1, rows 2, 3), 1 of them with a "
        "different type of force on each row" in page.text
    )
    assert "One row per restrictive intervention" in page.text


def test_a_per_intervention_mapping_says_how_rows_are_combined(client, world):
    import_file = stored_export(world, per_intervention_rows())
    mapping = intervention_mapping(world.providers["A"])
    client.force_login(world.users["qi_lead"])
    url = reverse("imports:incident-values", args=[import_file.pk]) + f"?mapping={mapping.pk}"

    page = client.get(url)
    assert "Incidents on more than one row" not in page.text
    assert "one row per restrictive intervention" in page.text
    assert "In this file 1 incident is on more than one row (for example DX-1, rows 2, 3)" in (
        page.text
    )

    response = client.post(
        url, {"mapping": mapping.pk, "import": "1", **page.context["form"].initial}
    )
    run = ImportRun.objects.get()
    assert response.url == reverse("imports:run", args=[run.pk])
    assert run.status == ImportStatus.FINISHED, run.problems
    assert run.counts["records added"] == 2
