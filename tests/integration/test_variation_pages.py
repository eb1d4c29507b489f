"""Variation and equality pages through URLs and middleware: exact figures inside the provider,
suppressed ones outside it, refusals, and never a patient."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from mhsip.patients.models import Patient
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward

pytestmark = pytest.mark.django_db

# Argon2 takes a fifth of a second a user by design; these people sign in with force_login.
FAST_PASSWORDS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORDS["PASSWORD_HASHERS"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Three adult acute wards (busy, middling, quiet) and a PICU; a third of the patients
    Black or Black British. Made once, rolled back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(**FAST_PASSWORDS):
        provider = ProviderFactory(code="ZZQ", name="Quayside NHS Trust")
        site = SiteFactory(parent=provider)
        wards = {}
        for seed, (code, ward_type, rate) in enumerate(
            [("OAK", "adult_acute", 12.0), ("ELM", "adult_acute", 30.0),
             ("ASH", "adult_acute", 0.3), ("YEW", "picu", 10.0)], start=1
        ):  # fmt: skip
            wards[code] = WardFactory(
                site=site, code=code, name=f"{code.title()} Ward", ward_type=ward_type
            )
            fill_ward(wards[code], months=14, rates=(rate, rate), seed=seed)
        for patient in Patient.objects.filter(provider=provider)[::3]:
            patient.ethnicity = "N"
            patient.save()
        yield {"provider": provider, "network": provider.parent, "wards": wards}
        transaction.set_rollback(True)


def sign_in(client, role, **where):
    user = MembershipFactory(role=role, **where).user
    client.force_login(user)
    return user


def page(client, name, level, code, query=""):
    return client.get(reverse(f"variation:{name}", args=[level, code]) + query)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_qi_lead_reads_the_funnel_with_exact_figures(client, world):
    sign_in(client, "qi_lead", organisation=world["provider"])

    response = page(client, "funnel", "provider", "ZZQ")

    html = text(response)
    assert response.status_code == 200
    assert "What the funnel says" in html and 'id="funnel-spec"' in html
    assert "3 wards compared: adult acute wards in Quayside NHS Trust" in html
    assert "Above the upper 99.8% limit: Elm Ward" in html
    assert "Below the lower 99.8% limit: Ash Ward" in html and "under-recorded" in html
    assert "Figures here are suppressed" not in html
    assert 'href="/variation/"' in html  # the header's link


def test_network_lead_sees_suppressed_figures_and_unplotted_units(client, world):
    sign_in(client, "network_lead", organisation=world["network"])

    response = page(client, "funnel", "provider", "ZZQ")

    html = text(response)
    assert response.status_code == 200
    assert "Figures here are suppressed" in html
    # Ash Ward records about 4 a year: fewer than 5, so suppressed and not plotted.
    assert "Suppressed and not plotted: Ash Ward" in html
    spec = re.search(r'id="funnel-spec" type="application/json">(.*?)</script>', html).group(1)
    assert "Ash Ward" not in spec.split('"units"')[-1].split('"labels"')[0]


def test_network_compares_providers(client, world):
    sign_in(client, "network_lead", organisation=world["network"])

    response = page(client, "funnel", "network", world["network"].code, "?peer=all")

    assert response.status_code == 200 and "Quayside NHS Trust" in text(response)


def test_bad_options_fall_back_to_the_defaults(client, world):
    sign_in(client, "qi_lead", organisation=world["provider"])

    response = page(
        client, "funnel", "provider", "ZZQ", "?measure=hugs&months=abc&peer=moon&unit=x"
    )

    assert response.status_code == 200
    assert "Restrictive interventions per 1,000 occupied bed days" in text(response)


def test_bright_spots_and_recording_checks(client, world):
    sign_in(client, "qi_lead", organisation=world["provider"])

    spots = text(page(client, "bright-spots", "provider", "ZZQ"))
    checks = text(page(client, "data-quality", "provider", "ZZQ"))

    assert 'id="bright-spot-ASH"' in spots and "Check recording first" in spots
    assert "No changes recorded yet." in spots
    assert 'id="flagged-ASH"' in checks and "For review" in checks


def test_inequalities_inside_the_provider(client, world):
    sign_in(client, "qi_lead", organisation=world["provider"])

    response = page(client, "inequalities", "provider", "ZZQ")

    html = text(response)
    assert response.status_code == 200
    assert 'id="table-restrictive_interventions"' in html and 'id="table-seclusion"' in html
    assert "Black or Black British" in html and "times the rate of White" in html
    assert 'id="rates-spec"' in html and 'id="trend-spec"' in html
    assert "Every characteristic at a glance" in html


@pytest.mark.parametrize("characteristic", ["age_band", "nonsense"])
def test_every_characteristic_can_be_shown(client, world, characteristic):
    sign_in(client, "qi_lead", organisation=world["provider"])

    response = page(
        client, "inequalities", "ward", "OAK", f"?characteristic={characteristic}&by=year"
    )

    assert response.status_code == 200


def test_patient_representative_sees_a_wards_suppressed_inequalities_and_no_patient(client, world):
    sign_in(client, "patient_representative", ward=world["wards"]["OAK"])

    response = page(client, "inequalities", "ward", "OAK")

    html = text(response)
    assert response.status_code == 200 and "Figures here are suppressed" in html
    aliases = Patient.objects.filter(stays__ward=world["wards"]["OAK"]).values_list(
        "alias", flat=True
    )
    assert not any(alias in html for alias in aliases)
    assert page(client, "funnel", "ward", "OAK").status_code == 404  # wards compare wards


@pytest.mark.parametrize("name", ["funnel", "bright-spots", "data-quality", "inequalities"])
def test_refusals(client, world, name):
    assert page(client, name, "provider", "ZZQ").status_code == 302  # signed out: sign in
    sign_in(client, "ward_staff", ward=WardFactory())
    assert page(client, name, "provider", "ZZQ").status_code == 403
    assert page(client, name, "galaxy", "ZZQ").status_code == 404
    assert page(client, name, "provider", "NOPE").status_code == 404


def test_dashboards_link_to_the_pages(client, world):
    sign_in(client, "qi_lead", organisation=world["provider"])

    provider = text(client.get(reverse("dashboards:summary", args=["provider", "ZZQ"])))
    ward = text(client.get(reverse("dashboards:summary", args=["ward", "OAK"])))

    assert 'href="/variation/provider/ZZQ/funnel/"' in provider
    assert 'href="/variation/ward/OAK/inequalities/"' in ward
    index = text(client.get(reverse("variation:index")))
    assert "Quayside NHS Trust" in index and "Oak Ward" in index
