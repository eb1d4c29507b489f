"""The `mhsip spc` command-line contract: option names, output fields and error lines."""

import csv
import io
import json
import subprocess
import sys

import pytest

from mhsip.cli import main

CONTRACT_CHART_KEYS = {"chart", "variation", "assurance", "phases", "points"}
CONTRACT_PHASE_KEYS = {
    "start",
    "centre",
    "longest_run",
    "longest_run_max",
    "crossings",
    "crossings_min",
    "runs_signal",
}
CONTRACT_POINT_KEYS = {
    "date",
    "value",
    "denominator",
    "phase",
    "centre",
    "lower",
    "upper",
    "lower_2sigma",
    "upper_2sigma",
    "outside_limits",
    "shift",
    "trend",
    "two_in_three",
    "special_cause",
    "point_type",
    "excluded",
}

MONTHS = [f"{year}-{month:02d}-01" for year in (2023, 2024) for month in range(1, 13)]
RESTRAINTS = [9, 11, 8, 12, 10, 9, 13, 11, 10, 12, 9, 11, 6, 5, 7, 4, 6, 5, 4, 6, 5, 3, 5, 4]
BED_DAYS = [600, 580, 610, 590, 620, 600, 605, 598, 611, 602, 590, 600] * 2


def _write(tmp_path, rows, name="input.csv"):
    path = tmp_path / name
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerows(rows)
    return path


@pytest.fixture
def ward_csv(tmp_path):
    rows = [["date", "value", "n"]]
    rows += [[m, r, d] for m, r, d in zip(MONTHS, RESTRAINTS, BED_DAYS, strict=True)]
    return _write(tmp_path, rows)


