"""Reading a directory of MHSDS table CSVs into typed columns, saying what is wrong with them.

One CSV per table, named after it (`MHS502WardStay.csv`); the header row holds the MHSDS column
names (case-sensitive; extra columns are ignored). UTF-8, with or without a byte-order mark;
a value that is not UTF-8 is read as Windows-1252 with a warning naming the row, the field and
the byte. Blank is missing. Dates are `YYYY-MM-DD` (or `DD/MM/YYYY`); times `HH:MM:SS`, `HH:MM`
or NHS Digital's timestamps dated 1970-01-01; booleans true/false, Y/N or 1/0.

Every problem is a `Problem` naming the file, the row (the header is row 1) and the field: a row
with an impossible value is rejected, a doubtful one (an unknown intervention type, an end before
its start, a repeated key) is kept with a warning, as NHS Digital would still count it.

Speed and memory: a million ward stays must read in seconds and in a few hundred megabytes, so
nothing here is done value by value in Python that can be done once per *distinct* value or by
numpy. Files are read in chunks of rows; each chunk is turned into columns (`zip(*rows)`); each
distinct text of a column is parsed once (there are few distinct dates, times and codes); the
columns are kept as numpy arrays: text as int32 indexes into one `Vocabulary` shared by every
table (so a Person_ID or a spell ID sent in many files and tables is stored once), integers as
int64, dates as datetime64[D], times as seconds after midnight (int32), booleans as int8.
Missing values are -1 (text, times, booleans), `MISSING_INTEGER`, or NaT.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from mhsip.mhsds.tables import (
    HEADER,
    HOSPITAL_SPELL,
    INCIDENT,
    INTERVENTION_TYPE,
    INTERVENTION_TYPES,
    MPI,
    REFERRAL,
    TABLES,
    WARD_DETAILS,
    WARD_STAY,
    Kind,
    Table,
)
from mhsip.tabular import Problem, Problems

#: How many rows are read, checked and turned into columns at a time.
CHUNK_ROWS = 50_000
#: How much of a file (characters) is read at a time when it has no quotes.
BLOCK_CHARS = 1 << 22

#: The missing value of integer columns (numpy's NaT has the same bits in datetime64).
MISSING_INTEGER = np.iinfo(np.int64).min

#: Tables an extract can do without: the import keeps the others and says which figures are
#: left empty (a missing MHS101 empties MHS97; a missing MHS502 the ward level; MHS001MPI and
#: MHS903WardDetails feed no figure mhsip reproduces). Without the others nothing is counted.
OPTIONAL_TABLES = frozenset({MPI.name, REFERRAL.name, WARD_STAY.name, WARD_DETAILS.name})

_SURROGATE = re.compile("[\udc80-\udcff]")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class ExtractError(Exception):
    """The extract cannot be read at all (the header table, or a table every figure needs, is
    missing or lacks a needed column)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or [Problem("", None, None, message)]


