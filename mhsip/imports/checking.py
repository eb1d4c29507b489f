"""What every file import (incident exports, bed days) does the same way around its own checks.

    outcome = Outcome()
    opened = open_table(source, name=run.source, outcome=outcome)   # None: the file is unreadable
    good = check_every_row(table, run=run, rows_total=n, outcome=outcome, check=check_one_row)
    if refuses(run, outcome): ...                                    # all or nothing, and a row was bad
    finish(run, outcome, refused=..., by=..., action="import.x", ...)

`check_every_row` reads each row once, keeps what `check` makes of the good ones, counts a row
with problems as rejected, saves progress every PROGRESS_EVERY rows (for the page and the command
line), and folds in the rows the reader itself could not read (a broken encoding, a file cut
short), so that they count as rejected rows too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mhsip.auditing import services as audit
from mhsip.imports.models import ImportRun
from mhsip.organisations.models import Organisation
from mhsip.tabular import Problem, Problems
from mhsip.tabular.reader import Row, Table, UnreadableFile, read_table

#: How often (in rows) the first pass saves its progress for the page and the command line.
PROGRESS_EVERY = 200

Checked = TypeVar("Checked")


@dataclass
class Outcome:
    counts: dict[str, int] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    refused: bool = False

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1


def open_table(source: Path | bytes, *, name: str, outcome: Outcome) -> tuple[Table, int] | None:
    """The file as a table with its number of rows, or None (and the problem said) when it
    cannot be read at all. Counting reads the file once more, so the page can show a fraction
    done from the first row."""
    try:
        table = read_table(source, name=name)
        rows_total = sum(1 for _ in read_table(source, name=name).rows())
    except UnreadableFile as error:
        outcome.problems.add(error.problem)
        return None
    return table, rows_total


def check_every_row(
    table: Table,
    *,
    run: ImportRun,
    rows_total: int,
    outcome: Outcome,
    check: Callable[[Row], Checked | list[Problem]],
    on_progress: Callable[[int, int], None] | None = None,
    every: int = PROGRESS_EVERY,
) -> list[Checked]:
    """What `check` makes of each good row, in file order; each row's problems are added to the
    outcome, one rejected row for each row with any. `check` returns a list of problems for a
    row it rejects (an empty list is not a rejection)."""
    run.mark_running(rows_total)
    good: list[Checked] = []
    done = 0

    def progress() -> None:
        run.mark_progress(done)
        if on_progress:
            on_progress(done, rows_total)

    for row in table.rows():
        done += 1
        result = check(row)
        if isinstance(result, list):
            if result:
                outcome.problems.extend(result)
                outcome.problems.rejected_rows += 1
        else:
            good.append(result)
        if done % every == 0:
            progress()
    outcome.problems.extend(table.problems)
    outcome.problems.rejected_rows += table.problems.rejected_rows
    progress()
    return good


def refuses(run: ImportRun, outcome: Outcome) -> bool:
    """Whether the run must import nothing: it was asked for all or nothing and a row is bad."""
    return run.all_or_nothing and outcome.problems.rejected_rows > 0


def finish(
    run: ImportRun,
    outcome: Outcome,
    *,
    refused: bool,
    by,
    action: str,
    organisation: Organisation | None,
    what: str,
    detail: dict[str, Any] | None = None,
) -> Outcome:
    """Mark the run's end (a refused run keeps nothing, so counts nothing) and audit it;
    `what` begins the audit summary, which ends with the run's status."""
    outcome.refused = refused
    if refused:
        outcome.counts = {}
    run.mark_finished(outcome.counts, outcome.problems, refused=refused)
    audit.record_event(
        by=by,
        action=action,
        target=run,
        organisation=organisation,
        summary=f"{what}: {run.get_status_display().lower()}",
        detail={
            "counts": outcome.counts,
            "problems": outcome.problems.count,
            "rows_rejected": outcome.problems.rejected_rows,
            **(detail or {}),
        },
    )
    return outcome
