"""mhsip's own records as an MHSDS extract: export a month, import it into a fresh database,
and `mhsip measures` there gives the figures mhsip computes from the records; the export never
holds a patient's local identifier; the page needs patient-data access and is audited."""

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from mhsip.auditing.models import AuditEvent
from mhsip.extracts.exporting import build_export
from mhsip.mhsds.tables import TABLES
from mhsip.patients.models import Patient, WardStay
from mhsip.patients.services import patient_register
from tests.conftest import REPO_ROOT
from tests.factories.incidents import record_create
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
LOCAL_IDS = ["RX-LOCAL-0001", "RX-LOCAL-0002", "RX-LOCAL-0003"]
PUBLISHED = {
    "provider": [
        "restrictive_interventions",
        "restrictive_interventions_count",
        "incidents_count",
        "people_restrained",
        "percent_restrained",
        "restraint_minutes_mean",
        "restraint_minutes_max",
    ],
    "ward": [
        "restrictive_interventions",
        "restrictive_interventions_count",
        "incidents_count",
        "people_restrained",
    ],
}


def at(day, hour, minute=0):
    return datetime(2024, 4, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def world():
    """April 2024 on two wards, without the quirks' edge cases: stays that start before the
    month or in it, one discharged in it; restraints well inside stays, none on the 1st."""
    provider = ProviderFactory(code="ZZX")
    site = SiteFactory(parent=provider, code="ZZX01")
    ash, elm = WardFactory(site=site, code="ZZX-ASH"), WardFactory(site=site, code="ZZX-ELM")
    lead = MembershipFactory(role="qi_lead", organisation=provider).user
    nurse = MembershipFactory(role="ward_staff", ward=ash).user
    MembershipFactory(role="ward_staff", ward=elm, user=nurse)
    p1, p2, p3 = (
        patient_register(by=nurse, provider=provider, local_id=local_id, check=False)
        for local_id in LOCAL_IDS
    )
    WardStay.objects.create(
        patient=p1, ward=ash, started_at=datetime(2024, 3, 20, 10, tzinfo=LONDON)
    )
    WardStay.objects.create(patient=p2, ward=ash, started_at=at(5, 9), ended_at=at(20, 15))
    WardStay.objects.create(patient=p3, ward=elm, started_at=at(2, 12))
    for ward, patient, start in [
        (ash, p1, at(10, 14)),
        (ash, p2, at(12, 10)),
        (elm, p3, at(15, 20)),
        (elm, p3, at(25, 7, 30)),
        (ash, p1, at(28, 23)),
    ]:
        record_create(by=nurse, ward=ward, patient=patient, started_at=start, minutes=12)
    return {"provider": provider, "lead": lead, "wards": [ash, elm]}


def measures_here(level):
    out = io.StringIO()
    call_command(
        "measures", level=level, output_format="json", first="2024-04", last="2024-04", stdout=out
    )
    return json.loads(out.getvalue())


def figures(rows, level, codes):
    return {
        (r["organisation"], r["measure"]): (r["numerator"], r["denominator"], r["value"])
        for r in rows
        if r["organisation"] in codes and r["measure"] in PUBLISHED[level]
    }


def run_mhsip(*args, database):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "mhsip", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_export_then_import_into_a_fresh_database_gives_the_same_figures(world, tmp_path):
    directory = tmp_path / "export"
    call_command(
        "export",
        "mhsds",
        "--provider",
        "ZZX",
        "--month",
        "2024-04",
        str(directory),
        stdout=io.StringIO(),
    )
    assert sorted(p.name for p in directory.iterdir()) == sorted(t.file_name for t in TABLES)
    expected = {
        "provider": figures(measures_here("provider"), "provider", {"ZZX"}),
        "ward": figures(measures_here("ward"), "ward", {"ZZX-ASH", "ZZX-ELM"}),
    }
    assert expected["provider"][("ZZX", "restrictive_interventions_count")][0] == 10

    database = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    run_mhsip("migrate", "--verbosity", "0", database=database)
    run_mhsip("import", "mhsds", str(directory), database=database)
    for level, codes in [("provider", {"ZZX"}), ("ward", {"ZZX-ASH", "ZZX-ELM"})]:
        out = run_mhsip(
            "measures",
            "--level",
            level,
            "--format",
            "json",
            "--from",
            "2024-04",
            "--to",
            "2024-04",
            database=database,
        )
        got = figures(json.loads(out), level, codes)
        assert set(got) == set(expected[level])
        for key, (numerator, denominator, value) in expected[level].items():
            have = got[key]
            assert have[0] == pytest.approx(numerator), key
            assert have[1] == pytest.approx(denominator), key
            assert have[2] == pytest.approx(value), key


def test_the_export_never_holds_the_local_identifier(world):
    export = build_export(world["provider"], datetime(2024, 4, 1).date())
    text = b"".join(export.csv_files().values()).decode()
    assert export.rows()["MHS515RestrictiveInterventType"] == 10
    for local_id in LOCAL_IDS:
        assert local_id not in text
    for patient in Patient.objects.all():
        assert patient.local_id_hash not in text
        assert patient.alias not in text


def test_the_page_gives_a_zip_to_people_who_may_see_patients_data_and_audits_it(client, world):
    client.force_login(world["lead"])
    page = client.get(reverse("extracts:export"))
    assert page.status_code == 200
    response = client.post(
        reverse("extracts:export"), {"provider": world["provider"].pk, "month": "2024-04"}
    )
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert len(archive.namelist()) == 8
    event = AuditEvent.objects.get(action="mhsds_extract.export")
    assert event.detail["rows"]["MHS502WardStay"] == 3


def test_the_page_is_refused_without_patient_data_access(client, world):
    outsider = MembershipFactory(role="qi_lead", organisation=ProviderFactory(code="ZZY")).user
    client.force_login(outsider)
    response = client.post(
        reverse("extracts:export"), {"provider": world["provider"].pk, "month": "2024-04"}
    )
    assert response.status_code in (200, 403)
    assert response.get("Content-Type") != "application/zip"
    assert not AuditEvent.objects.filter(action="mhsds_extract.export").exists()
