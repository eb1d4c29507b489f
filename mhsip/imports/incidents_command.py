"""`mhsip import incidents FILE --mapping NAME [--provider CODE] [--all-or-nothing]`

Imports an incident-system export through a mapping saved in the page (Imports → incident
export). The records are written as the command-line account `mhsip-import`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mhsip.imports.command_output import progress_printer, report
from mhsip.imports.models import ImportKind, ImportRun, IncidentMapping


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path, help="The export: a .csv or .xlsx file")
    parser.add_argument("--mapping", required=True, help="The name of a mapping saved in the page")
    parser.add_argument(
        "--provider", help="The provider's code, when several providers have that mapping name"
    )
    parser.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="Import nothing unless every row is good (by default good rows are kept)",
    )


def find_mapping(name: str, provider_code: str | None) -> IncidentMapping:
    mappings = IncidentMapping.objects.filter(name__iexact=name).select_related("provider")
    if provider_code:
        mappings = mappings.filter(provider__code__iexact=provider_code)
    found = list(mappings)
    if not found:
        known = ", ".join(
            f"“{m.name}” ({m.provider.code})"
            for m in IncidentMapping.objects.select_related("provider")
        )
        raise CommandError(
            f"There is no mapping called “{name}”"
            + (f" for provider {provider_code}" if provider_code else "")
            + f". Saved mappings: {known or 'none yet (build one in the page)'}"
        )
    if len(found) > 1:
        codes = ", ".join(m.provider.code for m in found)
        raise CommandError(
            f"Several providers ({codes}) have a mapping called “{name}”: add --provider"
        )
    return found[0]


def handle(command: BaseCommand, **options) -> None:
    from mhsip.imports.services import run_import

    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"There is no file {path}")
    mapping = find_mapping(options["mapping"], options.get("provider"))
    run = ImportRun.objects.create(
        kind=ImportKind.INCIDENTS,
        source=path.name,
        organisation=mapping.provider,
        all_or_nothing=options["all_or_nothing"],
        parameters={"mapping": mapping.pk, "path": str(path)},
    )
    command.stdout.write(
        f"Importing {path.name} into {mapping.provider.name} with the mapping “{mapping.name}”"
    )
    run = run_import(run, path=path, on_progress=progress_printer(command))
    report(command, run)
