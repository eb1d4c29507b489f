"""Reading an extract: each kind of bad input gives a message naming file, row and field, and
good rows are kept."""

import pytest

from mhsip.mhsds import ExtractError, read_extract
from tests.unit.mhsds.helpers import intervention, spell, tables_with, ward_stay, write_extract


def stays(*extra):
    return tables_with(
        spells=[spell("S1", "P1", "2023-05-01")],
        stays=[ward_stay("WS1", "S1", "P1", "W1", "2023-05-01 10:00:00"), *extra],
    )


def messages(extract):
    return [str(p) for p in extract.problems]


def test_impossible_date_rejects_the_row_and_keeps_the_others(tmp_path):
    bad = ward_stay("WS2", "S1", "P1", "W1", "2023-02-30 10:00:00")
    extract = read_extract(write_extract(tmp_path / "x", stays(bad)))
    assert len(extract["MHS502WardStay"]) == 1
    expected = (
        "MHS502WardStay.csv, row 3, StartDateWardStay: '2023-02-30' is not a real date: "
        "the row was not imported"
    )
    assert messages(extract) == [expected]


def test_other_date_and_time_forms_are_read(tmp_path):
    other = ward_stay("WS2", "S1", "P1", "W1", "01/05/2023 1970-01-01 14:30:00")
    extract = read_extract(write_extract(tmp_path / "x", stays(other)))
    rows = extract["MHS502WardStay"]
    assert str(rows.values("StartDateWardStay")[1]) == "2023-05-01"
    assert rows.values("StartTimeWardStay")[1] == 14 * 3600 + 30 * 60


def test_near_miss_column_name_is_reported(tmp_path):
    directory = write_extract(tmp_path / "x", stays())
    path = directory / "MHS505RestrictiveInterventInc.csv"
    path.write_text(path.read_text().replace("Person_ID", "person_id", 1))
    with pytest.raises(ExtractError) as error:
        read_extract(directory)
    assert (
        "MHS505RestrictiveInterventInc.csv, row 1, Person_ID: column Person_ID is missing "
        "(found person_id"
    ) in str(error.value.problems[0])


def test_duplicate_key_is_kept_once_with_a_warning(tmp_path):
    repeated = ward_stay("WS1", "S1", "P1", "W1", "2023-05-01 10:00:00")
    extract = read_extract(write_extract(tmp_path / "x", stays(repeated)))
    assert len(extract["MHS502WardStay"]) == 1
    assert "repeats row 2" in messages(extract)[0]
    assert not extract.problems.kept[0].rejected


def test_unknown_intervention_type_is_kept_with_a_warning(tmp_path):
    tables = stays()
    tables["MHS515RestrictiveInterventType"] = [
        intervention("T1", "I1", "S1", "P1", "99", "2023-05-02 10:00:00")
    ]
    extract = read_extract(write_extract(tmp_path / "x", tables))
    assert len(extract["MHS515RestrictiveInterventType"]) == 1
    assert "'99' is not an MHSDS intervention type" in messages(extract)[0]


def test_file_cut_short_rejects_the_last_row(tmp_path):
    directory = write_extract(
        tmp_path / "x", stays(ward_stay("WS2", "S1", "P1", "W1", "2023-05-03"))
    )
    path = directory / "MHS502WardStay.csv"
    path.write_bytes(path.read_bytes()[:-30])
    extract = read_extract(directory)
    assert len(extract["MHS502WardStay"]) == 1
    assert "MHS502WardStay.csv, row 3: the row has" in messages(extract)[0]
    assert "cut short" in messages(extract)[0]


def test_windows_1252_row_is_read_with_a_warning(tmp_path):
    directory = write_extract(tmp_path / "x", stays())
    path = directory / "MHS502WardStay.csv"
    path.write_bytes(path.read_bytes().replace(b",W1,", b",W\xe91,"))
    extract = read_extract(directory)
    assert extract["MHS502WardStay"].values("UniqWardCode") == ["Wé1"]
    assert "row 2, UniqWardCode: not UTF-8 (byte 0xE9)" in messages(extract)[0]


def test_missing_file_every_figure_needs_is_named(tmp_path):
    directory = write_extract(tmp_path / "x", stays())
    (directory / "MHS501HospProvSpell.csv").unlink()
    with pytest.raises(ExtractError, match="MHS501HospProvSpell.csv is missing"):
        read_extract(directory)


def test_missing_optional_file_is_named_and_the_rest_is_read(tmp_path):
    directory = write_extract(tmp_path / "x", stays())
    (directory / "MHS903WardDetails.csv").unlink()
    extract = read_extract(directory)
    assert extract.unusable == {"MHS903WardDetails"}
    assert len(extract["MHS502WardStay"]) == 1
    assert messages(extract)[0].startswith("MHS903WardDetails.csv: the file is missing")


def test_conflicting_repeat_names_what_differs(tmp_path):
    other = ward_stay("WS1", "S1", "P1", "W9", "2023-05-01 10:00:00")
    extract = read_extract(write_extract(tmp_path / "x", stays(other)))
    assert extract["MHS502WardStay"].values("UniqWardCode") == ["W1"]
    (problem,) = extract.problems
    assert (problem.row, problem.field, problem.rejected) == (3, "UniqWardStayID", False)
    assert "repeats the key of row 2 (100/WS1) with a different UniqWardCode" in problem.message
