"""`mhsip export mhsds --provider CODE --month YYYY-MM DIR`: mhsip's own records for one provider
and month as an MHSDS extract (the 8 table CSVs `mhsip import mhsds` reads), with pseudonymous
Person_IDs. Audited (the command line has no user)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mhsip.extracts.exporting import export_extract
from mhsip.organisations.models import Organisation, OrganisationKind


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise CommandError(f"--month {text}: give it as YYYY-MM") from None


class Command(BaseCommand):
    help = "Export data from mhsip: `mhsds` writes a provider's month as MHSDS table CSVs."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        mhsds = kinds.add_parser("mhsds", help="a provider's month as an MHSDS extract")
        mhsds.add_argument("--provider", required=True, metavar="CODE")
        mhsds.add_argument("--month", required=True, metavar="YYYY-MM")
        mhsds.add_argument("directory", metavar="DIR", help="where to write the 8 CSV files")

    def handle(self, *args, kind: str, provider: str, month: str, directory: str, **options):
        found = Organisation.objects.filter(code=provider, kind=OrganisationKind.PROVIDER).first()
        if found is None:
            raise CommandError(f"no provider has the code {provider}")
        export = export_extract(found, _month(month))
        export.write(Path(directory))
        rows = ", ".join(f"{n:,} {name}" for name, n in export.rows().items())
        self.stdout.write(f"wrote {directory}: {rows}")
        if export.without_stay:
            self.stdout.write(
                f"warning: {export.without_stay} use-of-force record(s) had no ward stay to "
                "belong to and were left out"
            )
