"""Follows and alerts for champions' tests, and a world whose wards give the watcher something
to find."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from mhsip.champions.models import Alert, Follow
from mhsip.incidents.models import UseOfForceRecord
from mhsip.patients.models import WardStay
from tests.factories.worlds import fill_ward, months_back


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory("tests.factories.accounts.UserFactory")
    ward = factory.SubFactory("tests.factories.organisations.WardFactory")
    provider = None


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    follower = factory.SubFactory("tests.factories.accounts.UserFactory")
    ward = factory.SubFactory("tests.factories.organisations.WardFactory")
    provider = None
    measure = "restrictive_interventions"
    kind = "special_cause_concern"
    period = "2026-05"
    key = factory.Sequence(lambda n: f"ward:W{n}:restrictive_interventions:concern:2026-05")
    message = factory.LazyAttribute(
        lambda a: (
            f"Restrictive interventions, {a.ward.name}: May 2026 is a special cause of "
            "concern: outside the control limits."
        )
    )


def jump_in_the_last_month(ward, *, seed: int = 1) -> None:
    """Thirty months of about 12 records a month, then about 40 in the last complete month:
    enough that the counts survive suppression and the jump is outside the limits."""
    fill_ward(ward, months=30, rates=(12.0, 40.0), step_at=29, seed=seed)


def steady(ward, *, seed: int = 3) -> None:
    """Thirty months of about 12 records a month (seed 3 happens to give no signal at all)."""
    fill_ward(ward, months=30, rates=(12.0, 12.0), seed=seed)


def stopped(ward, *, empty_months: int = 3, seed: int = 3) -> str:
    """Steady data that stops `empty_months` complete months ago: no records, every stay ended.
    Returns the first empty month (YYYY-MM)."""
    steady(ward, seed=seed)
    first_empty = months_back(empty_months)[0]
    UseOfForceRecord.objects.filter(ward=ward, started_at__gte=first_empty).delete()
    WardStay.objects.filter(ward=ward).update(ended_at=first_empty - timedelta(hours=1))
    return timezone.localtime(first_empty).strftime("%Y-%m")
