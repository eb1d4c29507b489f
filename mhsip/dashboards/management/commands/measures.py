"""`mhsip measures`: every measure for every ward, provider or network, from the database.

    mhsip measures --level {ward,provider,network} [--organisation CODE] [--from YYYY-MM]
                   [--to YYYY-MM] [--period {month,week}] [--format {csv,json}]

The option names and fields are a contract analysts and our own checks script against.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from mhsip.dashboards.queries import Level, measure_rows

FIELDS = [
    "level",
    "organisation",
    "period",
    "measure",
    "measure_id",
    "numerator",
    "denominator",
    "value",
]


def _month(text: str, option: str, *, end: bool) -> date:
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"{option} {text!r}: give a month as YYYY-MM") from None
    if not end:
        return first
    next_month = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(next_month.toordinal() - 1)


class Command(BaseCommand):
    help = "Print every measure by organisation and period (CSV or JSON) from the database."

    def add_arguments(self, parser):
        parser.add_argument("--level", required=True, choices=[level.value for level in Level])
        parser.add_argument("--organisation", metavar="CODE")
        parser.add_argument("--from", dest="first", metavar="YYYY-MM")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM")
        parser.add_argument("--period", choices=["month", "week"], default="month")
        parser.add_argument(
            "--format", dest="output_format", choices=["csv", "json"], default="csv"
        )

    def handle(self, *args, level, organisation, first, last, period, output_format, **options):
        first_day = _month(first, "--from", end=False) if first else None
        last_day = _month(last, "--to", end=True) if last else None
        if first_day and last_day and last_day < first_day:
            raise CommandError(f"--to {last} is before --from {first}")
        try:
            rows = measure_rows(
                level, organisation=organisation, first=first_day, last=last_day, period=period
            )
        except LookupError as error:
            raise CommandError(str(error)) from None
        out = self.stdout
        if output_format == "json":
            out.write(json.dumps(rows, indent=1))
            return
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
