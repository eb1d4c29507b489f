"""Cells into dates, times, months and counts, with messages that quote the cell."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from mhsip.tabular.values import (
    CellError,
    parse_count,
    parse_date,
    parse_datetime,
    parse_month,
    parse_time,
    split_values,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("03/04/2024", date(2024, 4, 3)),
        ("3.4.24", date(2024, 4, 3)),
        ("2024-04-03", date(2024, 4, 3)),
        ("03/04/2024 00:00", date(2024, 4, 3)),
        ("3 Apr 2024", date(2024, 4, 3)),
        (datetime(2024, 4, 3, 9, 0), date(2024, 4, 3)),
        (45385, date(2024, 4, 3)),  # an Excel serial number
        ("", None),
        (None, None),
    ],
)
def test_parse_date(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2024", "31/02/2024 is not a date"),
        ("yesterday", "yesterday is not a date: write it as day/month/year"),
        (12, "12 is not a date"),
    ],
)
def test_parse_date_errors(cell, message):
    with pytest.raises(CellError, match=message):
        parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("14:05", time(14, 5)),
        ("1405", time(14, 5)),
        ("14.05.30", time(14, 5, 30)),
        (datetime(1899, 12, 30, 14, 5), time(14, 5)),
        (0.5, time(12, 0)),
        ("", None),
    ],
)
def test_parse_time(cell, expected):
    assert parse_time(cell) == expected


def test_parse_time_error():
    with pytest.raises(CellError, match="25:99 is not a time of day"):
        parse_time("25:99")


def test_parse_datetime_in_one_cell():
    assert parse_datetime("14/03/2024 14:05") == datetime(2024, 3, 14, 14, 5)
    assert parse_datetime("2024-03-14T14:05:00") == datetime(2024, 3, 14, 14, 5)
    assert parse_datetime("14/03/2024") == datetime(2024, 3, 14)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03", date(2024, 3, 1)),
        (datetime(2024, 3, 1), date(2024, 3, 1)),
        ("01/03/2024", date(2024, 3, 1)),
    ],
)
def test_parse_month(cell, expected):
    assert parse_month(cell) == expected


def test_parse_month_errors():
    with pytest.raises(CellError, match="2024-13 is not a month"):
        parse_month("2024-13")
    with pytest.raises(CellError, match="March is not a month: write it as year-month"):
        parse_month("March")


@pytest.mark.parametrize(
    ("cell", "expected"), [("412", 412), (412.0, 412), ("1,204", 1204), ("", None)]
)
def test_parse_count(cell, expected):
    assert parse_count(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [("-3", "less than zero"), ("4.5", "not a whole number"), (4.5, "not a whole number")],
)
def test_parse_count_errors(cell, message):
    with pytest.raises(CellError, match=message):
        parse_count(cell)


def test_split_values():
    assert split_values("Prone; Seclusion|Supine\nSide;") == [
        "Prone",
        "Seclusion",
        "Supine",
        "Side",
    ]
