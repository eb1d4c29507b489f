"""Reading a directory of MHSDS table CSVs into typed columns, saying what is wrong with them.

One CSV per table, named after it (`MHS502WardStay.csv`); the header row holds the MHSDS column
names (case-sensitive; extra columns are ignored). UTF-8, with or without a byte-order mark;
a row that is not UTF-8 is read as Windows-1252 with a warning naming the row and the byte.
Blank is missing. Dates are `YYYY-MM-DD` (or `DD/MM/YYYY`); times `HH:MM:SS`, `HH:MM` or NHS
Digital's timestamps dated 1970-01-01; booleans true/false, Y/N or 1/0.

Files are streamed with the `csv` module and each value is parsed by a small cached function, so
a million ward stays read in seconds. Every problem is a `Problem` naming the file, the row (the
header is row 1) and the field: a row with an impossible value is rejected, a doubtful one (an
unknown intervention type, an end before its start, a repeated key) is kept with a warning,
as NHS Digital would still count it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mhsip.mhsds.tables import (
    HEADER,
    INTERVENTION_TYPE,
    INTERVENTION_TYPES,
    TABLES,
    Kind,
    Table,
)
from mhsip.tabular import Problem, Problems

#: How often (in rows) reading reports progress.
PROGRESS_EVERY = 50_000

_SURROGATE = re.compile("[\udc80-\udcff]")


class ExtractError(Exception):
    """The extract cannot be read at all (a table file or a needed column is missing)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or [Problem("", None, None, message)]


@dataclass
class TableRows:
    """One table's kept rows as columns (lists of typed values, None where blank)."""

    table: Table
    columns: dict[str, list[Any]]
    #: The file row of each kept row (header = row 1), for messages.
    row_numbers: list[int]

    def __len__(self) -> int:
        return len(self.row_numbers)

    def take(self, indices: list[int]) -> dict[str, list[Any]]:
        return {name: [values[i] for i in indices] for name, values in self.columns.items()}


@dataclass
class Extract:
    tables: dict[str, TableRows]
    problems: Problems = field(default_factory=Problems)
    rows_read: int = 0

    def __getitem__(self, name: str) -> TableRows:
        return self.tables[name]


# --- values -----------------------------------------------------------------------------------


def _parse_text(text: str) -> str:
    return text


def _parse_integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


_DATE_CACHE: dict[str, date] = {}


def _parse_date(text: str) -> date:
    found = _DATE_CACHE.get(text)
    if found is not None:
        return found
    day_text = text[:10] if len(text) > 10 and text[10] in " T" else text
    try:
        if len(day_text) == 10 and day_text[4] == "-" and day_text[7] == "-":
            parts = day_text.split("-")
            value = date(int(parts[0]), int(parts[1]), int(parts[2]))
        elif len(day_text) == 10 and day_text[2] == "/" and day_text[5] == "/":
            value = datetime.strptime(day_text, "%d/%m/%Y").date()
        else:
            raise TypeError
    except TypeError:
        raise ValueError(f"{text!r} is not a date: give it as YYYY-MM-DD") from None
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None
    if len(_DATE_CACHE) < 100_000:
        _DATE_CACHE[text] = value
    return value


_TIME_CACHE: dict[str, int] = {}


def _parse_time(text: str) -> int:
    """Seconds after midnight. NHS Digital's times are timestamps dated 1970-01-01; the pipeline
    only ever uses their HH:MM:SS part."""
    found = _TIME_CACHE.get(text)
    if found is not None:
        return found
    clock = text[11:] if len(text) > 10 and text[10] in " T" else text
    clock = clock.split(".")[0]  # fractions of a second, as some exports write them
    parts = clock.split(":")
    try:
        if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
            raise TypeError
        hours, minutes = int(parts[0]), int(parts[1])
        seconds = int(parts[2]) if len(parts) == 3 else 0
        if not (0 <= hours < 24 and 0 <= minutes < 60 and 0 <= seconds < 60):
            raise ValueError
    except TypeError:
        raise ValueError(f"{text!r} is not a time: give it as HH:MM:SS") from None
    except ValueError:
        raise ValueError(f"{text!r} is not a real time of day") from None
    value = hours * 3600 + minutes * 60 + seconds
    _TIME_CACHE[text] = value
    return value


_BOOLEANS = {
    "true": True,
    "false": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
}


def _parse_boolean(text: str) -> bool:
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not true or false") from None


PARSERS: dict[Kind, Callable[[str], Any]] = {
    Kind.TEXT: _parse_text,
    Kind.INTEGER: _parse_integer,
    Kind.DATE: _parse_date,
    Kind.TIME: _parse_time,
    Kind.BOOLEAN: _parse_boolean,
}


# --- headers ----------------------------------------------------------------------------------


