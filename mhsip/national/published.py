"""Read NHS England's published monthly MHSDS files, as they are, quirks and all.

The provider-level files of *Mental Health Services Monthly Statistics* used here (one per
measure per month, e.g. `rstr01_Sep_2021.csv`, `beds01_Sep_2021.csv`, `sect01_Sep_2021.csv`)
have no header row and four columns:

    date, PROVIDER NAME, measure label, value

- the date is the first day of the reporting period, as `DD/MM/YYYY` in most files and as ISO
  `YYYY-MM-DD` in some (rstr Feb, Apr, May and Jun 2022);
- names with commas are quoted (`"TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST"`), so the file
  is read as CSV, never split on commas;
- providers are named, not coded (no ODS codes);
- `*` is NHS Digital's suppression (MHS76 under 5; bed days under the rounding threshold or
  from a provider without beds): it is kept as *suppressed*, never as 0;
- the "sect" files of Jan–May 2022 hold a different measure, "People subject to the Mental
  Health Act at the end of the reporting period" (it includes community treatment orders), not
  detentions: it is read as a measure of its own so that the two are never mixed.

Pure Python: `read_published_file(name, data)` returns the rows it could read and the problems,
by file, row and field; the database side is `mhsip.national.services`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from mhsip.tabular import Problem, Problems


class PublishedMeasure(StrEnum):
    """The measures of the published files, under names of our own."""

    #: MHS76: people subject to a restrictive intervention in the month (people, not events).
    PEOPLE_RESTRAINED = "MHS76"
    #: Occupied bed days in the reporting period (the rate's denominator; not itself published
    #: under an MHS code).
    BED_DAYS = "BED_DAYS"
    #: People subject to detention under the Mental Health Act at the end of the period.
    PEOPLE_DETAINED_END = "DETAINED_END_RP"
    #: People subject to the Mental Health Act at the end of the period: detentions *and*
    #: community treatment orders and other short-term holds. Published instead of detentions
    #: in the Jan–May 2022 files; about 35% higher, so not comparable with them.
    PEOPLE_UNDER_MHA_END = "MHA_END_RP"

    @property
    def label(self) -> str:
        return MEASURE_WORDS[self]


MEASURE_WORDS = {
    PublishedMeasure.PEOPLE_RESTRAINED: "People subject to a restrictive intervention (MHS76)",
    PublishedMeasure.BED_DAYS: "Occupied bed days",
    PublishedMeasure.PEOPLE_DETAINED_END: "People detained at the end of the month",
    PublishedMeasure.PEOPLE_UNDER_MHA_END: (
        "People subject to the Mental Health Act at the end of the month (includes CTOs)"
    ),
}

#: Published label (compared in upper case, spaces collapsed) -> measure.
LABELS = {
    "MHS76": PublishedMeasure.PEOPLE_RESTRAINED,
    "BED DAYS IN RP": PublishedMeasure.BED_DAYS,
    "PEOPLE SUBJECT TO DETENTION AT THE END OF THE REPORTING PERIOD": (
        PublishedMeasure.PEOPLE_DETAINED_END
    ),
    "PEOPLE SUBJECT TO THE MENTAL HEALTH ACT AT THE END OF THE REPORTING PERIOD": (
        PublishedMeasure.PEOPLE_UNDER_MHA_END
    ),
}

#: NHS Digital's mark for a suppressed value.
SUPPRESSED = "*"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
COLUMNS = ("date", "provider name", "measure", "value")


@dataclass(frozen=True)
class PublishedRow:
    period: date
    provider_name: str
    measure: PublishedMeasure
    label: str  # the measure label exactly as published
    value: int | None  # None when suppressed
    row: int  # the line of the file (these files have no header: the first line is row 1)

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def key(self) -> tuple[date, str, PublishedMeasure]:
        return self.period, self.provider_name, self.measure


@dataclass
class PublishedFile:
    name: str
    rows: list[PublishedRow]
    problems: Problems
    lines: int

    @property
    def measures(self) -> set[PublishedMeasure]:
        return {r.measure for r in self.rows}

    @property
    def periods(self) -> set[date]:
        return {r.period for r in self.rows}


def provider_name(raw: str) -> str:
    """A published name as we keep it: trimmed, inner spaces collapsed, in upper case (as
    published; a file in another case still names the same provider)."""
    return " ".join(raw.split()).upper()


def parse_period(raw: str) -> date | None:
    """The first day of the reporting period, from either published date format."""
    text = raw.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def decode(name: str, data: bytes, problems: Problems) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252, which is
    what a spreadsheet saved on Windows writes; that is said, as names may then be wrong."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(
            Problem(
                name,
                None,
                None,
                f"the file is not UTF-8 (byte {error.start + 1} is not valid); read as "
                "Windows-1252: check provider names with accents or symbols",
                rejected=False,
            )
        )
        return data.decode("cp1252", errors="replace")


def read_published_file(name: str, data: bytes) -> PublishedFile:
    """Every row of one published file that can be read, and a problem for every one that
    cannot (which is left out; the good rows are kept)."""
    problems = Problems()
    text = decode(name, data, problems)
    rows: list[PublishedRow] = []
    seen: dict[tuple[date, str, PublishedMeasure], int] = {}
    lines = 0
    if not text.strip():
        problems.add(Problem(name, None, None, "the file is empty"))
        return PublishedFile(name, rows, problems, 0)
    for number, fields in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        lines = number
        if not fields or all(not f.strip() for f in fields):
            continue  # a blank line (often the last) holds nothing to lose
        if number == 1 and _is_header(fields):
            problems.add(
                Problem(
                    name,
                    number,
                    None,
                    "this looks like a header row; the published files have none, so it is skipped",
                    rejected=False,
                )
            )
            continue
        row = _read_row(name, number, fields, problems)
        if row is None:
            problems.rejected_rows += 1
            continue
        if row.key in seen:
            problems.add(
                Problem(
                    name,
                    number,
                    "provider name",
                    f"{row.provider_name} already has a {row.label!r} figure for "
                    f"{row.period:%B %Y} in row {seen[row.key]}: this row is left out",
                )
            )
            problems.rejected_rows += 1
            continue
        seen[row.key] = number
        rows.append(row)
    if not rows and not problems:
        problems.add(Problem(name, None, None, "the file holds no rows"))
    _note_measure_change(name, rows, problems)
    return PublishedFile(name, rows, problems, lines)


def _is_header(fields: list[str]) -> bool:
    """A first line naming columns rather than holding a figure (someone added headings)."""
    return (
        parse_period(fields[0]) is None
        and not any(ch.isdigit() for ch in fields[0])
        and (len(fields) < 3 or " ".join(fields[2].split()).upper() not in LABELS)
    )


def _read_row(name: str, number: int, fields: list[str], problems: Problems) -> PublishedRow | None:
    if len(fields) != len(COLUMNS):
        problems.add(
            Problem(
                name,
                number,
                None,
                f"expected 4 columns ({', '.join(COLUMNS)}), found {len(fields)}: a provider "
                "name with a comma must be in double quotes",
            )
        )
        return None
    raw_date, raw_name, raw_label, raw_value = fields
    period = parse_period(raw_date)
    if period is None:
        problems.add(
            Problem(
                name,
                number,
                "date",
                f"{raw_date.strip()!r} is not a date as DD/MM/YYYY or YYYY-MM-DD",
            )
        )
        return None
    if period.day != 1:
        problems.add(
            Problem(
                name,
                number,
                "date",
                f"{raw_date.strip()} is not the first day of a month, as a reporting period starts",
            )
        )
        return None
    provider = provider_name(raw_name)
    if not provider:
        problems.add(Problem(name, number, "provider name", "the provider name is empty"))
        return None
    label = " ".join(raw_label.split())
    measure = LABELS.get(label.upper())
    if measure is None:
        problems.add(
            Problem(
                name,
                number,
                "measure",
                f"{label!r} is not a measure mhsip reads (MHS76, 'Bed days in RP', people "
                "detained or subject to the Mental Health Act at the end of the period)",
            )
        )
        return None
    value_text = raw_value.strip().replace(",", "")
    if value_text == SUPPRESSED:
        value = None
    else:
        try:
            value = int(value_text)
        except ValueError:
            problems.add(
                Problem(
                    name,
                    number,
                    "value",
                    f"{raw_value.strip()!r} is neither a whole number nor * (suppressed)",
                )
            )
            return None
        if value < 0:
            problems.add(Problem(name, number, "value", f"{value} is negative"))
            return None
    return PublishedRow(period, provider, measure, label, value, number)


def _note_measure_change(name: str, rows: list[PublishedRow], problems: Problems) -> None:
    """Say so when a file holds the Mental Health Act measure in place of detentions."""
    under_act = [r for r in rows if r.measure is PublishedMeasure.PEOPLE_UNDER_MHA_END]
    if under_act:
        months = sorted({r.period for r in under_act})
        problems.add(
            Problem(
                name,
                None,
                "measure",
                f"{len(under_act)} rows for {', '.join(f'{m:%B %Y}' for m in months)} count people "
                "subject to the Mental Health Act (community treatment orders included), not "
                "people detained: kept as a measure of their own, not compared with detentions",
                rejected=False,
            )
        )
