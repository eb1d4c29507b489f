"""`mhsip import national PATH`: import NHS England's published monthly MHSDS files.

PATH is one published file or a directory of them (every .csv in it). Run again on the same or
corrected files, it changes only what changed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from mhsip.imports.models import ImportStatus
from mhsip.national.services import files_at, national_import


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("path", type=Path, help="a published .csv file, or a directory of them")
    parser.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="keep nothing unless every row of every file can be read",
    )


def handle(command, *, path: Path, all_or_nothing: bool = False, **options) -> None:
    if not path.exists():
        raise CommandError(f"{path} does not exist")
    files = files_at(path)
    if not files:
        raise CommandError(f"{path} holds no .csv files")

    def progress(done: int, total: int) -> None:
        if options.get("verbosity", 1) >= 2:
            command.stderr.write(f"read {done} of {total} files")

    run = national_import(
        files=files, source=str(path), all_or_nothing=all_or_nothing, progress=progress
    )
    for problem in run.problem_list():
        command.stderr.write(str(problem))
    if run.problem_count > len(run.problems):
        command.stderr.write(f"... and {run.problem_count - len(run.problems)} more problems")
    counts = ", ".join(f"{what}: {n}" for what, n in run.counts.items())
    command.stdout.write(
        f"{run.get_status_display()}: {len(files)} files, {counts or 'nothing kept'}; "
        f"{run.rows_rejected} rows left out, {run.problem_count} problems."
    )
    if run.status == ImportStatus.REFUSED:
        raise CommandError("nothing was imported: some rows could not be read (see above)")
