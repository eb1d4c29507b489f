"""`mhsip load_demo`: fill an empty database with the fictional demo region."""

from __future__ import annotations

import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mhsip.demo.champions import load_champions
from mhsip.demo.generate import DEFAULT_SEED, DEMO_PASSWORD, generate_region
from mhsip.demo.load import DemoLoadError, load_region, logins_table
from mhsip.organisations.models import Organisation

#: NHS England's published monthly files (real, public, Open Government Licence), where a
#: checkout has the team's shared data beside it; the demo's benchmark page uses them if found.
NATIONAL_FILES = (
    Path(settings.BASE_DIR).parent / "shared" / "data" / "mhsds-restraint-provider-2021-22" / "raw"
)


def load_national_statistics() -> int | None:
    """Import the published national files if they are here; None if they are not."""
    if not NATIONAL_FILES.is_dir():
        return None
    from mhsip.national.models import PublishedFigure

    call_command("import", "national", str(NATIONAL_FILES), stdout=StringIO(), stderr=StringIO())
    return PublishedFigure.objects.count()


class Command(BaseCommand):
    help = (
        "Load a fictional region (3 providers, 12 wards, years of ward stays and use-of-force "
        "records, demo logins for every role) into an empty database. Everything is made up."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed: the same seed gives the same region (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--years",
            type=float,
            default=3,
            help="Years of history up to today (default 3; at most 10).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database has any organisation (what `make run` uses).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even without DEBUG. Demo data must never reach a real deployment by "
            "accident: only use this for a deliberate demonstration server.",
        )

    def handle(self, *args, seed: int, years: float, if_empty: bool, allow_production: bool, **_):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load demo data: DEBUG is off, so this looks like a real deployment. "
                "Run with DEBUG=1 for development, or add --allow-production for a server that "
                "is only ever a demonstration."
            )
        if not 0 < years <= 10:
            raise CommandError("--years must be more than 0 and at most 10.")
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("The database already has organisations: demo not loaded.")
                return
            raise CommandError(
                "The database already has organisations. The demo only loads into an empty "
                "database (use --if-empty to skip quietly)."
            )

        began = time.perf_counter()
        self.stdout.write(f"Generating the demo region (seed {seed}, {years:g} years to today)")
        region = generate_region(now=timezone.now(), seed=seed, years=years, progress=self._say)
        self.stdout.write("Writing it to the database")
        try:
            loaded = load_region(region, progress=self._say)
        except DemoLoadError as error:
            raise CommandError(str(error)) from error
        alerts = load_champions()
        self._say(f"Champions: the demo champion follows 4 wards and providers ({alerts} alerts)")
        national = load_national_statistics()
        if national is not None:
            self._say(f"National statistics: {national} published figures from {NATIONAL_FILES}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {loaded.records:,} use-of-force records ({loaded.interventions:,} "
                f"interventions) for {loaded.patients:,} patients on {loaded.wards} wards "
                f"in {time.perf_counter() - began:.1f} s."
            )
        )
        self.stdout.write(f"\nDemo logins (every password is {DEMO_PASSWORD}):\n")
        self.stdout.write(logins_table(region))

    def _say(self, message: str) -> None:
        self.stdout.write(f"  {message}")