class Vocabulary:
    """Every distinct text of an extract, numbered once: columns hold the numbers (int32)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {"": -1}
        self.words: list[str] = []
        self._lookup: list[str | None] = [None]

    def learn(self, texts: set[str]) -> dict[str, int]:
        """Number the new texts (stripped: " W1" is "W1"; blank is -1) and return the index
        from raw text to number."""
        index, words = self.index, self.words
        for raw in texts.difference(index):
            word = raw.strip()
            code = index.get(word)
            if code is None:
                code = index[word] = len(words)
                words.append(word)
            index[raw] = code
        return index

    def code(self, word: str | None) -> int:
        """The number of `word`, or -2 (matches nothing) when the extract never had it."""
        return self.index.get(word or "", -2)

    def decode(self, codes: np.ndarray) -> list[str | None]:
        if len(self._lookup) != len(self.words) + 1:
            # -1 indexes the last element: None.
            self._lookup = [*self.words, None]
        return list(map(self._lookup.__getitem__, codes.tolist()))


@dataclass
class TableRows:
    """One table's kept rows as typed numpy columns (see the module's docstring)."""

    table: Table
    columns: dict[str, np.ndarray]
    #: The file row of each kept row (header = row 1), for messages.
    row_numbers: np.ndarray
    vocabulary: Vocabulary

    def __len__(self) -> int:
        return len(self.row_numbers)

    def values(self, name: str, indices: Any = None) -> list[Any]:
        """One column as Python values (str, int, `date`, seconds, bool; None where blank)."""
        array = self.columns[name]
        if indices is not None:
            array = array[indices]
        kind = self.table.column(name).kind
        if kind == Kind.TEXT:
            return self.vocabulary.decode(array)
        if kind == Kind.DATE:
            return array.tolist()
        values = array.tolist()
        missing = MISSING_INTEGER if kind == Kind.INTEGER else -1
        if kind == Kind.BOOLEAN:
            return [None if v == -1 else bool(v) for v in values]
        if missing in values:
            return [None if v == missing else v for v in values]
        return values

    def take(self, indices: Any) -> dict[str, list[Any]]:
        """The rows at `indices` as Python lists by column."""
        return {name: self.values(name, indices) for name in self.columns}

    def keep(self, indices: np.ndarray) -> None:
        self.columns = {name: values[indices] for name, values in self.columns.items()}
        self.row_numbers = self.row_numbers[indices]


@dataclass
class Extract:
    tables: dict[str, TableRows]
    problems: Problems = field(default_factory=Problems)
    rows_read: int = 0
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    #: Optional tables that could not be read (their file or a needed column is missing).
    unusable: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> TableRows:
        return self.tables[name]


# --- values -----------------------------------------------------------------------------------


def _parse_integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def _parse_date(text: str) -> int:
    """Days since 1970-01-01."""
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
    return value.toordinal() - _EPOCH_ORDINAL


def _parse_time(text: str) -> int:
    """Seconds after midnight. NHS Digital's times are timestamps dated 1970-01-01; the pipeline
    only ever uses their HH:MM:SS part."""
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
    return hours * 3600 + minutes * 60 + seconds


_BOOLEANS = {
    "true": 1,
    "false": 0,
    "y": 1,
    "n": 0,
    "1": 1,
    "0": 0,
    "yes": 1,
    "no": 0,
}


def _parse_boolean(text: str) -> int:
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise ValueError(f"{text!r} is not true or false") from None


#: Parser, numpy type and missing value of each kind that is not text.
PARSERS: dict[Kind, tuple[Callable[[str], int], type, int]] = {
    Kind.INTEGER: (_parse_integer, np.int64, MISSING_INTEGER),
    Kind.DATE: (_parse_date, np.int64, MISSING_INTEGER),
    Kind.TIME: (_parse_time, np.int32, -1),
    Kind.BOOLEAN: (_parse_boolean, np.int8, -1),
}


def _empty(kind: Kind, n: int = 0) -> np.ndarray:
    if kind == Kind.TEXT:
        return np.full(n, -1, dtype=np.int32)
    if kind == Kind.DATE:
        return np.full(n, MISSING_INTEGER, dtype=np.int64).view("datetime64[D]")
    _, dtype, missing = PARSERS[kind]
    return np.full(n, missing, dtype=dtype)


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


def _records(reader: Iterable[list[str]], name: str, problems: list[tuple[int, Problem]]):
    """The reader's records; a broken quote at the end of a cut-short file ends the file."""
    iterator = iter(reader)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(
                (1 << 62, Problem(name, None, None, f"the file could not be read further: {error}"))
            )
            return


class _ColumnReader:
    """Turns one column's texts, a chunk at a time, into a typed array. Each distinct text is
    stripped and parsed once (and remembered for the next chunks), never each value."""

    def __init__(self, column, vocabulary: Vocabulary):
        self.column = column
        self.kind = column.kind
        self.vocabulary = vocabulary
        self.chunks: list[np.ndarray] = []
        self.errors: dict[str, str] = {}
        if self.kind != Kind.TEXT:
            self.parse, self.dtype, self.missing = PARSERS[self.kind]
            self.parsed: dict[str, int] = {"": self.missing}

    def read(self, texts: Sequence[str]) -> tuple[np.ndarray, dict[str, str]]:
        """The chunk's values, and the texts in it that are wrong (text -> why)."""
        distinct = set(texts)
        if self.kind == Kind.TEXT:
            index = self.vocabulary.learn(distinct)
            dtype, missing = np.int32, -1
        else:
            index, errors, missing = self.parsed, self.errors, self.missing
            for raw in distinct.difference(index):
                text = raw.strip()
                try:
                    index[raw] = self.parse(text) if text else missing
                except ValueError as error:
                    errors[raw] = str(error)
                    index[raw] = missing
            dtype = self.dtype
        wrong = (
            {t: self.errors[t] for t in distinct.intersection(self.errors)} if self.errors else {}
        )
        if len(texts) > 1:
            values = np.array(operator.itemgetter(*texts)(index), dtype=dtype)
        else:
            values = np.fromiter(map(index.__getitem__, texts), dtype=dtype, count=len(texts))
        if self.column.required and len(wrong) < len(distinct) and (values == missing).any():
            for raw in distinct:
                if index[raw] == missing and raw not in wrong:
                    wrong[raw] = "is blank but every row needs one"
        if self.kind != Kind.TEXT and len(index) > 200_000:
            # A column of distinct values (RecordNumber): do not keep them all.
            self.parsed = {"": self.missing}
            self.errors = {}
        return values, wrong


