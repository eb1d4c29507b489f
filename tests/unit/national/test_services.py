"""Importing published files into the database, and matching provider names."""

from __future__ import annotations

import pytest

from mhsip.auditing.models import AuditEvent
from mhsip.imports.models import ImportStatus
from mhsip.national.models import MatchMethod, PublishedFigure, PublishedProvider
from mhsip.national.services import (
    UploadedFile,
    comparable_name,
    national_import,
    published_provider_match,
)
from tests.factories.accounts import UserFactory
from tests.factories.organisations import ProviderFactory, SiteFactory

pytestmark = pytest.mark.django_db

RSTR = UploadedFile(
    "rstr01_Sep_2021.csv",
    b'01/09/2021,"TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST",MHS76,95\n'
    b"01/09/2021,ISLE OF WIGHT NHS TRUST,MHS76,*\n",
)


def test_import_keeps_figures_and_suppression():
    run = national_import(files=[RSTR])

    assert run.status == ImportStatus.FINISHED
    assert run.counts["figures added"] == 2
    figures = {f.provider.name: f for f in PublishedFigure.objects.select_related("provider")}
    assert figures["TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST"].value == 95
    assert figures["ISLE OF WIGHT NHS TRUST"].suppressed
    assert AuditEvent.objects.filter(action="national_statistics.import").exists()


def test_reimport_changes_only_what_changed():
    national_import(files=[RSTR])
    corrected = UploadedFile(RSTR.name, RSTR.data.replace(b"MHS76,95", b"MHS76,100"))

    run = national_import(files=[corrected])

    assert run.counts["figures added"] == 0
    assert run.counts["figures changed"] == 1 and run.counts["figures unchanged"] == 1
    assert PublishedFigure.objects.count() == 2
    assert PublishedFigure.objects.filter(value=100).exists()


def test_all_or_nothing_keeps_nothing_when_a_row_is_bad():
    bad = UploadedFile("rstr.csv", RSTR.data + b"01/09/2021,A TRUST,MHS76,lots\n")

    run = national_import(files=[bad], all_or_nothing=True)

    assert run.status == ImportStatus.REFUSED
    assert PublishedFigure.objects.count() == 0


def test_bad_rows_are_left_out_and_good_rows_kept():
    bad = UploadedFile("rstr.csv", RSTR.data + b"01/09/2021,A TRUST,MHS76,lots\n")

    run = national_import(files=[bad])

    assert run.status == ImportStatus.FINISHED_WITH_PROBLEMS
    assert run.rows_rejected == 1 and PublishedFigure.objects.count() == 2
    assert "rstr.csv, row 3, value" in str(run.problem_list()[0])


@pytest.mark.parametrize(
    ("ours", "published"),
    [
        (
            "Tees, Esk and Wear Valleys NHS Foundation Trust",
            "TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST",
        ),
        ("Isle of Wight NHS Trust", "ISLE OF WIGHT NHS TRUST"),
        ("Oxleas NHS Foundation Trust", "OXLEAS NHS TRUST"),
        (
            "Barnet, Enfield & Haringey Mental Health",
            "BARNET, ENFIELD AND HARINGEY MENTAL HEALTH NHS TRUST",
        ),
    ],
)
def test_names_compare_ignoring_case_punctuation_and_trust_endings(ours, published):
    assert comparable_name(ours) == comparable_name(published)


def test_different_providers_do_not_compare_equal():
    assert comparable_name("Oxleas NHS Foundation Trust") != comparable_name("Oxford Health NHS FT")


def test_import_matches_names_to_one_provider():
    tees = ProviderFactory(name="Tees, Esk and Wear Valleys NHS Foundation Trust")

    national_import(files=[RSTR])

    matched = PublishedProvider.objects.get(organisation__isnull=False)
    assert matched.organisation == tees and matched.matched_by == MatchMethod.NAME


def test_two_providers_with_the_same_name_are_left_to_match_by_hand():
    ProviderFactory(name="Isle of Wight NHS Trust")
    ProviderFactory(name="ISLE OF WIGHT NHS FOUNDATION TRUST")

    national_import(files=[RSTR])

    assert not PublishedProvider.objects.filter(organisation__isnull=False).exists()


def test_match_by_hand_is_audited_and_refuses_a_site():
    national_import(files=[RSTR])
    provider = ProviderFactory(name="Island Health")
    published = PublishedProvider.objects.get(name="ISLE OF WIGHT NHS TRUST")
    user = UserFactory()

    published_provider_match(by=user, provider=published, organisation=provider)

    published.refresh_from_db()
    assert published.organisation == provider and published.matched_by == MatchMethod.MANUAL
    assert AuditEvent.objects.filter(action="published_provider.match", actor=user).exists()
    with pytest.raises(ValueError):
        published_provider_match(by=user, provider=published, organisation=SiteFactory())
