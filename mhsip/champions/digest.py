"""The weekly digest: one e-mail a week to each follower with something to read, listing the
alerts raised since their last digest and the older ones not yet acknowledged, each with a
link to its chart.

A digest leaves the provider by definition (it goes to someone's inbox), so it carries no
figures at all: a measure's name, a ward, a month and the rule that fired, and the link. The
chart behind the link shows the figures the reader may see, suppressed outside the provider.

Sent by `mhsip.champions.tasks.send_weekly_digests`, never in a web request, through Django's
e-mail framework (the console backend unless EMAIL_BACKEND says otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mhsip.champions.models import DigestSent, Follow
from mhsip.champions.queries import Digest, digest_for
from mhsip.champions.watch import chart_path

#: A digest looks back this far for someone who has never had one.
FIRST_DIGEST_LOOKS_BACK = timedelta(days=7)


def week_of(day: date) -> date:
    """The Monday starting the week that holds `day`."""
    return day - timedelta(days=day.weekday())


def site_link(path: str) -> str:
    return settings.MHSIP_SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class DigestItem:
    title: str
    message: str
    period: str
    link: str


def _items(alerts) -> list[DigestItem]:
    return [
        DigestItem(
            title=a.get_kind_display(),
            message=a.message,
            period=a.period,
            link=site_link(chart_path(a)),
        )
        for a in alerts
    ]


def render_digest(digest: Digest) -> tuple[str, str, str]:
    """The subject, plain text and HTML of a digest."""
    context = {
        "recipient": digest.recipient,
        "new": _items(digest.new),
        "unacknowledged": _items(digest.unacknowledged),
        "alerts_link": site_link(reverse("champions:alerts")),
        "following_link": site_link(reverse("champions:following")),
    }
    subject = "mhsip: your weekly alerts digest"
    text = render_to_string("champions/email/digest.txt", context)
    html = render_to_string("champions/email/digest.html", context)
    return subject, text, html


def send_digest(user, *, today: date, now: datetime | None = None) -> DigestSent | None:
    """Send `user` this week's digest unless they have had it, or there is nothing to say."""
    week = week_of(today)
    if not user.email or DigestSent.objects.filter(recipient=user, week=week).exists():
        return None
    now = now or timezone.now()
    last = DigestSent.objects.filter(recipient=user).order_by("-sent_at").first()
    since = last.sent_at if last else now - FIRST_DIGEST_LOOKS_BACK
    digest = digest_for(user, since)
    if digest.empty:
        return None
    subject, text, html = render_digest(digest)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    with transaction.atomic():
        # Written before sending: should sending fail, the transaction rolls back and the next
        # run tries again; a second worker racing this one fails on the unique week instead of
        # sending twice.
        sent = DigestSent.objects.create(
            recipient=user, week=week, alerts=len(digest.new) + len(digest.unacknowledged)
        )
        message.send()
    return sent


def send_weekly_digests(today: date | None = None) -> int:
    """Send this week's digest to every follower who has not had it; returns how many went."""
    today = today or timezone.localdate()
    followers = get_user_model().objects.filter(
        pk__in=Follow.objects.values("follower"), is_active=True
    )
    return sum(send_digest(user, today=today) is not None for user in followers.order_by("pk"))
