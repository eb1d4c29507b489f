"""The `mhsip equity` command-line contract: option names, output fields and error lines."""

import csv
import io
import json

import pytest

from mhsip.cli import main

CONTRACT_FIELDS = [
    "group",
    "events",
    "denominator",
    "rate",
    "rate_lower",
    "rate_upper",
    "rate_ratio",
    "ratio_lower",
    "ratio_upper",
    "suppressed",
    "reading",
]
OPTIONS = [
    "--group-column",
    "ethnicity",
    "--events-column",
    "restraints",
    "--denominator-column",
    "bed_days",
    "--reference",
    "White",
]


def _write(tmp_path, rows, name="groups.csv"):
    path = tmp_path / name
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def groups_csv(tmp_path):
    return _write(
        tmp_path,
        [
            ["ethnicity", "restraints", "bed_days"],
            ["White", 400, 80000],
            ["Black", 120, 9000],
            ["Asian", 30, 7000],
            ["Mixed", 3, 2000],
            ["Other", 9, 1500],
        ],
    )


def _run(capsys, *argv):
    code = main(["equity", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_a_list_of_rows_with_the_contract_fields_in_order(capsys, groups_csv):
    code, out, err = _run(capsys, groups_csv, *OPTIONS)
    rows = json.loads(out)
    assert code == 0
    assert [list(row) for row in rows] == [CONTRACT_FIELDS] * 5
    assert [row["group"] for row in rows] == ["White", "Black", "Asian", "Mixed", "Other"]
    black = rows[1]
    assert black["events"] == 120 and black["denominator"] == 9000
    assert black["rate"] == pytest.approx(120 / 9000 * 1000)  # default multiplier 1000
    assert black["rate_lower"] < black["rate"] < black["rate_upper"]
    assert black["ratio_lower"] > 1 and black["suppressed"] is False
    assert "a real difference" in black["reading"]
    assert rows[0]["rate_ratio"] == 1 and rows[0]["ratio_lower"] is None


def test_group_under_5_events_is_suppressed_with_a_note(capsys, groups_csv):
    code, out, err = _run(capsys, groups_csv, *OPTIONS)
    mixed = json.loads(out)[3]
    assert code == 0
    assert mixed["suppressed"] is True
    assert mixed["events"] is None and mixed["rate"] is None and mixed["rate_ratio"] is None
    assert err.count("\n") == 1
    assert 'note: 1 group had fewer than 5 events and is suppressed: "Mixed"' in err


def test_no_suppression_shows_small_groups(capsys, groups_csv):
    code, out, err = _run(capsys, groups_csv, *OPTIONS, "--no-suppression")
    mixed = json.loads(out)[3]
    assert code == 0 and err == ""
    assert mixed["suppressed"] is False and mixed["events"] == 3 and mixed["rate"] is not None


def test_suppressed_and_blank_cells_are_reported_not_dropped(capsys, tmp_path):
    path = _write(
        tmp_path,
        [
            ["ethnicity", "restraints", "bed_days"],
            ["White", 400, 80000],
            ["Black", "*", 9000],
            ["Asian", 30, ""],
            ["Mixed", "[c]", ".."],
            ["Other", 9, 1500],
        ],
    )
    code, out, err = _run(capsys, path, *OPTIONS)
    rows = json.loads(out)
    assert code == 0
    assert [row["suppressed"] for row in rows] == [False, True, True, True, False]
    assert rows[1]["events"] is None and rows[1]["denominator"] == 9000
    assert rows[2]["events"] == 30 and rows[2]["rate"] is None
    assert err.count("\n") == 1
    assert "3 rows had suppressed or blank values: " in err
    assert "line 3 \"Black\" (restraints '*')" in err
    assert 'line 4 "Asian" (bed_days blank)' in err
    assert "line 5 \"Mixed\" (restraints '[c]', bed_days '..')" in err


def test_csv_output_has_a_header_and_one_row_per_group(capsys, groups_csv):
    code, out, _ = _run(capsys, groups_csv, *OPTIONS, "--format", "csv", "--multiplier", 100)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 5
    assert list(rows[0]) == CONTRACT_FIELDS
    assert rows[3]["suppressed"] == "true" and rows[3]["rate"] == ""
    assert float(rows[1]["rate"]) == pytest.approx(120 / 9000 * 100)


def test_output_file(capsys, groups_csv, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = _run(capsys, groups_csv, *OPTIONS, "--output", target)
    assert code == 0 and out == ""
    assert len(json.loads(target.read_text())) == 5


@pytest.mark.parametrize(
    ("rows", "args", "message"),
    [
        (
            [["ethnicity", "restraints"], ["White", 1]],
            [],
            'no column "bed_days" (the columns are "ethnicity", "restraints")',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["White", 10, 100], ["Black", "lots", 50]],
            [],
            "line 3, column \"restraints\": 'lots' is not a number",
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["White", 10, 100], ["Black", -2, 50]],
            [],
            'line 3, column "restraints": the number of events must be 0 or more, not -2',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["White", 10, 100], ["Black", 2.5, 50]],
            [],
            "line 3, column \"restraints\": '2.5' is not a whole number of events",
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["White", 10, 0]],
            [],
            'line 2, column "bed_days": the denominator must be greater than 0, not 0',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["Black", 10, 100]],
            [],
            'no group "White" in column "ethnicity" (the groups are "Black")',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["Black", 10, 100], ["White", 4, 100]],
            [],
            'line 3, column "restraints": the reference group "White" is suppressed',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["Black", 10, 100], ["White", "*", 100]],
            [],
            'line 3, column "restraints": the reference group "White" has a suppressed or blank',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["Black", 10, 100], ["White", 0, 100]],
            ["--no-suppression"],
            'line 3, column "restraints": the reference group "White" has no events',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["White", 10, 100], ["White", 1, 9]],
            [],
            'line 3, column "ethnicity": the group "White" appears twice (first on line 2)',
        ),
        (
            [["ethnicity", "restraints", "bed_days"], ["White", 10, 100], [" ", 1, 9]],
            [],
            'line 3, column "ethnicity": the group is blank',
        ),
        ([["ethnicity", "restraints", "bed_days"]], [], "no rows of data"),
        (
            [["ethnicity", "restraints", "bed_days"], ["White", 10, 100, 7]],
            [],
            "line 2: more fields than the header has",
        ),
    ],
)
def test_bad_input_exits_1_with_one_line_naming_where(capsys, tmp_path, rows, args, message):
    code, out, err = _run(capsys, _write(tmp_path, rows), *OPTIONS, *args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("mhsip equity: error: ")
    assert message in err


def test_missing_file(capsys, tmp_path):
    code, _, err = _run(capsys, tmp_path / "nope.csv", *OPTIONS)
    assert code == 1 and "No such file" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--colour", "red"], "unrecognized arguments: --colour red"),
        (["--multiplier", "0"], "argument --multiplier: must be greater than 0, not 0"),
        (["--multiplier", "lots"], "argument --multiplier: 'lots' is not a number"),
        (["--format", "xlsx"], "invalid choice: 'xlsx'"),
    ],
)
def test_bad_options_exit_2_with_one_line(capsys, groups_csv, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(["equity", str(groups_csv), *OPTIONS, *argv])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.count("\n") == 1 and message in err


def test_reference_is_required(capsys, groups_csv):
    with pytest.raises(SystemExit) as exit_:
        main(["equity", str(groups_csv), *OPTIONS[:-2]])
    assert exit_.value.code == 2
    assert "the following arguments are required: --reference" in capsys.readouterr().err


def test_help_says_the_json_is_a_list_of_rows(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["equity", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert exit_.value.code == 0
    assert "JSON output is a list of row objects" in out
    assert "--no-suppression" in out and "fewer than 5 events" in out
