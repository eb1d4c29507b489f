"""`mhsip champions`: the champions' scheduled work, for cron to call.

    mhsip champions watch [--now]     raise new alerts on everything followed
    mhsip champions digest [--now]    send this week's digests (once per person per week)
    mhsip champions all [--now]       both, the watcher first

Without --now the work is queued as background tasks for `mhsip db_worker`; with it, it runs in
this process. Either way it never runs inside a web request, and running it again raises no
alert twice and sends no second digest in the same week. A daily crontab line is enough:

    15 6 * * *  cd /srv/mhsip && .venv/bin/mhsip champions all
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from mhsip.champions.tasks import send_weekly_digests, watch_measures

JOBS = {"watch": [watch_measures], "digest": [send_weekly_digests]}
JOBS["all"] = JOBS["watch"] + JOBS["digest"]


class Command(BaseCommand):
    help = "Raise champions' alerts and send their weekly digests (queued, or --now)."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS), help="what to run")
        parser.add_argument(
            "--now", action="store_true", help="run in this process instead of queueing"
        )

    def handle(self, *args, job: str, now: bool, **options):
        for work in JOBS[job]:
            name = work.name
            if now:
                self.stdout.write(f"{name}: {work.call()}")
            else:
                result = work.enqueue()
                self.stdout.write(f"{name}: queued as task {result.id} ({result.status})")
