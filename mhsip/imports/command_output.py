"""What `mhsip import incidents|bed-days` prints: progress while it runs, then the outcome."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from mhsip.imports.models import ImportRun, ImportStatus

#: Problems printed in full; the rest are counted (the page and the run keep the first 1,000).
SHOWN_PROBLEMS = 50


def progress_printer(command: BaseCommand):
    def on_progress(done: int, total: int) -> None:
        percent = f" ({round(100 * done / total)}%)" if total else ""
        command.stdout.write(f"Checked {done:,} of {total:,} rows{percent}")

    return on_progress


def report(command: BaseCommand, run: ImportRun) -> None:
    """Print what was kept and what was wrong; fail (exit status 1) when nothing was imported."""
    for problem in run.problem_list()[:SHOWN_PROBLEMS]:
        command.stderr.write(str(problem))
    if run.problem_count > SHOWN_PROBLEMS:
        command.stderr.write(f"... and {run.problem_count - SHOWN_PROBLEMS:,} more problems")
    counts = ", ".join(f"{what}: {n:,}" for what, n in run.counts.items()) or "nothing written"
    command.stdout.write(
        f"{run.get_status_display()}: {counts}. Rows left out: {run.rows_rejected:,}. "
        f"(import {run.pk})"
    )
    if run.status == ImportStatus.FAILED:
        raise CommandError(f"The import stopped: {run.error}")
    if run.status == ImportStatus.REFUSED:
        raise CommandError("Nothing was imported: correct the problems above and run it again.")
