"""The row-checking pass every file import shares: progress, rejected rows, the reader's own
problems and the all-or-nothing rule."""

from __future__ import annotations

import pytest

from mhsip.imports.checking import Outcome, check_every_row, open_table, refuses
from mhsip.imports.models import ImportStatus
from mhsip.tabular import Problem
from tests.factories.imports import bed_days_run
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    return bed_days_run(build_world().providers["A"], "numbers.csv")


def numbers(*values: bytes) -> bytes:
    return b"Number\n" + b"".join(v + b"\n" for v in values)


def check(row):
    text = row.values["Number"]
    if not text.isdigit():
        return [Problem("numbers.csv", row.number, "Number", f"{text} is not a number")]
    return int(text)


def test_good_rows_are_kept_and_each_bad_row_counted_once(run):
    outcome = Outcome()
    table, total = open_table(numbers(b"1", b"x", b"3", b"y"), name="numbers.csv", outcome=outcome)

    good = check_every_row(table, run=run, rows_total=total, outcome=outcome, check=check)

    assert good == [1, 3]
    assert [str(p) for p in outcome.problems] == [
        "numbers.csv, row 3, Number: x is not a number",
        "numbers.csv, row 5, Number: y is not a number",
    ]
    assert outcome.problems.rejected_rows == 2


def test_progress_is_saved_every_so_many_rows_and_at_the_end(run):
    outcome = Outcome()
    table, total = open_table(numbers(*[b"7"] * 5), name="numbers.csv", outcome=outcome)
    seen = []

    def on_progress(done, of):
        run.refresh_from_db()
        seen.append((done, of, run.rows_done, run.status))

    check_every_row(
        table,
        run=run,
        rows_total=total,
        outcome=outcome,
        check=check,
        on_progress=on_progress,
        every=2,
    )

    running = ImportStatus.RUNNING
    assert seen == [(2, 5, 2, running), (4, 5, 4, running), (5, 5, 5, running)]


def test_rows_the_reader_cannot_read_are_rejected_rows_too(run):
    outcome = Outcome()
    # Real UTF-8 (café) beside broken bytes: a damaged UTF-8 file, whose broken row is said.
    data = b"Number,Note\n1,caf\xc3\xa9\n2\xff\xfe,\n3,\n"
    table, total = open_table(data, name="numbers.csv", outcome=outcome)

    good = check_every_row(table, run=run, rows_total=total, outcome=outcome, check=check)

    assert good == [1, 3]
    assert outcome.problems.rejected_rows == 1
    assert "row 3: This row has characters that are not readable text" in str(
        next(iter(outcome.problems))
    )


def test_an_unreadable_file_is_said_and_opens_nothing(run):
    outcome = Outcome()

    assert open_table(b"PK\x03\x04broken", name="numbers.xlsx", outcome=outcome) is None
    assert "numbers.xlsx" in str(next(iter(outcome.problems)))


def test_all_or_nothing_refuses_once_a_row_is_bad(run):
    outcome = Outcome()
    assert not refuses(run, outcome)
    outcome.problems.rejected_rows = 1
    assert not refuses(run, outcome)
    run.all_or_nothing = True
    assert refuses(run, outcome)
