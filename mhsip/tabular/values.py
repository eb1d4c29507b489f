"""Turn cells into dates, times, months and counts, or say in plain words why they are not.

Each parser takes a cell (text from a CSV, or what openpyxl gives for XLSX: datetime, date,
time, int, float) and returns the value, None for a blank cell, or raises CellError whose message
quotes the cell as the person typed it: "31/02/2024 is not a date". Pure: no Django.

Dates are read the British way (day first): 03/04/2024 is 3 April. ISO dates (2024-04-03) are
also understood, since systems export them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from mhsip.tabular.reader import Cell, cell_text


class CellError(ValueError):
    """A cell that cannot be read as what its column holds."""


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_NAMES = ("%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y")
_TIME = re.compile(r"^(\d{1,2})[:.]?(\d{2})(?:[:.](\d{2}))?$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
#: Excel's day 0 for serial dates (a date column exported as plain numbers).
_EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers we accept as Excel dates: 1 Jan 1990 to 31 Dec 2099.
_EXCEL_SERIALS = range(32874, 73415)


def _quoted(value: Cell) -> str:
    return cell_text(value) or "(blank)"


def parse_date(value: Cell) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in _EXCEL_SERIALS:
            from datetime import timedelta

            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"{_quoted(value)} is not a date")
    text = str(value).strip()
    if not text:
        return None
    # A date column exported with a midnight time ("03/04/2024 00:00") still holds a date.
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    day_first = _DAY_FIRST.match(text)
    iso = _ISO.match(text)
    try:
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            if year < 100:
                year += 2000
            return date(year, month, day)
        if iso:
            year, month, day = (int(part) for part in iso.groups())
            return date(year, month, day)
    except ValueError:
        raise CellError(f"{text} is not a date (there is no such day)") from None
    for pattern in _MONTH_NAMES:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"{text} is not a date: write it as day/month/year, for example 14/03/2024")


def parse_time(value: Cell) -> time | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        # Time columns in spreadsheets often carry a placeholder date (1899-12-30, 1970-01-01).
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:
        # Excel stores a time as a fraction of a day.
        seconds = round(value * 24 * 60 * 60)
        return time(seconds // 3600, (seconds // 60) % 60, seconds % 60)
    text = str(value).strip()
    if not text:
        return None
    match = _TIME.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2])
        second = int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    raise CellError(f"{text} is not a time of day: write it as hours:minutes, for example 14:05")


def parse_datetime(value: Cell) -> datetime | None:
    """A date and time in one cell ("14/03/2024 14:05"), or a date alone (midnight)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0))
    text = cell_text(value)
    if not text:
        return None
    parts = text.replace("T", " ").split()
    if len(parts) >= 2 and _TIME.match(parts[-1]):
        day = parse_date(" ".join(parts[:-1]))
        moment = parse_time(parts[-1])
        return datetime.combine(day, moment) if day and moment else None
    day = parse_date(value)
    return datetime.combine(day, time(0, 0)) if day else None


def parse_month(value: Cell) -> date | None:
    """A month as YYYY-MM (or a date in the month, as a spreadsheet may turn it into): its 1st."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    text = cell_text(value)
    if not text:
        return None
    match = _MONTH.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return date(year, month, 1)
        raise CellError(f"{text} is not a month (there is no month {month})")
    try:
        day = parse_date(text)
    except CellError:
        raise CellError(
            f"{text} is not a month: write it as year-month, for example 2024-03"
        ) from None
    return date(day.year, day.month, 1) if day else None


def parse_count(value: Cell) -> int | None:
    """A whole number of zero or more (spreadsheets may give 412.0 for 412)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{value} is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{cell_text(value)} is not a whole number")
        number = int(value)
    else:
        text = str(value).strip().replace(",", "")
        if not text:
            return None
        if re.fullmatch(r"-?\d+(\.0+)?", text):
            number = int(float(text))
        else:
            raise CellError(f"{str(value).strip()} is not a whole number")
    if number < 0:
        raise CellError(f"{number} is less than zero")
    return number


def split_values(value: Cell) -> list[str]:
    """A cell holding several values ("Prone; Seclusion", one per line, or "|"-separated)."""
    text = cell_text(value)
    return [part.strip() for part in re.split(r"[;|\n]", text) if part.strip()]
