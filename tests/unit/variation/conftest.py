"""A provider's wards made in bulk (tests.factories.worlds.fill_ward), for the presenters: made
once for the package inside a transaction that is rolled back at its end; each test runs in its
own savepoint inside it, so a test that changes the world changes it for itself only.

oak    adult acute   20 a month, then 8 from month 14: a sustained improvement, and low
elm    adult acute   30 a month: high
ash    adult acute   10 a month
birch  adult acute    1 a month: low
yew    PICU          12 a month: no other PICU to compare with
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from mhsip.dashboards.presenters import Target
from mhsip.dashboards.queries import Level, groups_for
from tests.factories.organisations import ProviderFactory, SiteFactory, WardFactory
from tests.factories.worlds import fill_ward

PLAN = [
    ("oak", "adult_acute", (20.0, 8.0)),
    ("elm", "adult_acute", (30.0, 30.0)),
    ("ash", "adult_acute", (10.0, 10.0)),
    ("birch", "adult_acute", (1.0, 1.0)),
    ("yew", "picu", (12.0, 12.0)),
]


@pytest.fixture(scope="package")
def provider_world(django_db_setup, django_db_blocker):
    # Argon2 takes a fifth of a second a user by design; fill_ward makes one per ward.
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=fast),
    ):
        yield build_world()
        transaction.set_rollback(True)


def build_world() -> dict:
    provider = ProviderFactory(code="ZZV", name="Vale NHS Trust")
    site = SiteFactory(parent=provider)
    wards = {}
    for seed, (key, ward_type, rates) in enumerate(PLAN, start=1):
        wards[key] = WardFactory(
            site=site, code=key.upper(), name=f"{key.title()} Ward", ward_type=ward_type
        )
        fill_ward(wards[key], months=24, rates=rates, step_at=14, seed=seed)
    return {"provider": provider, "network": provider.parent, "wards": wards}


def make_target(organisation, *, exact: bool, level: Level = Level.PROVIDER) -> Target:
    group = groups_for(level, organisation.code)[0]
    return Target(level, organisation.code, organisation.name, group, exact, None, organisation)


@pytest.fixture
def target_for():
    return make_target
