"""`mhsip import mhsds` then `mhsip measures` against the naive oracle (mhsds_oracle.py).

The extracts are generated (tests/factories/mhsds_extracts.py) with every quirk of mhsds.md in
them; the oracle was written from mhsds.md alone and is itself checked by hand-worked examples
(test_mhsds_oracle.py). Every figure the oracle gives must come out of `mhsip measures`; any other
row `mhsip measures` gives for the extract's organisations and months must be zero.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models.query import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhsip.imports.models import ImportRun
from tests.factories.mhsds_extracts import HandExtract, generate_extract
from tests.reference.mhsds_oracle import oracle_figures, ward_providers

pytestmark = pytest.mark.django_db

MEASURES = {
    "provider": {"MHS76", "MHS77", "MHS136", "MHS96", "MHS97", "MHS98", "MHS99"},
    "ward": {"MHS76", "MHS77", "MHS136", "MHS117"},
}
#: Only the value is a shared convention for the minutes (numerator and denominator are not).
VALUE_ONLY = {"MHS98", "MHS99"}


def run_import(directory: Path, *options: str) -> tuple[str, ImportRun | None]:
    """`mhsip import mhsds DIR`: what it printed, and its ImportRun."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "mhsds", str(directory), *options, stdout=out, stderr=err)
    run = ImportRun.objects.filter(kind="mhsds").order_by("-id").first()
    return out.getvalue() + err.getvalue(), run


def measures(level: str) -> dict[tuple[str, str, str, str], dict]:
    """`mhsip measures --level LEVEL --format json`, by (level, organisation, period, measure_id).

    Rows without an MHSDS measure ID are mhsip's own measures and are not compared.
    """
    out = io.StringIO()
    call_command("measures", "--level", level, "--format", "json", stdout=out)
    rows = {}
    for row in json.loads(out.getvalue()):
        if not row["measure_id"]:
            continue
        key = (row["level"], row["organisation"], row["period"], row["measure_id"])
        assert key not in rows, f"two rows of `mhsip measures` for {key}: {rows[key]} and {row}"
        rows[key] = row
    return rows


def all_measures() -> dict:
    return {**measures("provider"), **measures("ward")}


def mismatches(expected: dict, got: dict, *, providers, wards, periods, skip=None) -> list[str]:
    """Every difference between the oracle's figures and `mhsip measures`, in words."""
    wrong = []
    for key, figure in sorted(expected.items()):
        if skip and skip(key):
            continue
        row = got.get(key)
        if row is None:
            wrong.append(f"{key}: missing; expected {figure}")
            continue
        compare = ["value"] if key[3] in VALUE_ONLY else ["numerator", "denominator", "value"]
        for name in compare:
            want, have = figure[name], row[name]
            if name == "value" and figure["denominator"] == 0:
                continue  # nothing to divide by: no convention agreed
            if want is None:
                ok = have in (None, "")
            else:
                ok = have is not None and have == pytest.approx(want, rel=1e-9, abs=1e-6)
            if not ok:
                wrong.append(f"{key}: {name} expected {want}, got {have} (row {row})")
    organisations = {"provider": set(providers), "ward": set(wards)}
    for key, row in sorted(got.items()):
        level, organisation, period, measure_id = key
        if key in expected or (skip and skip(key)):
            continue
        if measure_id not in MEASURES.get(level, ()):
            continue
        if organisation not in organisations[level] or period not in periods:
            continue
        if row["numerator"] not in (0, None) or row["value"] not in (0, None):
            wrong.append(f"{key}: the oracle has no such figure, but got {row}")
    return wrong


def check_against_oracle(directory: Path, skip=None) -> None:
    expected = oracle_figures(directory)
    periods = {key[2] for key in expected}
    providers = {key[1] for key in expected if key[0] == "provider"}
    wrong = mismatches(
        expected,
        all_measures(),
        providers=providers,
        wards=set(ward_providers(directory)),
        periods=periods,
        skip=skip,
    )
    assert not wrong, f"{len(wrong)} of {len(expected)} figures differ:\n" + "\n".join(wrong[:25])


def assert_clean(run: ImportRun, output: str) -> None:
    """Finished, every row kept. Warnings are allowed: a clean extract has legitimate oddities
    (the same intervention type sent twice in one file), which NHS Digital counts once."""
    assert run.status in {"finished", "problems"}, (run.status, run.error, output)
    assert run.rows_rejected == 0, (run.problems[:5], output)
    assert all(not problem["rejected"] for problem in run.problems), run.problems[:5]


