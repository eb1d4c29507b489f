"""Reading analysts' CSV files and writing tables back: shared by the analyst commands
(`mhsip spc`, `mhsip equity`, `mhsip funnel`).

Every problem with the input becomes an `InputError` whose message is one line naming the file, the
line of the file and the column, for example

    rates.csv line 4, column "events": 'lots' is not a number

and every bad option exits with status 2 and one line (`OneLineArgumentParser`). The commands print
the message and exit with status 1; none prints a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

#: Cells that published statistics use for a value that is withheld or not available: blank,
#: NHS Digital's `*` (counts below 5), the GSS markers `[c]` (confidential), `[x]` (not
#: available) and `[low]` (rounds to zero), and the older `..`. Compared case-insensitively.
SUPPRESSED_MARKERS = frozenset({"", "*", "[c]", "[x]", "[low]", ".."})


class InputError(Exception):
    """Bad input data: the message is shown to the user as it is, on one line."""


class OneLineArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not argparse's usage block: scripts read stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def positive_number(text: str) -> float:
    """An argparse type: a finite number greater than 0 (for --multiplier)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be greater than 0, not {text}")
    return value


def where(path: Path, line: int, column: str) -> str:
    """The place of a cell, as error messages name it."""
    return f'{path} line {line}, column "{column}"'


def read_rows(path: Path, columns: Sequence[str | None]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row of a UTF-8 CSV file with a header row.

    `columns` are the columns the caller needs (None entries are ignored); a missing one is an
    error before any row is read. A row with more fields than the header, a malformed row and a
    file with no data rows are errors too. Rows are checked as they are read, so the first
    problem in the file is the one reported.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in columns if c is not None and c not in header]
    if missing:
        shown = ", ".join(f'"{c}"' for c in missing)
        have = ", ".join(f'"{c}"' for c in header) or "none"
        raise InputError(f"{path}: no column {shown} (the columns are {have})")

    count = 0
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise InputError(f"{path} line {line}: more fields than the header has")
            count += 1
            yield line, row
    except csv.Error as error:
        raise InputError(f"{path} line {reader.line_num}: {error}") from None
    if count == 0:
        raise InputError(f"{path}: no rows of data")


def parse_number(text: str, where: str) -> float:
    """A finite number; thousands separators ("1,234") are allowed."""
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(number):
        raise InputError(f"{where}: {text!r} is not a finite number")
    return number


def is_suppressed(text: str | None) -> bool:
    """Whether a cell holds no value: blank, or a suppression marker such as `*` or `[c]`."""
    return (text or "").strip().lower() in SUPPRESSED_MARKERS


@dataclass(frozen=True)
class Cell:
    """A number read from a cell, or None with the text that stood for a withheld value."""

    value: float | None
    text: str

    @property
    def shown(self) -> str:
        """How a withheld cell is described in notes: `'*'`, `'[c]'` or `blank`."""
        return repr(self.text) if self.text else "blank"


def parse_count(text: str | None, where: str) -> Cell:
    """A whole number of events, 0 or more, or a withheld cell (blank, `*`, `[c]` …)."""
    raw = (text or "").strip()
    if is_suppressed(raw):
        return Cell(None, raw)
    number = parse_number(raw, where)
    if number < 0:
        raise InputError(f"{where}: the number of events must be 0 or more, not {raw}")
    if number != math.floor(number):
        raise InputError(f"{where}: {raw!r} is not a whole number of events")
    return Cell(number, raw)


def parse_denominator(text: str | None, where: str) -> Cell:
    """A denominator greater than 0 (bed days, people, population), or a withheld cell."""
    raw = (text or "").strip()
    if is_suppressed(raw):
        return Cell(None, raw)
    number = parse_number(raw, where)
    if number <= 0:
        raise InputError(f"{where}: the denominator must be greater than 0, not {raw}")
    return Cell(number, raw)


def withheld_cells(cells: dict[str, Cell]) -> str:
    """Which of a row's cells held no value, e.g. `events '*', bed_days blank` ("" if none)."""
    return ", ".join(
        f"{column} {cell.shown}" for column, cell in cells.items() if cell.value is None
    )


@dataclass(frozen=True)
class CountRow:
    """One row of a file of named groups: a name, its events and its denominator."""

    line: int
    name: str
    events: Cell
    denominator: Cell
    #: The withheld cells, e.g. `line 4 "Asian" (events '*')`, or "" when both hold numbers.
    withheld: str


def read_count_rows(
    path: Path, *, name_column: str, events_column: str, denominator_column: str, noun: str
) -> Iterator[CountRow]:
    """Each row of a file holding one named `noun` (group, unit) per row with a count of events
    and a denominator; a blank or repeated name is an error naming the line and column."""
    first_line: dict[str, int] = {}
    for line, row in read_rows(path, [name_column, events_column, denominator_column]):
        name = (row[name_column] or "").strip()
        if not name:
            raise InputError(f"{where(path, line, name_column)}: the {noun} is blank")
        if name in first_line:
            raise InputError(
                f'{where(path, line, name_column)}: the {noun} "{name}" appears twice '
                f"(first on line {first_line[name]})"
            )
        first_line[name] = line
        events = parse_count(row[events_column], where(path, line, events_column))
        denominator = parse_denominator(
            row[denominator_column], where(path, line, denominator_column)
        )
        missing = withheld_cells({events_column: events, denominator_column: denominator})
        yield CountRow(
            line, name, events, denominator, f'line {line} "{name}" ({missing})' if missing else ""
        )


def describe_rows(items: Sequence[str], *, limit: int = 10) -> str:
    """Join the first `limit` descriptions, then say how many more there are."""
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f" and {len(items) - limit} more"
    return shown


def to_json(document: Any) -> str:
    """Indented JSON; NaN or infinity is a bug (they must be None by now), so it raises."""
    return json.dumps(document, indent=2, allow_nan=False) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> str:
    """A header row and one line per row; None is an empty cell, booleans are true/false."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_text(text: str, output: str | None) -> None:
    """Write to the file named, or to standard output."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
