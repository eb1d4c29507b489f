"""The `load_demo` command: its guards, and what it prints."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mhsip.incidents.models import UseOfForceRecord
from mhsip.organisations.models import Organisation
from tests.factories.organisations import NetworkFactory

pytestmark = pytest.mark.django_db

SMALL = {"years": 0.1, "seed": 4}


@pytest.fixture
def development(settings):
    # pytest-django runs tests with DEBUG off; the command is for development machines.
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def load_demo(*args, **options) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out, **{**SMALL, **options})
    return out.getvalue()


def test_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        load_demo()

    assert not Organisation.objects.exists()


def test_allow_production_loads_without_debug(settings):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    load_demo("--allow-production")

    assert Organisation.objects.filter(code="ZZNC").exists()


def test_loads_and_prints_progress_and_the_logins(development):
    output = load_demo()

    assert "Wards: 12/12" in output
    assert "Records:" in output
    assert "mhsip-demo-2026" in output
    for username in ("nurse", "manager", "qilead", "responsible", "networklead", "champion"):
        assert f"\n{username} " in output
    assert UseOfForceRecord.objects.exists()


def test_if_empty_loads_once_then_does_nothing(development):
    load_demo("--if-empty")
    records = UseOfForceRecord.objects.count()

    output = load_demo("--if-empty")

    assert "demo not loaded" in output
    assert UseOfForceRecord.objects.count() == records
    assert Organisation.objects.filter(code="ZZNC").count() == 1


def test_if_empty_leaves_a_real_database_alone(development):
    NetworkFactory()

    output = load_demo("--if-empty")

    assert "demo not loaded" in output
    assert Organisation.objects.count() == 1


def test_refuses_a_database_that_has_organisations(development):
    NetworkFactory()

    with pytest.raises(CommandError, match="empty database"):
        load_demo()


def test_refuses_silly_years(development):
    with pytest.raises(CommandError, match="years"):
        load_demo(years=0)