def stored_rows() -> dict[str, int]:
    """Rows in every table of the extracts app, and organisations (created from codes)."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("extracts").get_models()
    }
    organisations = apps.get_model("organisations", "Organisation")
    counts["organisations"] = organisations.objects.count()
    return counts


# --------------------------------------------------------------------------------------------
# Generated extracts
# --------------------------------------------------------------------------------------------

EXTRACTS = [
    pytest.param({"seed": 1}, id="seed-1"),
    pytest.param(
        {"seed": 2, "providers": 3, "months": 5, "spells_per_provider": 80}, id="seed-2-3x5"
    ),
    pytest.param(
        {
            "seed": 7,
            "providers": 2,
            "months": 6,
            "wards_per_provider": 3,
            "incidents_per_provider": 90,
        },
        id="seed-7-busy",
    ),
    pytest.param(
        {
            "seed": 4,
            "providers": 4,
            "months": 8,
            "wards_per_provider": 8,
            "spells_per_provider": 500,
            "incidents_per_provider": 400,
        },
        id="seed-4-medium",
    ),
]


@pytest.mark.parametrize("parameters", EXTRACTS)
def test_import_gives_nhs_digitals_figures_on_generated_extracts(tmp_path, parameters):
    summary = generate_extract(tmp_path / "extract", **parameters)

    output, run = run_import(summary.directory)

    assert run is not None, output
    assert_clean(run, output)
    check_against_oracle(summary.directory)


def test_import_gives_zero_interventions_for_a_submission_without_any(tmp_path):
    extract = HandExtract()
    (
        extract.file(300001, 1478, provider="RQ1")
        .spell("S1", "P1", "2023-05-01")
        .stay("W1", "S1", "P1", "RQ1W01", "2023-05-01 10:00")
    )
    # The same provider's June file has a restraint, so the provider is not new in June.
    (
        extract.file(300002, 1479, provider="RQ1")
        .spell("S1", "P1", "2023-05-01")
        .stay("W1", "S1", "P1", "RQ1W01", "2023-05-01 10:00")
        .restraint("I1", "S1", "P1", "2023-06-03 10:00", "2023-06-03 10:05")
    )
    directory = extract.write(tmp_path / "extract")

    run_import(directory)

    got = all_measures()
    assert got[("provider", "RQ1", "2023-05", "MHS77")]["numerator"] == 0
    assert got[("provider", "RQ1", "2023-05", "MHS77")]["value"] == 0
    assert got[("ward", "RQ1W01", "2023-05", "MHS77")]["value"] == 0
    assert got[("provider", "RQ1", "2023-06", "MHS77")]["value"] == 1
    check_against_oracle(directory)


def test_import_reproduces_the_quirks_worked_by_hand(tmp_path):
    """The quirks of mhsds.md side by side in one small extract (each worked by hand in
    test_mhsds_oracle.py)."""
    extract = HandExtract()
    may = (
        extract.file(300001, 1478, provider="RQ1")
        .spell("S1", "P1", "2023-04-20")
        .stay("W1", "S1", "P1", "RQ1OAK", "2023-04-20 15:00", "2023-05-10 14:00")
        .stay("W2", "S1", "P1", "RQ1ELM", "2023-05-10 14:00")
        .spell("S2", "P2", "2023-05-20", "2023-06-10")  # discharge after the month (quirk)
        .stay("W3", "S2", "P2", "RQ1ELM", "2023-05-20 08:00", "2023-06-10 12:00")
        .spell("S3", "P3", "2023-04-01", None, inactive="2023-05-25")
        .spell("S4", "P4", "2023-05-05", "2023-05-05", referral=False)
    )
    may.restraint("A", "S1", "P1", "2023-05-10 14:00", "2023-05-10 14:20")  # transfer moment
    may.restraint("B", "S1", "P1", "2023-05-31 23:52")  # open in May's file
    may.restraint("C", "S1", "P1", "2023-04-25 10:00", code="06")  # open segregation
    may.restraint("D", "S2", "P2", "2023-05-21 10:00", "2023-05-21 10:30", code="09")
    may.kind("DT", "D", "S2", "P2", "2023-05-21 10:00", "2023-05-21 10:30", code="09")
    may.kind("DT", "D", "S2", "P2", "2023-05-21 10:00", "2023-05-21 10:30", code="09")  # again
    may.restraint("E", "S1", "P1", "2023-05-12", "2023-05-12 00:40")  # blank start time
    may.restraint("F", "S4", "P4", "2023-05-05 10:00", "2023-05-05 10:01", code="99")
    june = (
        extract.file(300004, 1479, provider="RQ1")
        .spell("S1", "P1", "2023-04-20")
        .stay("W2", "S1", "P1", "RQ1ELM", "2023-05-10 14:00", "2023-06-20 11:00")
        .stay("W4", "S1", "P1", "RQ1OAK", "2023-06-20 11:00")
        .spell("S2", "P2", "2023-05-20", "2023-06-10")
        .stay("W3", "S2", "P2", "RQ1ELM", "2023-05-20 08:00", "2023-06-10 12:00")
    )
    june.restraint("B", "S1", "P1", "2023-05-31 23:52", "2023-06-01 00:14")  # 23:52 quirk
    june.restraint("C", "S1", "P1", "2023-04-25 10:00", "2023-07-02 10:00", code="06")  # dropped
    june.restraint("G", "S1", "P1", "2023-05-15 10:00", "2023-05-15 10:10")  # sent late
    june.restraint("H", "S2", "P2", "2023-06-01 07:00", "2023-06-01 07:20")  # before 08:00
    june.restraint("J", "S1", "P1", "2023-06-05 10:00", "2023-06-05 10:12", code="12")
    # June sent again as a Refresh with one restraint more, and a FileType 3 to ignore.
    refresh = (
        extract.file(300006, 1479, provider="RQ1", file_type=2)
        .spell("S1", "P1", "2023-04-20")
        .stay("W2", "S1", "P1", "RQ1ELM", "2023-05-10 14:00", "2023-06-20 11:00")
        .stay("W4", "S1", "P1", "RQ1OAK", "2023-06-20 11:00")
        .spell("S2", "P2", "2023-05-20", "2023-06-10")
        .stay("W3", "S2", "P2", "RQ1ELM", "2023-05-20 08:00", "2023-06-10 12:00")
    )
    refresh.restraint("B", "S1", "P1", "2023-05-31 23:52", "2023-06-01 00:14")
    refresh.restraint("H", "S2", "P2", "2023-06-01 07:00", "2023-06-01 07:20")
    refresh.restraint("J", "S1", "P1", "2023-06-05 10:00", "2023-06-05 10:12", code="12")
    refresh.restraint("K", "S1", "P1", "2023-06-25 10:00", "2023-06-25 10:02", code="07")
    refresh.restraint("C", "S1", "P1", "2023-04-25 10:00", "2023-07-02 10:00", code="06")
    refresh.restraint("G", "S1", "P1", "2023-05-15 10:00", "2023-05-15 10:10")
    ignored = extract.file(300009, 1479, provider="RQ1", file_type=3)
    ignored.spell("S1", "P1", "2023-04-20")
    for n in range(5):
        ignored.restraint(f"Z{n}", "S1", "P1", "2023-06-06 10:00", "2023-06-06 10:05")
    directory = extract.write(tmp_path / "extract")

    output, run = run_import(directory)

    assert_clean(run, output)
    expected = oracle_figures(directory)
    # The hand-worked headline figures, to be sure the oracle saw the quirks:
    assert expected[("provider", "RQ1", "2023-05", "MHS77")]["value"] == 6  # A to F
    assert (
        expected[("provider", "RQ1", "2023-06", "MHS77")]["value"] == 4
    )  # B,H,J,K; not C (quirk) nor G (late)
    assert expected[("provider", "RQ1", "2023-06", "MHS98")]["value"] == pytest.approx(
        (20 + 12 + 2) / 3
    )
    check_against_oracle(directory)


# --------------------------------------------------------------------------------------------
# Running it again, and after a crash
# --------------------------------------------------------------------------------------------


def test_importing_the_same_extract_twice_changes_nothing(tmp_path):
    summary = generate_extract(tmp_path / "extract", seed=11, providers=2, months=4)
    run_import(summary.directory)
    first_measures, first_rows = all_measures(), stored_rows()

    output, run = run_import(summary.directory)

    assert_clean(run, output)
    assert stored_rows() == first_rows
    assert all_measures() == first_measures
    check_against_oracle(summary.directory)


class Crash(Exception):
    """Stands in for the process dying: raised from inside a database write."""


def count_bulk_writes(directory: Path, monkeypatch) -> int:
    """How many bulk writes one import of `directory` makes (rolled back afterwards)."""
    calls = []
    real = QuerySet.bulk_create

    def counting(self, *args, **kwargs):
        calls.append(self.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", counting)

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            run_import(directory)
            raise Undo
    except Undo:
        pass
    monkeypatch.setattr(QuerySet, "bulk_create", real)
    return len(calls)


def test_an_import_killed_halfway_and_run_again_gives_the_clean_figures(tmp_path, monkeypatch):
    summary = generate_extract(tmp_path / "extract", seed=5, providers=3, months=4)
    writes = count_bulk_writes(summary.directory, monkeypatch)
    assert writes >= 2, "the import makes fewer than two bulk writes: no seam to crash it at"
    real = QuerySet.bulk_create
    calls = []

    def dying(self, *args, **kwargs):
        calls.append(self.model)
        if len(calls) == writes // 2 + 1:
            raise Crash(f"killed at bulk write {len(calls)} of {writes} ({self.model.__name__})")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", dying)
    with contextlib.suppress(Crash):  # the command may let it through, as a dying process would
        run_import(summary.directory)
    monkeypatch.setattr(QuerySet, "bulk_create", real)
    assert len(calls) == writes // 2 + 1, "the crash did not happen"

    output, run = run_import(summary.directory)

    assert_clean(run, output)
    check_against_oracle(summary.directory)
    after_crash = stored_rows()
    run_import(summary.directory)
    assert stored_rows() == after_crash


# --------------------------------------------------------------------------------------------
# Many small extracts
# --------------------------------------------------------------------------------------------


@given(
    seed=st.integers(0, 100_000),
    providers=st.integers(1, 3),
    months=st.integers(1, 5),
    wards=st.integers(2, 4),
    spells=st.integers(1, 25),
    incidents=st.integers(0, 25),
)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_import_matches_the_oracle_on_small_extracts(
    seed, providers, months, wards, spells, incidents
):
    with tempfile.TemporaryDirectory(prefix="mhsds-") as scratch:
        summary = generate_extract(
            Path(scratch) / "extract",
            seed=seed,
            providers=providers,
            months=months,
            wards_per_provider=wards,
            spells_per_provider=spells,
            incidents_per_provider=incidents,
        )
        # Each example in a savepoint rolled back at its end, so examples do not mix.
        with transaction.atomic():
            output, run = run_import(summary.directory)
            assert_clean(run, output)
            check_against_oracle(summary.directory)
            transaction.set_rollback(True)


def mhsip_environment(database_url: str) -> dict:
    return {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url}


MHSIP = str(Path(sys.executable).with_name("mhsip"))


def mhsip(database_url: str, *arguments: str) -> subprocess.CompletedProcess:
    """The real `mhsip` command in its own process, on its own database, run to the end."""
    return subprocess.run(
        [MHSIP, *arguments],
        env=mhsip_environment(database_url),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def stored(line: str) -> tuple[int, int]:
    """(done, total) from the import's progress line."""
    done, total = line.rsplit(":", 1)[1].split(" of ")
    return int(done), int(total)


