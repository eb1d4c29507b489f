"""The MHSDS import page: upload, background task, progress and problems, past imports."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mhsip.extracts.models import Submission
from mhsip.imports.models import ImportRun, ImportStatus
from tests.factories.organisations import MembershipFactory, ProviderFactory, WardFactory
from tests.integration.test_extracts_import import may_tables
from tests.unit.mhsds.helpers import write_extract

pytestmark = pytest.mark.django_db


@pytest.fixture
def qi_lead(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return MembershipFactory(role="qi_lead", organisation=ProviderFactory(code="RX4")).user


def uploads(directory):
    return [
        SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
        for path in sorted(directory.iterdir())
    ]


def test_upload_runs_the_import_and_shows_problems(client, qi_lead, tmp_path):
    tables = may_tables()
    tables["MHS515RestrictiveInterventType"][0]["RestrictiveIntType"] = "1"
    directory = write_extract(tmp_path / "x", tables)
    client.force_login(qi_lead)

    response = client.post(reverse("extracts:import"), {"files": uploads(directory)}, follow=True)

    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FINISHED_WITH_PROBLEMS
    assert Submission.objects.get().provider.code == "RX4"
    page = response.content.decode()
    assert "MHS515RestrictiveInterventType.csv" in page
    assert "did you mean 01?" in page
    assert "Kept (warning)" in page


def test_zip_upload_and_the_list_of_past_imports(client, qi_lead, tmp_path):
    directory = write_extract(tmp_path / "x", may_tables())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in directory.iterdir():
            archive.write(path, f"extract/{path.name}")
    client.force_login(qi_lead)
    upload = SimpleUploadedFile("extract.zip", buffer.getvalue(), content_type="application/zip")

    client.post(reverse("extracts:import"), {"files": [upload]})

    assert ImportRun.objects.get().status == ImportStatus.FINISHED
    assert "extract.zip" in client.get(reverse("extracts:import")).content.decode()


def test_submissions_of_another_provider_are_refused(client, qi_lead, tmp_path):
    ProviderFactory(code="RY1")
    directory = write_extract(tmp_path / "x", may_tables())
    other = MembershipFactory(role="qi_lead", organisation=ProviderFactory(code="RZZ")).user
    client.force_login(other)

    client.post(reverse("extracts:import"), {"files": uploads(directory)})

    assert Submission.objects.count() == 0
    assert "may not import data for provider RX4" in ImportRun.objects.get().problems[0]["message"]


def test_page_needs_the_import_permission(client):
    manager = MembershipFactory(role="ward_manager", ward=WardFactory()).user
    client.force_login(manager)
    assert client.get(reverse("extracts:import")).status_code == 403

    user = MembershipFactory(role="qi_lead", organisation=ProviderFactory()).user
    client.force_login(user)
    assert client.get(reverse("extracts:import")).status_code == 200
    run = ImportRun.objects.create(kind="mhsds", source="someone else's")
    assert client.get(reverse("extracts:import-detail", args=[run.pk])).status_code == 404
