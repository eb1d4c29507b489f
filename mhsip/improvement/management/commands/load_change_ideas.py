"""`mhsip load_change_ideas`: add or update the library's change ideas from its data file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mhsip.improvement.library import LibraryError, load_library


class Command(BaseCommand):
    help = (
        "Load the change-idea library (mhsip/improvement/data/change_ideas.toml): new ideas "
        "are added and changed ones updated. A migration does this on a new database."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                added, updated = load_library()
        except LibraryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Change-idea library: {added} added, {updated} updated.")