def test_an_import_process_killed_halfway_and_run_again_gives_the_clean_figures(tmp_path):
    """No monkeypatching: the import runs as `mhsip import mhsds` and is killed with SIGKILL once
    it says it has stored half of the submissions; then it is run again to the end."""
    summary = generate_extract(tmp_path / "extract", seed=9, providers=3, months=6)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert mhsip(url, "migrate", "--verbosity", "0").returncode == 0

    seen = []
    with subprocess.Popen(
        [MHSIP, "import", "mhsds", str(summary.directory)],
        env=mhsip_environment(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as killed:
        for line in killed.stderr:
            seen.append(line)
            # The import's progress: "stored submission 300006 (RAA, month 1478): 3 of 16".
            if line.startswith("stored submission") and 2 * stored(line)[0] >= stored(line)[1]:
                killed.send_signal(signal.SIGKILL)
                break
        killed.wait(timeout=60)
    assert killed.returncode == -signal.SIGKILL, (
        "the import ended before it could be killed:\n" + "".join(seen[-5:])
    )

    again = mhsip(url, "import", "mhsds", str(summary.directory))
    assert again.returncode == 0, (again.stdout + again.stderr)[-2000:]
    got = {}
    for level in ("provider", "ward"):
        printed = mhsip(url, "measures", "--level", level, "--format", "json")
        for row in json.loads(printed.stdout):
            if row["measure_id"]:
                got[(row["level"], row["organisation"], row["period"], row["measure_id"])] = row
    expected = oracle_figures(summary.directory)
    wrong = mismatches(
        expected,
        got,
        providers={key[1] for key in expected if key[0] == "provider"},
        wards=set(ward_providers(summary.directory)),
        periods={key[2] for key in expected},
    )
    assert not wrong, f"{len(wrong)} of {len(expected)} figures differ:\n" + "\n".join(wrong[:25])