def _blocks(handle, width: int, header_names: list[str], name: str, found):
    """The file's rows in blocks, as columns of raw texts: (row numbers, columns, records read).

    Most extracts have no quotes: a block of lines is split on commas all at once and its
    columns sliced out, with no per-row work. A block with a quote, a row of the wrong width or
    bytes that are not UTF-8 goes through the `csv` module row by row (from the first quote
    on, the rest of the file does, as a quoted value may hold a line break)."""
    next_row = 2
    while block := handle.read(BLOCK_CHARS):
        if not block.endswith("\n"):
            block += handle.readline()
        if '"' in block:
            records = _records(
                csv.reader(itertools.chain(io.StringIO(block, newline=""), handle)), name, found
            )
            while chunk := list(itertools.islice(records, CHUNK_ROWS)):
                rows, columns = _by_rows(chunk, next_row, width, header_names, name, found)
                next_row += len(chunk)
                yield rows, columns, len(chunk)
            return
        if "\r" in block:
            block = block.replace("\r\n", "\n")
        body = block[:-1] if block.endswith("\n") else block
        count = body.count("\n") + 1
        flat = body.replace("\n", ",").split(",")
        if len(flat) == count * width and not _SURROGATE.search(body):
            rows = np.arange(next_row, next_row + count)
            next_row += count
            yield rows, [flat[c::width] for c in range(width)], count
            continue
        del flat
        chunk = [line.split(",") if line else [] for line in body.split("\n")]
        rows, columns = _by_rows(chunk, next_row, width, header_names, name, found)
        next_row += len(chunk)
        yield rows, columns, len(chunk)


def _by_rows(chunk, first_row: int, width: int, header_names, name: str, found):
    """Rows (lists of fields) to columns: rows of the wrong width are rejected, values that are
    not UTF-8 are re-read as Windows-1252 with a warning, empty lines are skipped."""
    rows = np.arange(first_row, first_row + len(chunk))
    lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
    if (lengths != width).any():
        for i in np.flatnonzero((lengths != width) & (lengths > 0)).tolist():
            short = " (is the file cut short?)" if lengths[i] < width else ""
            message = f"the row has {lengths[i]} fields but the header has {width}{short}"
            found.append((int(rows[i]), Problem(name, int(rows[i]), None, message)))
        fits = lengths == width
        chunk = [fields for fields, ok in zip(chunk, fits.tolist(), strict=True) if ok]
        rows = rows[fits]
    if chunk and _SURROGATE.search("\x1f".join(map("\x1f".join, chunk))):
        chunk = _repair_encoding(chunk, rows, header_names, name, found)
    if not chunk:
        return rows, [[] for _ in range(width)]
    return rows, [list(column) for column in zip(*chunk, strict=True)]


