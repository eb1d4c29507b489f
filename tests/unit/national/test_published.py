"""Reading NHS England's published files: both date formats, quoted names, `*`, the Jan–May 2022
measure change, and every kind of bad row reported by file, row and field."""

from __future__ import annotations

from datetime import date

import pytest

from mhsip.national.published import PublishedMeasure, read_published_file


def test_both_date_formats_give_the_same_period():
    data = (
        b"01/09/2021,ISLE OF WIGHT NHS TRUST,MHS76,5\n2021-09-01,ST MATTHEWS HEALTHCARE,MHS76,10\n"
    )

    read = read_published_file("rstr.csv", data)

    assert [r.period for r in read.rows] == [date(2021, 9, 1), date(2021, 9, 1)]
    assert not read.problems


def test_quoted_name_with_commas_is_kept_whole():
    data = b'01/09/2021,"TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST",Bed days in RP,19390\n'

    (row,) = read_published_file("beds.csv", data).rows

    assert row.provider_name == "TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST"
    assert row.value == 19390 and row.measure is PublishedMeasure.BED_DAYS


def test_star_is_suppressed_not_zero():
    (row,) = read_published_file("rstr.csv", b"01/09/2021,A TRUST,MHS76,*\n").rows

    assert row.suppressed and row.value is None


def test_mental_health_act_measure_is_labelled_apart_from_detentions():
    label = "People subject to the Mental Health Act at the end of the reporting period"
    read = read_published_file("sect05.csv", f"01/01/2022,A TRUST,{label},10\n".encode())

    (row,) = read.rows
    assert row.measure is PublishedMeasure.PEOPLE_UNDER_MHA_END
    assert row.measure is not PublishedMeasure.PEOPLE_DETAINED_END
    (note,) = list(read.problems)
    assert note.rejected is False and "not people detained" in note.message
    assert read.problems.rejected_rows == 0


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        (b"31/02/2021,A TRUST,MHS76,5", "date", "not a date"),
        (b"15/09/2021,A TRUST,MHS76,5", "date", "first day of a month"),
        (b"01/09/2021,,MHS76,5", "provider name", "empty"),
        (b"01/09/2021,A TRUST,MHS77,5", "measure", "not a measure"),
        (b"01/09/2021,A TRUST,MHS76,five", "value", "neither a whole number"),
        (b"01/09/2021,A TRUST,MHS76,-5", "value", "negative"),
        (b"01/09/2021,TEES, ESK AND WEAR,MHS76,5", None, "double quotes"),
    ],
)
def test_bad_row_is_reported_by_file_row_and_field_and_good_rows_kept(line, field, words):
    data = b"01/09/2021,GOOD TRUST,MHS76,10\n" + line + b"\n01/09/2021,OTHER TRUST,MHS76,*\n"

    read = read_published_file("rstr01.csv", data)

    assert [r.provider_name for r in read.rows] == ["GOOD TRUST", "OTHER TRUST"]
    (problem,) = list(read.problems)
    assert (problem.file, problem.row, problem.field) == ("rstr01.csv", 2, field)
    assert words in problem.message
    assert read.problems.rejected_rows == 1


def test_duplicate_row_is_left_out_naming_the_first():
    data = b"01/09/2021,A TRUST,MHS76,10\n01/09/2021,a  trust,MHS76,15\n"

    read = read_published_file("rstr.csv", data)

    assert [r.value for r in read.rows] == [10]
    (problem,) = list(read.problems)
    assert problem.row == 2 and "row 1" in problem.message


def test_header_row_is_skipped_with_a_note():
    data = b"date,provider,measure,value\n01/09/2021,A TRUST,MHS76,10\n"

    read = read_published_file("rstr.csv", data)

    assert len(read.rows) == 1
    (note,) = list(read.problems)
    assert note.row == 1 and note.rejected is False


def test_windows_1252_file_is_read_with_a_warning():
    data = "01/09/2021,CAFÉ CARE,MHS76,10\n".encode("cp1252")

    read = read_published_file("rstr.csv", data)

    assert read.rows[0].provider_name == "CAFÉ CARE"
    assert "not UTF-8" in next(iter(read.problems)).message


def test_file_cut_short_keeps_the_complete_rows():
    data = b"01/09/2021,A TRUST,MHS76,10\n01/09/2021,B TRU"

    read = read_published_file("rstr.csv", data)

    assert [r.provider_name for r in read.rows] == ["A TRUST"]
    assert next(iter(read.problems)).row == 2


def test_empty_file_is_a_problem():
    read = read_published_file("rstr.csv", b"")

    assert not read.rows and "empty" in next(iter(read.problems)).message
