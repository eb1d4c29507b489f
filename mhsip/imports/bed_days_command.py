"""`mhsip import bed-days FILE [--provider CODE] [--all-or-nothing]`

Imports monthly occupied bed days per ward: a CSV or XLSX with the columns Ward (code or name),
Month (YYYY-MM) and Occupied bed days. A ward-month imported again has its value replaced.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mhsip.imports.command_output import progress_printer, report
from mhsip.imports.models import ImportKind, ImportRun
from mhsip.organisations.models import Organisation, OrganisationKind


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path, help="A .csv or .xlsx file: ward, month, bed days")
    parser.add_argument(
        "--provider", help="Only this provider's wards (ward names are then understood too)"
    )
    parser.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="Import nothing unless every row is good (by default good rows are kept)",
    )


def handle(command: BaseCommand, **options) -> None:
    from mhsip.imports.services import run_import

    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"There is no file {path}")
    provider = None
    if options.get("provider"):
        provider = Organisation.objects.filter(
            code__iexact=options["provider"], kind=OrganisationKind.PROVIDER
        ).first()
        if provider is None:
            raise CommandError(f"There is no provider with the code {options['provider']}")
    run = ImportRun.objects.create(
        kind=ImportKind.BED_DAYS,
        source=path.name,
        organisation=provider,
        all_or_nothing=options["all_or_nothing"],
        parameters={"path": str(path)},
    )
    command.stdout.write(f"Importing occupied bed days from {path.name}")
    run = run_import(run, path=path, on_progress=progress_printer(command))
    report(command, run)
