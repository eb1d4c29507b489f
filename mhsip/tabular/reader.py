"""Read a CSV or XLSX file people send us into rows, numbered as their spreadsheet numbers them.

    table = read_table(path, name="incidents.xlsx")
    table.headers                      # the column names, as written (stripped)
    for row in table.rows():           # Row(number=2, values={"Ward": "Ash", ...})
        ...
    table.problems                     # what could not be read, filled while rows() runs

Pure: no Django. Reading never stops at the first bad line: a row that cannot be read is
reported (file, row, what is wrong) and the rows around it are still given, so an import can
keep every good row. CSV text is UTF-8 (with or without the byte-order mark Excel writes); a file
that is not UTF-8 at all is read as Windows-1252, which is what older incident systems and Excel's
plain "CSV" save as. A UTF-8 file with a few broken bytes has those rows reported, not guessed.
XLSX is read with openpyxl in read-only mode, so a large workbook is streamed, not loaded whole.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from mhsip.tabular.problems import Problem, Problems

#: What a cell can hold: CSV gives text; XLSX also numbers, dates and times.
Cell = str | int | float | datetime | date | time | None

#: Bytes Python gives back from a failed UTF-8 decoding (errors="surrogateescape").
_UNDECODABLE = re.compile("[\udc80-\udcff]")

#: How many example values the mapping page shows for each column.
EXAMPLES = 3


class UnreadableFile(Exception):
    """The file cannot be read at all (not CSV or XLSX, a damaged workbook, no header)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Row:
    #: As the spreadsheet numbers it: the header is row 1, the first data row is row 2.
    number: int
    values: dict[str, Cell]


@dataclass
class Table:
    name: str
    headers: list[str]
    _rows: Iterator[Row]
    problems: Problems = field(default_factory=Problems)
    #: The text encoding a CSV was read in ("" for XLSX).
    encoding: str = ""

    def rows(self) -> Iterator[Row]:
        return self._rows


def read_table(source: Path | str | bytes, *, name: str | None = None) -> Table:
    """Open `source` (a path, or the file's bytes with its `name`) as a table.

    Raises UnreadableFile when nothing can be read. Problems found in single rows are added to
    `table.problems` as the rows are read.
    """
    if isinstance(source, bytes):
        if name is None:
            raise TypeError("give the file's name with its bytes")
        data = source
    else:
        path = Path(source)
        name = name or path.name
        data = path.read_bytes()
    if name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, name)
    if name.lower().endswith((".csv", ".txt")):
        return _read_csv(data, name)
    raise UnreadableFile(
        Problem(name, None, None, "mhsip reads CSV (.csv) and Excel (.xlsx) files only")
    )


def count_rows(table_source: Path | str | bytes, *, name: str | None = None) -> int:
    """The number of data rows, for progress (reads the file once more, cheaply)."""
    return sum(1 for _ in read_table(table_source, name=name).rows())


def column_examples(table: Table, limit: int = EXAMPLES, scan: int = 200) -> dict[str, list[str]]:
    """A few different non-blank values of each column, from the first `scan` rows."""
    examples: dict[str, list[str]] = {h: [] for h in table.headers}
    for index, row in enumerate(table.rows()):
        if index >= scan:
            break
        for header, value in row.values.items():
            text = cell_text(value)
            if text and text not in examples[header] and len(examples[header]) < limit:
                examples[header].append(text)
    return examples


def cell_text(value: Cell) -> str:
    """A cell as the person reading their spreadsheet sees it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- CSV --------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str, bool]:
    """The text, the encoding it was read in, and whether some bytes could not be decoded."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "UTF-8", False
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    if any(ord(c) > 127 and not 0xDC80 <= ord(c) <= 0xDCFF for c in text):
        # Some real UTF-8 characters and some broken bytes: a UTF-8 file that was damaged (or
        # pasted together). Guessing another encoding would garble its good rows.
        return text, "UTF-8", True
    try:
        return data.decode("cp1252"), "Windows-1252", False
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="surrogateescape"), "Windows-1252", True


