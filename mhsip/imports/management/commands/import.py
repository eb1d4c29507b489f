"""`mhsip import KIND ...`: bring data into mhsip from the files trusts already have.

    mhsip import mhsds DIR            MHSDS extract tables, one CSV per table (mhsip.extracts)
    mhsip import incidents FILE ...   an incident-system export (CSV or XLSX) through a mapping
    mhsip import bed-days FILE ...    monthly occupied bed days per ward
    mhsip import national FILE|DIR    NHS England's published restrictive-intervention files

Each kind lives with the app that owns its data; this command only dispatches. A kind's module
provides `add_arguments(parser)` and `handle(command, **options)`.
"""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand, CommandParser

KINDS = {
    "mhsds": ("mhsip.extracts.command", "Import an MHSDS extract: a directory of table CSVs"),
    "incidents": (
        "mhsip.imports.incidents_command",
        "Import an incident-system export (CSV or XLSX) through a saved column mapping",
    ),
    "bed-days": (
        "mhsip.imports.bed_days_command",
        "Import monthly occupied bed days per ward (CSV or XLSX)",
    ),
    "national": (
        "mhsip.national.command",
        "Import NHS England's published monthly restrictive-intervention statistics",
    ),
}


class Command(BaseCommand):
    help = "Import data into mhsip: an MHSDS extract, incidents, bed days or national statistics."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for kind, (module, summary) in KINDS.items():
            sub = kinds.add_parser(kind, help=summary, description=summary)
            import_module(module).add_arguments(sub)

    def handle(self, *args, kind: str, **options) -> None:
        import_module(KINDS[kind][0]).handle(self, **options)
