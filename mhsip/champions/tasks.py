"""The champions' scheduled work, as background tasks: never run inside a web request.

    watch_measures.enqueue()         raise new alerts on everything followed
    send_weekly_digests.enqueue()    send this week's digest to followers who have not had it

Both are safe to run as often as you like: an alert is raised once per follower and signal, a
digest sent once per person per week. Cron (or a systemd timer) runs `mhsip champions all`
daily, which queues both for `mhsip db_worker`; `mhsip champions watch --now` runs the watcher
in the command's own process instead. Tests run tasks at once (the immediate backend).
"""

from __future__ import annotations

from django_tasks import task

from mhsip.champions import digest, watch


@task()
def watch_measures() -> dict[str, int]:
    """Chart everything followed and raise the alerts that are new."""
    report = watch.watch()
    return {"follows": report.follows, "skipped": report.skipped, "raised": report.raised}


@task()
def send_weekly_digests() -> int:
    """Send this week's digest to every follower who has not had it; how many were sent."""
    return digest.send_weekly_digests()
