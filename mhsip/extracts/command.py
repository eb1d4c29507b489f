"""`mhsip import mhsds DIR`: import an MHSDS extract (one CSV per table) into the database."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from mhsip.extracts.services import import_extract
from mhsip.imports.models import ImportStatus


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("directory", metavar="DIR", help="the directory holding the table CSVs")
    parser.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="import nothing unless every row passes its checks",
    )


def handle(command, *, directory: str, all_or_nothing: bool = False, **options) -> None:
    path = Path(directory)
    if not path.is_dir():
        raise CommandError(f"{directory} is not a directory")

    def report(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    run = import_extract(path, all_or_nothing=all_or_nothing, report=report)
    out = command.stdout
    for problem in run.problem_list():
        out.write(("" if problem.rejected else "warning: ") + str(problem))
    if run.problem_count > len(run.problems):
        out.write(f"... and {run.problem_count - len(run.problems):,} more problems")
    kept = ", ".join(f"{n:,} {noun}" for noun, n in run.counts.items()) or "nothing"
    out.write(f"{run.get_status_display()}: kept {kept}; {run.rows_rejected:,} rows rejected")
    if run.status in (ImportStatus.REFUSED, ImportStatus.FAILED):
        raise CommandError("nothing was imported")