def _read_csv(data: bytes, name: str) -> Table:
    text, encoding, damaged = _decode(data)
    if "\x00" in text[:4096]:
        raise UnreadableFile(
            Problem(
                name,
                None,
                None,
                "The file is not plain text (it may be UTF-16 or a spreadsheet saved with a .csv "
                "name): save it from Excel as “CSV UTF-8” and try again",
            )
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        raw_headers = next(reader)
    except StopIteration:
        raise UnreadableFile(Problem(name, None, None, "The file is empty")) from None
    except csv.Error as error:
        raise UnreadableFile(
            Problem(name, 1, None, f"The header row cannot be read ({error})")
        ) from None
    headers = _headers(raw_headers, name)
    table = Table(name=name, headers=headers, _rows=iter(()), encoding=encoding)
    table._rows = _csv_rows(reader, headers, table.problems, name, damaged)
    return table


def _headers(raw: list[Cell], name: str) -> list[str]:
    headers = [cell_text(h) for h in raw]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise UnreadableFile(Problem(name, 1, None, "The first row has no column names"))
    if any(_UNDECODABLE.search(h) for h in headers):
        raise UnreadableFile(
            Problem(name, 1, None, "The column names are not readable text: save as “CSV UTF-8”")
        )
    seen: set[str] = set()
    for index, header in enumerate(headers):
        if not header:
            headers[index] = header = f"Column {index + 1}"
        if header in seen:
            raise UnreadableFile(
                Problem(
                    name,
                    1,
                    header,
                    f"Two columns are called “{header}”: give each column its own name",
                )
            )
        seen.add(header)
    return headers


def _csv_rows(
    reader, headers: list[str], problems: Problems, name: str, damaged: bool
) -> Iterator[Row]:
    number = 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            number += 1
            problems.add(
                Problem(
                    name,
                    number,
                    None,
                    "The file ends inside a quoted value, so it may have been cut short: "
                    f"this row was not read ({error})",
                )
            )
            problems.rejected_rows += 1
            return
        number += 1
        if not any(cell.strip() for cell in raw):
            continue
        if damaged and any(_UNDECODABLE.search(cell) for cell in raw):
            problems.add(
                Problem(
                    name,
                    number,
                    None,
                    "This row has characters that are not readable text (the file is not all "
                    "UTF-8): correct them, or save the file again as “CSV UTF-8”",
                )
            )
            problems.rejected_rows += 1
            continue
        row = _row(raw, headers, number, problems, name)
        if row is not None:
            yield row


def _row(
    raw: list[Cell], headers: list[str], number: int, problems: Problems, name: str
) -> Row | None:
    extra = [c for c in raw[len(headers) :] if cell_text(c)]
    if extra:
        problems.add(
            Problem(
                name,
                number,
                None,
                f"This row has {len(headers) + len(extra)} values but there are only "
                f"{len(headers)} column names: check for a stray comma or delimiter",
            )
        )
        problems.rejected_rows += 1
        return None
    # A CSV row with fewer values than columns is usually the last line of a file that was
    # cut short; spreadsheets (XLSX) simply leave trailing cells empty.
    if len(raw) < len(headers) and not isinstance(raw, _XlsxCells):
        problems.add(
            Problem(
                name,
                number,
                None,
                f"This row has {len(raw)} of the {len(headers)} values it should have: the "
                "file may have been cut short or the row broken across lines",
            )
        )
        problems.rejected_rows += 1
        return None
    values = {h: (raw[i] if i < len(raw) else None) for i, h in enumerate(headers)}
    return Row(number=number, values=values)


# --- XLSX -------------------------------------------------------------------------------------


class _XlsxCells(list):
    """A worksheet row's cells (trailing empty cells are normal, not a sign of a cut file)."""


def _read_xlsx(data: bytes, name: str) -> Table:
    import openpyxl  # only XLSX imports need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(
            Problem(
                name,
                None,
                None,
                "This is not a readable Excel workbook: it may have been cut short while being "
                f"copied, or saved in another format ({error.__class__.__name__})",
            )
        ) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        first = next(rows)
    except StopIteration:
        workbook.close()
        raise UnreadableFile(Problem(name, None, None, "The first worksheet is empty")) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        workbook.close()
        raise UnreadableFile(
            Problem(name, None, None, f"The first worksheet cannot be read ({error})")
        ) from None
    headers = _headers(list(first), name)
    table = Table(name=name, headers=headers, _rows=iter(()))
    table._rows = _xlsx_rows(workbook, rows, headers, table.problems, name)
    return table


def _xlsx_rows(workbook, rows, headers: list[str], problems: Problems, name: str) -> Iterator[Row]:
    number = 1
    try:
        while True:
            try:
                raw = next(rows)
            except StopIteration:
                return
            except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as error:
                problems.add(
                    Problem(
                        name,
                        number + 1,
                        None,
                        "The workbook stops here: it may have been cut short, so no row from "
                        f"here on was read ({error.__class__.__name__})",
                    )
                )
                return
            number += 1
            cells = _XlsxCells(
                c.strip() if isinstance(c, str) else c for c in raw[: max(len(headers), 1)]
            )
            extra = [c for c in raw[len(headers) :] if cell_text(c)]
            if not any(cell_text(c) for c in raw):
                continue
            if extra:
                cells.extend(extra)
            row = _row(cells, headers, number, problems, name)
            if row is not None:
                yield row
    finally:
        workbook.close()
