"""The `mhsip funnel` command-line contract: option names, output fields and error lines."""

import csv
import io
import json
import subprocess
import sys

import pytest

from mhsip.cli import main

CONTRACT_UNIT_FIELDS = [
    "unit",
    "events",
    "denominator",
    "rate",
    "centre",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "z",
    "flag",
]
DOCUMENT_KEYS = ["method", "multiplier", "centre", "overdispersion", "phi", "tau2", "units"]
OPTIONS = [
    "--unit-column",
    "ward",
    "--events-column",
    "restraints",
    "--denominator-column",
    "bed_days",
]
WARDS = [
    ["ward", "restraints", "bed_days"],
    ["Ash", 12, 2400],
    ["Birch", 40, 9100],
    ["Cedar", 3, 1500],
    ["Damson", 95, 11800],
    ["Elm", 20, 4100],
    ["Fir", 0, 900],
    ["Gorse", 31, 5600],
    ["Hazel", 90, 4000],
]


def _write(tmp_path, rows, name="wards.csv"):
    path = tmp_path / name
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def wards_csv(tmp_path):
    return _write(tmp_path, WARDS)


def _run(capsys, *argv):
    code = main(["funnel", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_document_and_unit_fields(capsys, wards_csv):
    code, out, err = _run(capsys, wards_csv, *OPTIONS)
    document = json.loads(out)
    assert code == 0 and err == ""
    assert list(document) == DOCUMENT_KEYS
    assert document["method"] == "poisson" and document["overdispersion"] == "none"
    assert document["multiplier"] == 1000
    assert [list(unit) for unit in document["units"]] == [CONTRACT_UNIT_FIELDS] * 8
    events = sum(row[1] for row in WARDS[1:])
    bed_days = sum(row[2] for row in WARDS[1:])
    assert document["centre"] == pytest.approx(events / bed_days * 1000)
    ash = document["units"][0]
    assert ash["unit"] == "Ash" and ash["events"] == 12 and ash["denominator"] == 2400
    assert ash["rate"] == pytest.approx(5.0) and ash["centre"] == document["centre"]
    assert ash["lower_998"] < ash["lower_95"] < ash["centre"] < ash["upper_95"] < ash["upper_998"]
    assert document["phi"] > 1  # Hazel (22.5 per 1,000) is far out


def test_flags_high_low_and_in_range(capsys, wards_csv):
    _, out, _ = _run(capsys, wards_csv, *OPTIONS)
    flags = {unit["unit"]: unit["flag"] for unit in json.loads(out)["units"]}
    assert flags["Hazel"] == "high"
    assert set(flags.values()) <= {"high", "low", "in_range"}
    for unit in json.loads(out)["units"]:
        if unit["flag"] == "high":
            assert unit["rate"] > unit["upper_998"]
        elif unit["flag"] == "low":
            assert unit["rate"] < unit["lower_998"]
        else:
            assert unit["lower_998"] <= unit["rate"] <= unit["upper_998"]


def test_csv_output_one_row_per_unit(capsys, wards_csv):
    code, out, _ = _run(capsys, wards_csv, *OPTIONS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 8
    assert list(rows[0]) == CONTRACT_UNIT_FIELDS
    assert rows[7]["flag"] == "high"


def test_overdispersion_reports_phi_and_widens(capsys, wards_csv):
    _, plain, _ = _run(capsys, wards_csv, *OPTIONS)
    code, out, err = _run(capsys, wards_csv, *OPTIONS, "--overdispersion")
    plain, wide = json.loads(plain), json.loads(out)
    assert code == 0
    assert wide["overdispersion"] == "multiplicative" and wide["phi"] == plain["phi"]
    for a, b in zip(plain["units"], wide["units"], strict=True):
        assert b["upper_998"] >= a["upper_998"] and b["lower_95"] <= a["lower_95"]
    assert err.count("\n") == 1
    assert "note: over-dispersion phi = " in err and "limits widened by sqrt(phi)" in err


def test_additive_model(capsys, wards_csv):
    code, out, err = _run(capsys, wards_csv, *OPTIONS, "--overdispersion-model", "additive")
    document = json.loads(out)
    assert code == 0 and document["overdispersion"] == "additive" and document["tau2"] > 0
    assert "tau2 = " in err


def test_proportion_uses_binomial_limits_and_percentages(capsys, tmp_path):
    rows = [["ward", "restrained", "patients"], ["A", 3, 20], ["B", 10, 50], ["C", 25, 80]]
    path = _write(tmp_path, rows)
    code, out, _ = _run(
        capsys,
        path,
        "--unit-column",
        "ward",
        "--events-column",
        "restrained",
        "--denominator-column",
        "patients",
        "--proportion",
    )
    document = json.loads(out)
    assert code == 0 and document["method"] == "binomial" and document["multiplier"] == 100
    assert document["centre"] == pytest.approx(38 / 150 * 100)
    assert all(unit["upper_998"] <= 100 for unit in document["units"])


def test_suppressed_cells_are_listed_as_unknown_with_a_note(capsys, tmp_path):
    rows = [*WARDS[:3], ["Iris", "*", 3000], ["Juniper", 7, ""], ["Kale", "[c]", "*"]]
    code, out, err = _run(capsys, _write(tmp_path, rows), *OPTIONS)
    units = json.loads(out)["units"]
    assert code == 0
    assert [u["flag"] for u in units] == ["in_range", "in_range", "unknown", "unknown", "unknown"]
    iris = units[2]
    assert iris["events"] is None and iris["denominator"] == 3000 and iris["rate"] is None
    assert json.loads(out)["centre"] == pytest.approx(52 / 11500 * 1000)
    assert err.count("\n") == 1
    assert "3 rows had suppressed or blank values: line 4 \"Iris\" (restraints '*')" in err
    assert 'line 5 "Juniper" (bed_days blank)' in err
    assert "listed with flag unknown" in err


@pytest.mark.parametrize(
    ("rows", "args", "message"),
    [
        ([["ward", "restraints"], ["A", 1]], [], 'no column "bed_days"'),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10], ["B", "lots", 10]],
            [],
            "line 3, column \"restraints\": 'lots' is not a number",
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10], ["B", -1, 10]],
            [],
            'line 3, column "restraints": the number of events must be 0 or more, not -1',
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10], ["B", 1, 0]],
            [],
            'line 3, column "bed_days": the denominator must be greater than 0, not 0',
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10], ["B", 1, -4]],
            [],
            'line 3, column "bed_days": the denominator must be greater than 0, not -4',
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10], ["A", 1, 10]],
            [],
            'line 3, column "ward": the unit "A" appears twice (first on line 2)',
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 0, 10], ["B", 0, 10]],
            [],
            "no unit has any events",
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", "*", 10], ["B", 3, ""]],
            [],
            "no unit has both its events and its denominator known",
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10], ["B", 11, 10]],
            ["--proportion"],
            'line 3, column "restraints": 11 events is more than the denominator, 10',
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10.5]],
            ["--proportion"],
            "line 2, column \"bed_days\": '10.5' is not a whole number",
        ),
        (
            [["ward", "restraints", "bed_days"], ["A", 1, 10], ["B", "*", 10]],
            ["--overdispersion"],
            "needs at least 2 units with known values",
        ),
    ],
)
def test_bad_input_exits_1_with_one_line_naming_where(capsys, tmp_path, rows, args, message):
    code, out, err = _run(capsys, _write(tmp_path, rows), *OPTIONS, *args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("mhsip funnel: error: ")
    assert message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--colour", "red"], "unrecognized arguments: --colour red"),
        (["--multiplier", "-5"], "argument --multiplier: must be greater than 0, not -5"),
        (["--overdispersion-model", "huge"], "invalid choice: 'huge'"),
    ],
)
def test_bad_options_exit_2_with_one_line(capsys, wards_csv, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(["funnel", str(wards_csv), *OPTIONS, *argv])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.count("\n") == 1 and message in err


def test_the_installed_command_prints_no_traceback(tmp_path):
    path = _write(tmp_path, [["ward", "restraints", "bed_days"], ["A", "x", 10]])
    done = subprocess.run(
        [sys.executable, "-m", "mhsip", "funnel", str(path), *OPTIONS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().endswith("'x' is not a number")


def test_both_commands_are_listed_in_the_usage(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "mhsip equity" in out and "mhsip funnel" in out