def _run(capsys, *argv):
    code = main(["spc", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_every_contract_field(capsys, ward_csv):
    code, out, err = _run(
        capsys,
        ward_csv,
        "--chart",
        "u",
        "--multiplier",
        1000,
        "--improvement",
        "decrease",
        "--target",
        12,
        "--rebase",
        "2024-01-01",
    )
    assert code == 0 and err == ""
    chart = json.loads(out)
    assert chart.keys() >= CONTRACT_CHART_KEYS
    assert chart["chart"] == "u"
    assert len(chart["phases"]) == 2
    assert all(phase.keys() >= CONTRACT_PHASE_KEYS for phase in chart["phases"])
    assert all(point.keys() >= CONTRACT_POINT_KEYS for point in chart["points"])
    first = chart["points"][0]
    assert first["date"] == "2023-01-01" and first["denominator"] == 600
    assert first["value"] == pytest.approx(9 / 600 * 1000)
    assert chart["points"][12]["phase"] == 1
    assert chart["phases"][1]["start"] == "2024-01-01"
    assert chart["assurance"] in {"consistent_pass", "consistent_fail", "inconsistent"}


def test_a_sustained_fall_is_reported_as_improvement(capsys, ward_csv):
    code, out, _ = _run(capsys, ward_csv, "--chart", "u", "--improvement", "decrease")
    chart = json.loads(out)
    assert chart["variation"] == "special_cause_improvement"
    assert chart["phases"][0]["runs_signal"] is True
    assert all(p["shift"] for p in chart["points"][12:])


def test_limits_that_do_not_exist_are_null(capsys, ward_csv):
    _, out, _ = _run(capsys, ward_csv, "--chart", "run")
    point = json.loads(out)["points"][0]
    assert point["lower"] is None and point["upper_2sigma"] is None
    assert point["denominator"] is None


def test_xmr_with_a_denominator_charts_the_rate(capsys, ward_csv):
    _, out, _ = _run(
        capsys, ward_csv, "--chart", "xmr", "--denominator-column", "n", "--multiplier", 1000
    )
    assert json.loads(out)["points"][1]["value"] == pytest.approx(11 / 580 * 1000)


def test_csv_output_one_row_per_point(capsys, ward_csv):
    code, out, _ = _run(capsys, ward_csv, "--chart", "c", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 24
    assert set(rows[0]) == CONTRACT_POINT_KEYS
    assert rows[0]["outside_limits"] in {"true", "false"}


def test_series_column_charts_every_series_in_one_run(capsys, tmp_path):
    rows = [["ward", "month", "restraints", "bed_days"]]
    for ward, factor in (("Ash", 1), ("Birch", 2), ("Cedar", 1)):
        months = MONTHS if ward != "Cedar" else MONTHS[:18]
        for m, r, d in zip(months, RESTRAINTS, BED_DAYS, strict=False):
            rows.append([ward, m, r * factor, d])
    path = _write(tmp_path, rows)
    code, out, _ = _run(
        capsys,
        path,
        "--chart",
        "u",
        "--series-column",
        "ward",
        "--date-column",
        "month",
        "--value-column",
        "restraints",
        "--denominator-column",
        "bed_days",
    )
    document = json.loads(out)
    assert code == 0
    assert [s["series"] for s in document["series"]] == ["Ash", "Birch", "Cedar"]
    assert len(document["series"][2]["points"]) == 18
    assert document["series"][0].keys() >= CONTRACT_CHART_KEYS
    ash, birch = document["series"][:2]
    assert birch["points"][0]["centre"] == pytest.approx(2 * ash["points"][0]["centre"])


def test_series_csv_output_has_a_series_column(capsys, tmp_path):
    rows = [
        ["ward", "date", "value"],
        ["A", "2024-01-01", 1],
        ["A", "2024-02-01", 2],
        ["B", "2024-01-01", 3],
        ["B", "2024-02-01", 5],
    ]
    code, out, _ = _run(
        capsys,
        _write(tmp_path, rows),
        "--chart",
        "xmr",
        "--series-column",
        "ward",
        "--format",
        "csv",
    )
    assert [r["series"] for r in csv.DictReader(io.StringIO(out))] == ["A", "A", "B", "B"]


def test_rows_out_of_order_are_charted_in_date_order(capsys, tmp_path):
    rows = [["date", "value"], ["2024-03-01", 3], ["2024-01-01", 1], ["2024-02-01", 2]]
    _, out, _ = _run(capsys, _write(tmp_path, rows), "--chart", "xmr")
    assert [p["date"] for p in json.loads(out)["points"]] == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
    ]


def test_blank_value_is_a_missing_point(capsys, tmp_path):
    rows = [["date", "value"], ["2024-01-01", 1], ["2024-02-01", ""], ["2024-03-01", 2]]
    code, out, _ = _run(capsys, _write(tmp_path, rows), "--chart", "xmr")
    assert code == 0
    assert json.loads(out)["points"][1]["value"] is None


def test_exclude_keeps_the_point_but_leaves_it_out(capsys, ward_csv):
    _, out, _ = _run(capsys, ward_csv, "--chart", "c", "--exclude", "2023-03-01")
    point = json.loads(out)["points"][2]
    assert point["excluded"] is True and point["value"] == 8 and point["point_type"] is None


def test_output_file(capsys, ward_csv, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = _run(capsys, ward_csv, "--chart", "c", "--output", target)
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["chart"] == "c"


@pytest.mark.parametrize(
    ("rows", "args", "message"),
    [
        ([["when", "value"], ["2024-01-01", 1]], [], 'no column "date"'),
        (
            [["date", "value"], ["2024-01-01", 1], ["2024-02-01", "lots"]],
            [],
            "line 3, column \"value\": 'lots' is not a number",
        ),
        ([["date", "value"], ["2024-02-30", 1]], [], "line 2, column \"date\": '2024-02-30' is"),
        (
            [["date", "value", "n"], ["2024-01-01", 1, 0], ["2024-02-01", 1, 5]],
            ["--chart", "u"],
            'line 2, column "n": the denominator must be greater than 0, not 0',
        ),
        (
            [["date", "value", "n"], ["2024-01-01", 1, 4], ["2024-02-01", 1, -5]],
            ["--chart", "u"],
            'line 3, column "n": the denominator must be greater than 0',
        ),
        (
            [["date", "value", "n"], ["2024-01-01", 1, 4], ["2024-02-01", 1, ""]],
            ["--chart", "u"],
            'line 3, column "n": the denominator is blank',
        ),
        ([["date", "value"], ["2024-01-01", 1]], [], "has 1 point with a value; a xmr chart"),
        (
            [["date", "value"], ["2024-01-01", 1], ["2024-01-01", 2]],
            [],
            "line 3: the date 2024-01-01 appears twice",
        ),
        ([["date", "value"], ["2024-01-01", 1, 9]], [], "line 2: more fields than the header"),
        ([["date", "value"]], [], "no rows of data"),
        (
            [["date", "value"], ["2024-01-01", 1], ["2024-02-01", 2]],
            ["--rebase", "2025-01-01"],
            "--rebase 2025-01-01 is after the last point",
        ),
        (
            [["date", "value"], ["2024-01-01", 1], ["2024-02-01", 2], ["2024-03-01", 2]],
            ["--rebase", "2024-03-01"],
            "the phase starting 2024-03-01 has 1 point",
        ),
        (
            [["date", "value"], ["2024-01-01", 1], ["2024-02-01", 0]],
            ["--chart", "t"],
            "greater than zero",
        ),
        (
            [["date", "value", "n"], ["2024-01-01", 1, 1], ["2024-02-01", 1, 2]],
            ["--chart", "c", "--denominator-column", "n"],
            "a c chart takes no denominator",
        ),
        (
            [["date", "value"], ["2024-01-01", 1], ["2024-02-01", 2]],
            ["--fix-after", "3"],
            "fix-after must be at least 12",
        ),
        (
            [["date", "value"], ["2024-01-01", 1], ["2024-02-01", 2]],
            ["--plot", "chart.pdf"],
            "must end in .svg or .png",
        ),
    ],
)
def test_bad_input_exits_with_one_line_naming_where(capsys, tmp_path, rows, args, message):
    path = _write(tmp_path, rows)
    argv = [path, *(args if "--chart" in args else ["--chart", "xmr", *args])]
    code, out, err = _run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("mhsip spc: error: ")
    assert message in err


def test_missing_file(capsys, tmp_path):
    code, _, err = _run(capsys, tmp_path / "nope.csv", "--chart", "xmr")
    assert code == 1 and "No such file" in err and err.count("\n") == 1


def test_file_that_is_not_utf8(capsys, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("date,value\n2024-01-01,1\n2024-02-01,Caf\xe9\n".encode("latin-1"))
    code, _, err = _run(capsys, path, "--chart", "xmr")
    assert code == 1 and "not UTF-8" in err


def test_unknown_option_exits_2_with_one_line(capsys, ward_csv):
    with pytest.raises(SystemExit) as exit_:
        main(["spc", str(ward_csv), "--chart", "xmr", "--colour", "red"])
    _, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert err.count("\n") == 1 and "unrecognized arguments: --colour red" in err


def test_unknown_chart_exits_2(capsys, ward_csv):
    with pytest.raises(SystemExit) as exit_:
        main(["spc", str(ward_csv), "--chart", "xbar"])
    assert exit_.value.code == 2
    assert "invalid choice: 'xbar'" in capsys.readouterr().err


def test_the_installed_command_prints_no_traceback(tmp_path):
    path = _write(tmp_path, [["date", "value"], ["2024-01-01", "x"]])
    done = subprocess.run(
        [sys.executable, "-m", "mhsip", "spc", str(path), "--chart", "xmr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().endswith("'x' is not a number")


def test_plot_draws_svg_and_png_files(capsys, ward_csv, tmp_path):
    svg, png = tmp_path / "chart.svg", tmp_path / "chart.png"
    assert _run(capsys, ward_csv, "--chart", "u", "--multiplier", 1000, "--plot", svg)[0] == 0
    assert _run(capsys, ward_csv, "--chart", "u", "--plot", png)[0] == 0
    text = svg.read_text()
    assert text.lstrip().startswith("<svg") or text.lstrip().startswith("<?xml")
    assert "value per 1,000 n" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_with_series_draws_one_file_per_series(capsys, tmp_path):
    rows = [["ward", "date", "value"]]
    rows += [
        [w, m, v]
        for w in ("Ash ward", "Birch")
        for m, v in zip(MONTHS[:6], RESTRAINTS[:6], strict=True)
    ]
    target = tmp_path / "wards.svg"
    code, _, _ = _run(
        capsys,
        _write(tmp_path, rows),
        "--chart",
        "c",
        "--series-column",
        "ward",
        "--plot",
        target,
    )
    assert code == 0
    assert sorted(p.name for p in tmp_path.glob("wards-*.svg")) == [
        "wards-Ash_ward.svg",
        "wards-Birch.svg",
    ]
