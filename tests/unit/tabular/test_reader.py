"""Reading CSV and XLSX files into numbered rows, and what is said about unreadable ones."""

from __future__ import annotations

import io
from datetime import datetime, time

import openpyxl
import pytest

from mhsip.tabular.reader import UnreadableFile, column_examples, read_table


def rows(table):
    return [(r.number, r.values) for r in table.rows()]


def xlsx(cells: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for line in cells:
        workbook.active.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_csv_with_excel_bom_has_clean_headers_and_spreadsheet_row_numbers():
    table = read_table(b"\xef\xbb\xbfWard,Count\r\nAsh,3\r\n\r\nElm,4\r\n", name="a.csv")

    assert table.headers == ["Ward", "Count"]
    assert rows(table) == [(2, {"Ward": "Ash", "Count": "3"}), (4, {"Ward": "Elm", "Count": "4"})]
    assert table.encoding == "UTF-8"


def test_csv_in_windows_1252_is_read_as_such():
    table = read_table("Ward,Note\nAsh,café – calm\n".encode("cp1252"), name="a.csv")

    assert rows(table)[0][1]["Note"] == "café – calm"
    assert table.encoding == "Windows-1252"


def test_utf8_csv_with_a_broken_row_reports_that_row_only():
    data = "Ward,Note\nAsh,café\nElm,".encode() + b"\xff\xfe" + b"\nOak,ok\n"

    table = read_table(data, name="a.csv")

    assert [n for n, _ in rows(table)] == [2, 4]
    assert str(table.problems.kept[0]).startswith("a.csv, row 3: This row has characters")
    assert table.problems.rejected_rows == 1


def test_semicolon_delimited_csv_and_quoted_newlines():
    table = read_table(b'Ward;Note\nAsh;"two\nlines"\nElm;x\n', name="a.csv")

    assert rows(table) == [
        (2, {"Ward": "Ash", "Note": "two\nlines"}),
        (3, {"Ward": "Elm", "Note": "x"}),
    ]


def test_csv_cut_short_inside_quotes_keeps_the_rows_before():
    table = read_table(b'Ward,Note\nAsh,ok\nElm,"unfinished', name="a.csv")

    assert [n for n, _ in rows(table)] == [2]
    assert "cut short" in str(table.problems.kept[0])


def test_csv_row_with_too_many_values_is_reported():
    table = read_table(b"Ward,Count\nAsh,3,extra\nElm,4\n", name="a.csv")

    assert [n for n, _ in rows(table)] == [3]
    assert "row 2: This row has 3 values but there are only 2 column names" in str(
        table.problems.kept[0]
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "The file is empty"),
        (b"Ward,Ward\nAsh,Elm\n", "a.csv", "Two columns are called “Ward”"),
        ("Ward\nAsh\n".encode("utf-16"), "a.csv", "not plain text"),
        (b"Ward\n", "a.pdf", r"CSV \(\.csv\) and Excel \(\.xlsx\) files only"),
        (b"PK\x03\x04broken", "a.xlsx", "not a readable Excel workbook"),
    ],
)
def test_unreadable_files_say_why(data, name, message):
    with pytest.raises(UnreadableFile, match=message):
        read_table(data, name=name)


def test_xlsx_keeps_dates_times_and_numbers():
    data = xlsx(
        [
            ["Ward", "Date", "Time", "Count"],
            ["Ash", datetime(2024, 3, 14), time(14, 5), 3],
            [None, None, None, None],
            ["Elm", None, None, None],
        ]
    )

    table = read_table(data, name="a.xlsx")

    assert rows(table) == [
        (2, {"Ward": "Ash", "Date": datetime(2024, 3, 14), "Time": time(14, 5), "Count": 3}),
        (4, {"Ward": "Elm", "Date": None, "Time": None, "Count": None}),
    ]
    assert not table.problems


def test_xlsx_cut_short_is_unreadable():
    data = xlsx([["Ward"], *[[f"Ward {n}"] for n in range(500)]])

    with pytest.raises(UnreadableFile, match="cut short"):
        read_table(data[: len(data) - 200], name="a.xlsx")


def test_column_examples_are_distinct_and_few():
    table = read_table(
        b"Ward,Type\nAsh,Prone\nAsh,Seclusion\nElm,Prone\nOak,Supine\n", name="a.csv"
    )

    assert column_examples(table) == {
        "Ward": ["Ash", "Elm", "Oak"],
        "Type": ["Prone", "Seclusion", "Supine"],
    }