def read_table(
    table: Table,
    path: Path,
    problems: Problems,
    vocabulary: Vocabulary,
    progress: Callable[[int], None] | None = None,
) -> TableRows:
    """Read one table's CSV. Raises ExtractError if a needed column is missing."""
    name = table.file_name
    found: list[tuple[int, Problem]] = []  # (row, problem), sorted by row at the end
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        header = next(csv.reader([handle.readline()]), None)
        if not header:
            raise ExtractError(
                f"{name}: the file is empty (it needs a header row)",
                [Problem(name, 1, None, "the file is empty (it needs a header row)")],
            )
        where, header_problems = _check_header(table, header)
        if header_problems:
            raise ExtractError("; ".join(str(p) for p in header_problems), header_problems)
        width = len(header)
        header_names = [h.strip() for h in header]
        present = [c for c in table.columns if c.name in where]
        readers = {c.name: _ColumnReader(c, vocabulary) for c in present}
        row_chunks: list[np.ndarray] = []
        for rows, texts, read in _blocks(handle, width, header_names, name, found):
            if progress is not None:
                progress(read)
            if not len(rows):
                continue
            bad_column = np.full(len(rows), -1, dtype=np.int32)
            messages: list[dict[str, str]] = []
            for position, column in enumerate(present):
                column_texts = texts[where[column.name]]
                values, wrong = readers[column.name].read(column_texts)
                readers[column.name].chunks.append(values)
                messages.append(wrong)
                if wrong:
                    is_wrong = np.fromiter(
                        map(wrong.__contains__, column_texts), dtype=bool, count=len(rows)
                    )
                    bad_column[is_wrong & (bad_column < 0)] = position
            if (bad_column >= 0).any():
                for i in np.flatnonzero(bad_column >= 0).tolist():
                    position = int(bad_column[i])
                    column = present[position]
                    text = texts[where[column.name]][i]
                    row = int(rows[i])
                    message = f"{messages[position][text]}: the row was not imported"
                    found.append((row, Problem(name, row, column.name, message)))
                good = bad_column < 0
                for reader_ in readers.values():
                    reader_.chunks[-1] = reader_.chunks[-1][good]
                rows = rows[good]
            row_chunks.append(rows)
    rejected = sum(1 for _, p in found if p.rejected and p.row is not None)
    columns = {}
    for column in table.columns:
        if column.name in readers and readers[column.name].chunks:
            values = np.concatenate(readers[column.name].chunks)
            if column.kind == Kind.DATE:
                values = values.view("datetime64[D]")
        else:
            values = _empty(column.kind, sum(len(r) for r in row_chunks))
        columns[column.name] = values
    row_numbers = np.concatenate(row_chunks) if row_chunks else np.zeros(0, dtype=np.int64)
    rows = TableRows(table, columns, row_numbers, vocabulary)
    _drop_repeats(rows, found)
    found.sort(key=lambda item: item[0])
    for _, problem in found:
        problems.add(problem)
    problems.rejected_rows += rejected
    _check_values(rows, problems)
    return rows


def _repair_encoding(
    chunk: list[list[str]],
    rows: np.ndarray,
    header_names: list[str],
    name: str,
    found: list[tuple[int, Problem]],
) -> list[list[str]]:
    """Values read with undecodable bytes kept as surrogates: re-read them as Windows-1252,
    with a warning naming the row, the field and the byte."""
    repaired = []
    for i, fields in enumerate(chunk):
        if not _SURROGATE.search("\x1f".join(fields)):
            repaired.append(fields)
            continue
        new = list(fields)
        for position, value in enumerate(fields):
            bad = _SURROGATE.search(value)
            if bad is None:
                continue
            new[position] = value.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
            byte = ord(bad.group()) - 0xDC00
            row = int(rows[i])
            field_name = header_names[position] if position < len(header_names) else None
            found.append(
                (
                    row,
                    Problem(
                        name,
                        row,
                        field_name,
                        f"not UTF-8 (byte 0x{byte:02X}): read as Windows-1252 "
                        f"({new[position]!r}); check the accents",
                        rejected=False,
                    ),
                )
            )
        repaired.append(new)
    return repaired


def _drop_repeats(rows: TableRows, found: list[tuple[int, Problem]]) -> None:
    """A key repeated within one submission is kept once (its first row), with a warning:
    NHS Digital counts each spell, stay and (incident, type) pair once."""
    table = rows.table
    if not table.key or not len(rows):
        return
    names = list(table.key)
    if "UniqSubmissionID" in rows.columns and "UniqSubmissionID" not in names:
        names = ["UniqSubmissionID", *names]
    keys = [
        rows.columns[n].view(np.int64) if rows.columns[n].dtype.kind == "M" else rows.columns[n]
        for n in names
    ]
    # Stable sort by key: within equal keys the file order stays, so the first is the kept one.
    order = np.lexsort(keys[::-1])
    sorted_keys = [k[order] for k in keys]
    same = np.ones(len(order) - 1, dtype=bool)
    for k in sorted_keys:
        same &= k[1:] == k[:-1]
    if not same.any():
        return
    repeats = order[1:][same]
    # The first row of each repeated key: walk back to the start of its run.
    run_start = np.flatnonzero(np.concatenate(([True], ~same)))
    first_of = order[run_start[np.searchsorted(run_start, np.flatnonzero(same) + 1, "right") - 1]]
    if table is not WARD_DETAILS:
        # Each submission may carry a ward's details again; NHS Digital joins on ward and month
        # only, so the first is as good as any: no warning for those.
        # A row's own unique ID (MHS515UniqID...) and its record number may differ in a plain
        # repeat: NHS Digital counts the pair once whatever they are.
        differing = [
            c for c in rows.columns if c not in names and c != "RecordNumber" and "UniqID" not in c
        ]
        for repeat, first in zip(repeats.tolist(), first_of.tolist(), strict=True):
            row, first_row = int(rows.row_numbers[repeat]), int(rows.row_numbers[first])
            shown = "/".join(str(v) for v in (rows.values(n, [repeat])[0] for n in names))
            changed = [
                c
                for c in differing
                if rows.columns[c][repeat] != rows.columns[c][first]
                and not (
                    rows.columns[c].dtype.kind == "M"
                    and np.isnat(rows.columns[c][repeat])
                    and np.isnat(rows.columns[c][first])
                )
            ]
            if changed:
                message = (
                    f"repeats the key of row {first_row} ({shown}) with a different "
                    f"{', '.join(changed)}: row {first_row} was kept and this one was not, as NHS "
                    "Digital counts each only once"
                )
            else:
                message = (
                    f"repeats row {first_row} ({shown}): kept once, as NHS Digital counts each "
                    "only once"
                )
            found.append(
                (row, Problem(rows.table.file_name, row, ", ".join(table.key), message, False))
            )
    keep = np.ones(len(rows), dtype=bool)
    keep[repeats] = False
    rows.keep(np.flatnonzero(keep))


