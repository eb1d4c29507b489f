"""The demo champion: follows a provider and some wards, and has alerts to show after the
watcher is replayed over the last months of a generated region."""

from datetime import UTC, datetime

import pytest

from mhsip.champions.models import Alert, Follow
from mhsip.demo.champions import load_champions
from mhsip.demo.generate import generate_region
from mhsip.demo.load import load_region

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_champion_follows_wards_and_has_alerts():
    load_region(generate_region(now=NOW, seed=1, years=2))

    raised = load_champions(NOW.date(), months=4)

    follows = Follow.objects.filter(follower__username="champion")
    assert follows.filter(provider__code="ZZA").exists()
    assert follows.filter(ward__isnull=False).count() == 3
    alerts = Alert.objects.filter(follower__username="champion")
    assert raised == alerts.count() > 0
    assert alerts.filter(acknowledged_at__isnull=False).count() == 1
    assert load_champions(NOW.date(), months=4) == 0  # raised once, however often it runs


def test_without_the_demo_loaded_nothing_happens():
    assert load_champions() == 0
