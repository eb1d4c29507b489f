"""The demo champion's follows and alerts: Fiona Greaves (login "champion", network ZZNC) follows
Northcliffe and Dales (ZZA) and three wards of the other providers, and the watcher is run as
if it had been running on the first of each of the last few months, so her alerts page has the
signals that started in that time, each raised when the watcher would have seen it.

Call after the region is loaded (`mhsip.demo.load.load_region`):

    from mhsip.demo.champions import load_champions
    load_champions()          # -> the number of alerts raised
"""

from __future__ import annotations

from datetime import date, datetime, time

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone

from mhsip.champions.models import Alert
from mhsip.champions.services import alert_acknowledge, follow
from mhsip.champions.watch import watch
from mhsip.organisations.models import Organisation, Ward

CHAMPION = "champion"
PROVIDERS = ["ZZA"]
WARDS = ["ZZB01-GANNET", "ZZB02-CURLEW", "ZZC01-PLOVER"]
#: Months of watching to replay: enough for a few alerts, quick enough to load.
MONTHS = 6


def _first_days(today: date, months: int) -> list[date]:
    this_month = np.datetime64(today, "M")
    firsts = np.arange(this_month - (months - 1), this_month + 1)
    return [f.astype("datetime64[D]").item() for f in firsts]


def load_champions(today: date | None = None, *, months: int = MONTHS) -> int:
    """Follow the demo wards as the demo champion and replay the watcher; returns how many
    alerts were raised. Does nothing (returns 0) without the demo champion."""
    champion = get_user_model().objects.filter(username=CHAMPION).first()
    if champion is None:
        return 0
    today = today or timezone.localdate()
    for provider in Organisation.objects.filter(code__in=PROVIDERS):
        follow(by=champion, provider=provider)
    for ward in Ward.objects.filter(code__in=WARDS):
        follow(by=champion, ward=ward)

    raised = 0
    for day in _first_days(today, months):
        report = watch(today=day)
        when = timezone.make_aware(datetime.combine(day, time(6, 15)))
        Alert.objects.filter(pk__in=[a.pk for a in report.alerts]).update(created_at=when)
        raised += report.raised

    # One alert already dealt with, so the page shows both lists.
    alerts = Alert.objects.filter(follower=champion)
    oldest = alerts.order_by("created_at", "pk").first()
    if oldest is not None and not alerts.filter(acknowledged_at__isnull=False).exists():
        alert_acknowledge(
            by=champion,
            alert=oldest,
            note="Talked it through with the ward manager at the network huddle; watching it.",
        )
    return raised