def _check_values(rows: TableRows, problems: Problems) -> None:
    """Warnings about kept rows: unknown codes and ends before starts."""
    name = rows.table.file_name
    columns = rows.columns
    if rows.table is INTERVENTION_TYPE and len(rows):
        codes = columns["RestrictiveIntType"]
        vocabulary = rows.vocabulary
        known = np.array([vocabulary.code(c) for c in INTERVENTION_TYPES], dtype=np.int32)
        for i in np.flatnonzero(~np.isin(codes, known)).tolist():
            code = vocabulary.decode(codes[i : i + 1])[0]
            hint = ""
            if code is not None and code.isdigit() and code.zfill(2) in INTERVENTION_TYPES:
                hint = f" (did you mean {code.zfill(2)}? codes have two digits)"
            shown = "blank" if code is None else repr(code)
            problems.add(
                Problem(
                    name,
                    int(rows.row_numbers[i]),
                    "RestrictiveIntType",
                    f"{shown} is not an MHSDS intervention type{hint}: counted as UNKNOWN, "
                    "as NHS Digital does",
                    rejected=False,
                )
            )
    for start, end, start_time, end_time in _SPANS.get(rows.table.name, ()):
        starts, ends = columns[start], columns[end]
        known = ~np.isnat(starts) & ~np.isnat(ends)
        backwards = known & (ends < starts)
        if start_time and end_time:
            a, b = columns[start_time], columns[end_time]
            backwards |= known & (ends == starts) & (a >= 0) & (b >= 0) & (b < a)
        for i in np.flatnonzero(backwards).tolist():
            problems.add(
                Problem(
                    name,
                    int(rows.row_numbers[i]),
                    end,
                    f"ends before it starts ({ends[i]} is before {starts[i]}): kept, as NHS "
                    "Digital would count it",
                    rejected=False,
                )
            )


_SPANS = {
    HOSPITAL_SPELL.name: (("StartDateHospProvSpell", "DischDateHospProvSpell", None, None),),
    WARD_STAY.name: (
        ("StartDateWardStay", "EndDateWardStay", "StartTimeWardStay", "EndTimeWardStay"),
    ),
    INCIDENT.name: (
        (
            "StartDateRestrictiveIntInc",
            "EndDateRestrictiveIntInc",
            "StartTimeRestrictiveIntInc",
            "EndTimeRestrictiveIntInc",
        ),
    ),
    INTERVENTION_TYPE.name: (
        (
            "StartDateRestrictiveIntType",
            "EndDateRestrictiveIntType",
            "StartTimeRestrictiveIntType",
            "EndTimeRestrictiveIntType",
        ),
    ),
}


def _empty_table(table: Table, vocabulary: Vocabulary) -> TableRows:
    columns = {c.name: _empty(c.kind) for c in table.columns}
    return TableRows(table, columns, np.zeros(0, dtype=np.int64), vocabulary)


