"""`mhsip import mhsds DIR` then `mhsip measures`: NHS Digital's figures for the extract, stored
once per provider-month, replaced by refreshes, and unchanged by importing twice."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from mhsip.auditing.models import AuditEvent
from mhsip.extracts import services
from mhsip.extracts.models import Submission, WardStayRow
from mhsip.imports.models import ImportRun, ImportStatus
from mhsip.organisations.models import Organisation, Ward
from tests.unit.mhsds.helpers import (
    activity,
    header,
    referral,
    restraint,
    spell,
    tables_with,
    ward_stay,
    write_extract,
)

pytestmark = pytest.mark.django_db


def may_tables(extra_restraints=()):
    return tables_with(
        spells=[spell("S1", "P1", "2023-04-20"), spell("S2", "P2", "2023-05-10", "2023-05-20")],
        referrals=[referral("P1"), referral("P2")],
        stays=[
            ward_stay("WS1", "S1", "P1", "RX4W1", "2023-04-20 10:00:00", "2023-05-15 14:00:00"),
            ward_stay("WS2", "S1", "P1", "RX4W2", "2023-05-15 14:00:00"),
            ward_stay("WS3", "S2", "P2", "RX4W1", "2023-05-10 09:00:00", "2023-05-20 09:00:00"),
        ],
        restraints=[
            restraint(1, "S1", "P1", "01", "2023-05-15 14:00:00", "2023-05-15 14:10:00"),
            restraint(2, "S2", "P2", "09", "2023-05-12 10:00:00", "2023-05-12 10:30:00"),
            *extra_restraints,
        ],
        ward_details=[{"UniqWardCode": "RX4W1", "UniqMonthID": 1478, "SiteIDOfWard": "RX4AA"}],
    )


def moved(tables, submission, month=1478, provider="RX4"):
    """The same activity rows in another submission."""
    for name, rows in tables.items():
        if name != "MHS903WardDetails":
            for row in rows:
                row.update(activity(submission, month, provider))
    return tables


def measures(level, **options):
    out = io.StringIO()
    call_command("measures", level=level, output_format="json", stdout=out, **options)
    return {(r["organisation"], r["period"], r["measure"]): r for r in json.loads(out.getvalue())}


def test_import_then_measures_gives_nhs_digital_figures(tmp_path):
    call_command("import", "mhsds", str(write_extract(tmp_path / "x", may_tables())))

    rows = measures("provider", last="2023-06")
    rate = rows[("RX4", "2023-05", "restrictive_interventions")]
    # 2 interventions; bed days 31 (S1, open) + 10 (S2).
    assert (rate["measure_id"], rate["numerator"], rate["denominator"]) == ("MHS96", 2, 41)
    assert rate["value"] == pytest.approx(2 / 41 * 1000, abs=1e-6)
    percent = rows[("RX4", "2023-05", "percent_restrained")]
    assert (percent["numerator"], percent["denominator"], percent["value"]) == (2, 2, 100)
    assert rows[("RX4", "2023-05", "restraint_minutes_mean")]["value"] == 20
    assert rows[("RX4", "2023-05", "restraint_minutes_max")]["value"] == 30
    # No submission for June: no data, not zero; no MHSDS equivalent: null.
    assert rows[("RX4", "2023-06", "restrictive_interventions_count")]["value"] is None
    assert rows[("RX4", "2023-05", "review_offered")]["value"] is None


def test_ward_level_uses_the_rank_one_ward_stay(tmp_path):
    call_command("import", "mhsds", str(write_extract(tmp_path / "x", may_tables())))

    rows = measures("ward", last="2023-05")
    w1 = rows[("RX4W1", "2023-05", "restrictive_interventions")]
    # W1 bed days: WS1 1-15 May (14) + WS3 (10); the transfer restraint goes to W1.
    assert (w1["measure_id"], w1["numerator"], w1["denominator"]) == ("MHS117", 2, 24)
    w2 = rows[("RX4W2", "2023-05", "restrictive_interventions_count")]
    assert w2["value"] == 0
    assert rows[("RX4W1", "2023-05", "percent_restrained")]["value"] is None
    assert Ward.objects.get(code="RX4W1").site.code == "RX4AA"
    assert Ward.objects.get(code="RX4W2").site.code == "RX4-UNKNOWN"


def test_network_sums_its_providers(tmp_path):
    other = moved(may_tables(), 200, provider="RY1")
    other["MHS903WardDetails"] = []
    for stay in other["MHS502WardStay"]:
        stay["UniqWardCode"] = "RY1" + stay["UniqWardCode"]
    write_extract(tmp_path / "a", may_tables())
    write_extract(tmp_path / "b", other, submissions=[header(200, provider="RY1")])
    call_command("import", "mhsds", str(tmp_path / "a"))
    call_command("import", "mhsds", str(tmp_path / "b"))

    rows = measures("network", last="2023-05")
    rate = rows[("MHSDS-UNASSIGNED", "2023-05", "restrictive_interventions")]
    assert (rate["numerator"], rate["denominator"]) == (4, 82)


def test_importing_twice_changes_nothing(tmp_path):
    directory = write_extract(tmp_path / "x", may_tables())
    first = services.import_extract(directory)
    before = measures("provider", last="2023-05")
    second = services.import_extract(directory)

    assert first.counts == second.counts
    assert Submission.objects.count() == 1
    assert WardStayRow.objects.count() == 3
    assert measures("provider", last="2023-05") == before


def test_refresh_replaces_the_provider_month(tmp_path):
    services.import_extract(write_extract(tmp_path / "a", may_tables()))
    refreshed = moved(
        may_tables([restraint(3, "S1", "P1", "01", "2023-05-20 10:00:00", "2023-05-20 10:10:00")]),
        101,
    )
    services.import_extract(
        write_extract(tmp_path / "b", refreshed, submissions=[header(101, file_type=2)])
    )

    assert Submission.objects.get().uniq_submission_id == 101
    count = measures("provider", last="2023-05")[
        ("RX4", "2023-05", "restrictive_interventions_count")
    ]
    assert count["value"] == 3
    # The older primary, imported after, does not win.
    run = services.import_extract(tmp_path / "a")
    assert Submission.objects.get().uniq_submission_id == 101
    assert "already imported" in str(run.problem_list()[0])


def test_import_stopped_halfway_and_run_again_ends_as_one_clean_run(tmp_path, monkeypatch):
    june = moved(may_tables(), 300, 1479)
    both = {name: may_tables()[name] + june[name] for name in june}
    directory = write_extract(tmp_path / "x", both, submissions=[header(100), header(300, 1479)])
    real = services.store_submission
    calls = []

    def fails_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "store_submission", fails_on_the_second)
    with pytest.raises(RuntimeError):
        services.import_extract(directory)
    assert Submission.objects.count() == 1  # the first whole, nothing of the second
    monkeypatch.setattr(services, "store_submission", real)

    services.import_extract(directory)
    half_then_whole = (Submission.objects.count(), WardStayRow.objects.count())
    Submission.objects.all().delete()
    services.import_extract(directory)
    assert half_then_whole == (Submission.objects.count(), WardStayRow.objects.count()) == (2, 6)


def test_all_or_nothing_refuses_an_extract_with_a_bad_row(tmp_path):
    tables = may_tables()
    tables["MHS502WardStay"][0]["StartDateWardStay"] = "2023-02-30"
    directory = write_extract(tmp_path / "x", tables)
    with pytest.raises(CommandError):
        call_command("import", "mhsds", str(directory), "--all-or-nothing", stdout=io.StringIO())

    assert Submission.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REFUSED
    assert "MHS502WardStay.csv, row 2, StartDateWardStay" in str(run.problem_list()[0])


def test_import_is_audited_with_the_provider(tmp_path):
    services.import_extract(write_extract(tmp_path / "x", may_tables()))
    event = AuditEvent.objects.get(action="mhsds_extract.import")
    assert event.provider == Organisation.objects.get(code="RX4")


def test_missing_table_every_figure_needs_refuses_the_import(tmp_path):
    directory = write_extract(tmp_path / "x", may_tables())
    (directory / "MHS515RestrictiveInterventType.csv").unlink()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "mhsds", str(directory), stdout=out)
    assert "MHS515RestrictiveInterventType.csv" in out.getvalue()
    assert not Submission.objects.exists()


def test_missing_referrals_keep_the_other_tables_and_empty_mhs97(tmp_path):
    directory = write_extract(tmp_path / "x", may_tables())
    (directory / "MHS101Referral.csv").unlink()
    out = io.StringIO()
    call_command("import", "mhsds", str(directory), stdout=out)
    assert "MHS101Referral.csv: the file is missing" in out.getvalue()
    rows = measures("provider", last="2023-05")
    assert rows[("RX4", "2023-05", "restrictive_interventions_count")]["value"] == 2
    assert rows[("RX4", "2023-05", "percent_restrained")]["value"] is None
    assert WardStayRow.objects.count() == 3


def test_damaged_ward_stay_header_keeps_the_provider_figures(tmp_path):
    directory = write_extract(tmp_path / "x", may_tables())
    path = directory / "MHS502WardStay.csv"
    path.write_text(path.read_text().replace("EndTimeWardStay", "EndTime", 1))
    run = services.import_extract(directory)
    problem = run.problem_list()[0]
    assert (problem.file, problem.row, problem.field) == (
        "MHS502WardStay.csv",
        1,
        "EndTimeWardStay",
    )
    assert "the table was not imported" in problem.message
    assert run.rows_rejected == 3
    assert not WardStayRow.objects.exists()
    # Without ward stays the provider gets a placeholder ward, so its figures are shown.
    rows = measures("provider", last="2023-05")
    assert rows[("RX4", "2023-05", "restrictive_interventions_count")]["value"] == 2
    assert rows[("RX4", "2023-05", "percent_restrained")]["value"] == 100


def test_a_refresh_changes_the_dashboards_data_version(tmp_path):
    from mhsip.dashboards.presenters import data_version

    services.import_extract(write_extract(tmp_path / "a", may_tables()))
    wards = list(Ward.objects.values_list("pk", flat=True))
    before = data_version(wards)

    refreshed = moved(may_tables(), 101)
    services.import_extract(
        write_extract(tmp_path / "b", refreshed, submissions=[header(101, file_type=2)])
    )

    assert data_version(wards) != before


def test_a_command_line_import_is_filed_under_its_provider(tmp_path):
    from mhsip.imports.queries import runs_for
    from tests.factories.organisations import MembershipFactory

    call_command(
        "import",
        "mhsds",
        str(write_extract(tmp_path / "a", may_tables())),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    run = ImportRun.objects.get()
    assert run.started_by is None and run.organisation.code == "RX4"
    qi_lead = MembershipFactory(role="qi_lead", organisation=run.organisation).user
    assert list(runs_for(qi_lead)) == [run]