def _squashed(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _check_header(table: Table, header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Where each known column is, and a problem for each needed column that is missing."""
    found = [h.strip() for h in header]
    positions = {name: i for i, name in reversed(list(enumerate(found)))}
    where: dict[str, int] = {}
    problems = []
    for column in table.columns:
        if column.name in positions:
            where[column.name] = positions[column.name]
            continue
        if not column.needed:
            continue
        near = [h for h in found if _squashed(h) == _squashed(column.name)]
        if near:
            message = (
                f"column {column.name} is missing (found {near[0]}: column names are "
                f"case-sensitive and must be spelled as in MHSDS)"
            )
        else:
            shown = ", ".join(found[:20]) + (", …" if len(found) > 20 else "")
            message = f"column {column.name} is missing (found: {shown})"
        problems.append(Problem(table.file_name, 1, column.name, message))
    return where, problems


# --- rows -------------------------------------------------------------------------------------


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as raw:
        while chunk := raw.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _repair_encoding(fields: list[str]) -> tuple[list[str], str]:
    """Fields read with undecodable bytes kept as surrogates: re-read them as Windows-1252."""
    bad = next(f for f in fields if _SURROGATE.search(f))
    byte = ord(_SURROGATE.search(bad).group()) - 0xDC00
    repaired = [
        f.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
        if _SURROGATE.search(f)
        else f
        for f in fields
    ]
    return repaired, f"byte 0x{byte:02X}"


def read_table(
    table: Table,
    path: Path,
    problems: Problems,
    progress: Callable[[int], None] | None = None,
) -> TableRows:
    """Read one table's CSV. Raises ExtractError if a needed column is missing."""
    name = table.file_name
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise ExtractError(
                f"{name}: the file is empty (it needs a header row)",
                [Problem(name, 1, None, "the file is empty (it needs a header row)")],
            ) from None
        where, header_problems = _check_header(table, header)
        if header_problems:
            raise ExtractError("; ".join(str(p) for p in header_problems), header_problems)

        present = [c for c in table.columns if c.name in where]
        plan = [(c.name, where[c.name], PARSERS[c.kind], c.required) for c in present]
        columns: dict[str, list[Any]] = {c.name: [] for c in table.columns}
        appenders = [(columns[n].append, i, parse, req, n) for n, i, parse, req in plan]
        missing = [columns[c.name] for c in table.columns if c.name not in where]
        width = len(header)
        row_numbers: list[int] = []
        key_positions = [where[k] for k in table.key]
        submission_at = where.get("UniqSubmissionID")
        seen: dict[tuple, int] = {}
        row = 1
        for fields in _records(reader, name, problems):
            row += 1
            if progress is not None and row % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
            if not fields:
                continue
            if len(fields) != width:
                problems.add(
                    Problem(
                        name,
                        row,
                        None,
                        f"the row has {len(fields)} fields but the header has {width}"
                        + (" (is the file cut short?)" if len(fields) < width else ""),
                    )
                )
                problems.rejected_rows += 1
                continue
            if _SURROGATE.search("".join(fields)):
                fields, byte = _repair_encoding(fields)
                problems.add(
                    Problem(
                        name,
                        row,
                        None,
                        f"not UTF-8 ({byte}): read as Windows-1252; check the accents",
                        rejected=False,
                    )
                )
            values = []
            bad = None
            for append, i, parse, required, column_name in appenders:
                text = fields[i].strip()
                if not text:
                    if required:
                        bad = (column_name, "is blank but every row needs one")
                        break
                    values.append((append, None))
                    continue
                try:
                    values.append((append, parse(text)))
                except ValueError as error:
                    bad = (column_name, str(error))
                    break
            if bad is not None:
                problems.add(Problem(name, row, bad[0], f"{bad[1]}: the row was not imported"))
                problems.rejected_rows += 1
                continue
            key = tuple(fields[k].strip() for k in key_positions)
            if submission_at is not None:
                key = (fields[submission_at].strip(), *key)
            if key in seen:
                if table.name == "MHS903WardDetails":
                    # Each submission may carry the ward's details again; NHS Digital joins on
                    # ward and month only, so the first is as good as any.
                    continue
                problems.add(
                    Problem(
                        name,
                        row,
                        ", ".join(table.key),
                        f"repeats row {seen[key]} ({'/'.join(key)}): kept once, as NHS "
                        "Digital counts each only once",
                        rejected=False,
                    )
                )
                continue
            seen[key] = row
            for append, value in values:
                append(value)
            for column in missing:
                column.append(None)
            row_numbers.append(row)
        if progress is not None:
            progress(row % PROGRESS_EVERY)
    rows = TableRows(table, columns, row_numbers)
    _check_values(rows, problems)
    return rows


def _records(reader: Iterable[list[str]], name: str, problems: Problems):
    """The reader's records; a broken quote at the end of a cut-short file ends the file."""
    iterator = iter(reader)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except csv.Error as error:
            problems.add(Problem(name, None, None, f"the file could not be read further: {error}"))
            return


def _check_values(rows: TableRows, problems: Problems) -> None:
    """Warnings about kept rows: unknown codes and ends before starts."""
    name = rows.table.file_name
    columns = rows.columns
    if rows.table is INTERVENTION_TYPE:
        for row, code in zip(rows.row_numbers, columns["RestrictiveIntType"], strict=True):
            if code not in INTERVENTION_TYPES:
                hint = ""
                if code is not None and code.isdigit() and code.zfill(2) in INTERVENTION_TYPES:
                    hint = f" (did you mean {code.zfill(2)}? codes have two digits)"
                shown = "blank" if code is None else repr(code)
                problems.add(
                    Problem(
                        name,
                        row,
                        "RestrictiveIntType",
                        f"{shown} is not an MHSDS intervention type{hint}: counted as UNKNOWN, "
                        "as NHS Digital does",
                        rejected=False,
                    )
                )
    for start, end, start_time, end_time in _SPANS.get(rows.table.name, ()):
        starts, ends = columns[start], columns[end]
        start_times = columns[start_time] if start_time else None
        end_times = columns[end_time] if end_time else None
        for i, (first, last) in enumerate(zip(starts, ends, strict=True)):
            if first is None or last is None:
                continue
            backwards = last < first
            if not backwards and last == first and start_times and end_times:
                a, b = start_times[i], end_times[i]
                backwards = a is not None and b is not None and b < a
            if backwards:
                problems.add(
                    Problem(
                        name,
                        rows.row_numbers[i],
                        end,
                        f"ends before it starts ({last} is before {first}): kept, as NHS "
                        "Digital would count it",
                        rejected=False,
                    )
                )


_SPANS = {
    "MHS501HospProvSpell": (("StartDateHospProvSpell", "DischDateHospProvSpell", None, None),),
    "MHS502WardStay": (
        ("StartDateWardStay", "EndDateWardStay", "StartTimeWardStay", "EndTimeWardStay"),
    ),
    "MHS505RestrictiveInterventInc": (
        (
            "StartDateRestrictiveIntInc",
            "EndDateRestrictiveIntInc",
            "StartTimeRestrictiveIntInc",
            "EndTimeRestrictiveIntInc",
        ),
    ),
    "MHS515RestrictiveInterventType": (
        (
            "StartDateRestrictiveIntType",
            "EndDateRestrictiveIntType",
            "StartTimeRestrictiveIntType",
            "EndTimeRestrictiveIntType",
        ),
    ),
}


def read_extract(
    directory: Path | str,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Extract:
    """Read every table of the extract in `directory`.

    Raises ExtractError, naming the file, if a table's file or a needed column is missing:
    without every table the figures would be silently wrong. `progress(rows_done, rows_total)`
    is called as rows are read.
    """
    directory = Path(directory)
    missing = [t.file_name for t in TABLES if not (directory / t.file_name).is_file()]
    if missing:
        raise ExtractError(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing from "
            f"{directory}: an extract needs one CSV for each of the {len(TABLES)} tables "
            f"({', '.join(t.file_name for t in TABLES)})",
            [
                Problem(name, None, None, "the file is missing: an extract needs all 8 tables")
                for name in missing
            ],
        )
    paths = {t.name: directory / t.file_name for t in TABLES}
    total = sum(max(_lines(p) - 1, 0) for p in paths.values())
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(min(done, total), total)

    problems = Problems()
    tables = {t.name: read_table(t, paths[t.name], problems, advance) for t in TABLES}
    if progress is not None:
        progress(total, total)
    extract = Extract(tables, problems, rows_read=total)
    _check_submissions(extract)
    return extract


def _check_submissions(extract: Extract) -> None:
    """Activity rows must belong to a submission in MHS000Header (NHS Digital's inner join
    would drop them silently: we say so)."""
    header = extract[HEADER.name].columns
    known = {
        (s, m, p)
        for s, m, p in zip(
            header["UniqSubmissionID"], header["UniqMonthID"], header["OrgIDProvider"], strict=True
        )
    }
    for name, rows in extract.tables.items():
        if name in (HEADER.name, "MHS903WardDetails"):
            continue
        columns = rows.columns
        keys = zip(
            columns["UniqSubmissionID"], columns["UniqMonthID"], columns["OrgIDProv"], strict=True
        )
        orphans = [i for i, key in enumerate(keys) if key not in known]
        for i in orphans:
            s, m, p = (columns[c][i] for c in ("UniqSubmissionID", "UniqMonthID", "OrgIDProv"))
            extract.problems.add(
                Problem(
                    rows.table.file_name,
                    rows.row_numbers[i],
                    "UniqSubmissionID",
                    f"no MHS000Header row is for submission {s} of provider {p} in month {m}: "
                    "the row was not imported",
                )
            )
        extract.problems.rejected_rows += len(orphans)
        if orphans:
            keep = sorted(set(range(len(rows))) - set(orphans))
            rows.columns = rows.take(keep)
            rows.row_numbers = [rows.row_numbers[i] for i in keep]