def read_extract(
    directory: Path | str,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Extract:
    """Read every table of the extract in `directory`.

    Raises ExtractError, naming the file, if MHS000Header or a table every figure needs
    (MHS501, MHS505, MHS515) is missing or lacks a needed column: without them every figure
    would be silently wrong. An optional table (`OPTIONAL_TABLES`) that cannot be read is left
    empty with a problem naming it, its rows counted as rejected, and named in
    `Extract.unusable` so the figures that need it stay empty. `progress(rows_done,
    rows_total)` is called as rows are read.
    """
    directory = Path(directory)
    paths = {t.name: directory / t.file_name for t in TABLES}
    missing = [t for t in TABLES if not paths[t.name].is_file()]
    essential = [t.file_name for t in missing if t.name not in OPTIONAL_TABLES]
    if essential:
        names = [t.file_name for t in missing]
        raise ExtractError(
            f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} missing from "
            f"{directory}: an extract needs one CSV for each of the {len(TABLES)} tables "
            f"({', '.join(t.file_name for t in TABLES)})",
            [
                Problem(name, None, None, "the file is missing: an extract needs all 8 tables")
                for name in names
            ],
        )
    total = sum(max(_lines(paths[t.name]) - 1, 0) for t in TABLES if t not in missing)
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(min(done, total), total)

    problems = Problems()
    vocabulary = Vocabulary()
    tables: dict[str, TableRows] = {}
    unusable = set()
    for table in TABLES:
        if table in missing:
            problems.add(
                Problem(
                    table.file_name,
                    None,
                    None,
                    "the file is missing: " + _WITHOUT[table.name],
                )
            )
            tables[table.name] = _empty_table(table, vocabulary)
            unusable.add(table.name)
            continue
        try:
            tables[table.name] = read_table(table, paths[table.name], problems, vocabulary, advance)
        except ExtractError as error:
            if table.name not in OPTIONAL_TABLES:
                raise
            for problem in error.problems:
                problems.add(
                    Problem(
                        problem.file,
                        problem.row,
                        problem.field,
                        f"{problem.message}: the table was not imported; {_WITHOUT[table.name]}",
                    )
                )
            lines = max(_lines(paths[table.name]) - 1, 0)
            problems.rejected_rows += lines
            advance(lines)
            tables[table.name] = _empty_table(table, vocabulary)
            unusable.add(table.name)
    if progress is not None:
        progress(total, total)
    extract = Extract(tables, problems, total, vocabulary, frozenset(unusable))
    _check_submissions(extract)
    return extract


#: What is lost without each optional table, for the problem that says it is missing.
_WITHOUT = {
    MPI.name: "the other tables were imported (MHS001MPI feeds no figure mhsip shows)",
    REFERRAL.name: "the other tables were imported, but the percentage of people restrained "
    "(MHS97) is left empty as it needs the referrals",
    WARD_STAY.name: "the other tables were imported, but the ward-level figures are left empty "
    "as they need the ward stays",
    WARD_DETAILS.name: "the other tables were imported; new wards are put on the provider's "
    "UNKNOWN site",
}


def _check_submissions(extract: Extract) -> None:
    """Activity rows must belong to a submission in MHS000Header (NHS Digital's inner join
    would drop them silently: we say so)."""
    header = extract[HEADER.name]
    submissions = header.columns["UniqSubmissionID"]
    order = np.argsort(submissions, kind="stable")
    sorted_ids = submissions[order]
    for name, rows in extract.tables.items():
        if name in (HEADER.name, WARD_DETAILS.name) or not len(rows):
            continue
        columns = rows.columns
        ids = columns["UniqSubmissionID"]
        at = np.minimum(np.searchsorted(sorted_ids, ids), max(len(sorted_ids) - 1, 0))
        if len(sorted_ids):
            h = order[at]
            known = (
                (sorted_ids[at] == ids)
                & (header.columns["UniqMonthID"][h] == columns["UniqMonthID"])
                & (header.columns["OrgIDProvider"][h] == columns["OrgIDProv"])
            )
        else:
            known = np.zeros(len(rows), dtype=bool)
        if known.all():
            continue
        orphans = np.flatnonzero(~known)
        submission_ids = rows.values("UniqSubmissionID", orphans)
        months = rows.values("UniqMonthID", orphans)
        providers = rows.values("OrgIDProv", orphans)
        for i, s, m, p in zip(orphans.tolist(), submission_ids, months, providers, strict=True):
            extract.problems.add(
                Problem(
                    rows.table.file_name,
                    int(rows.row_numbers[i]),
                    "UniqSubmissionID",
                    f"no MHS000Header row is for submission {s} of provider {p} in month {m}: "
                    "the row was not imported",
                )
            )
        extract.problems.rejected_rows += len(orphans)
        rows.keep(np.flatnonzero(known))
