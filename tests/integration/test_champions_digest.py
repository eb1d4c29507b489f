"""The weekly digest: what it lists, its links to the charts, once a week per person, and that
it carries no patient-level data and no figures (so no unsuppressed small count), over
generated worlds."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mhsip.champions.digest import send_digest, send_weekly_digests, week_of
from mhsip.champions.models import Alert, DigestSent
from mhsip.champions.tasks import send_weekly_digests as send_task
from mhsip.champions.tasks import watch_measures
from mhsip.measures import load_catalogue
from tests.factories.champions import AlertFactory, FollowFactory
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.world import build_world
from tests.factories.worlds import fill_ward
from tests.integration.network_leaks import assert_no_leaks

pytestmark = pytest.mark.django_db


@pytest.fixture
def champion(settings):
    settings.MHSIP_SITE_URL = "https://mhsip.example.nhs.uk"
    provider = ProviderFactory(code="ZZA")
    oak = WardFactory(site=SiteFactory(parent=provider), code="OAK", name="Oak Ward")
    person = MembershipFactory(role="champion", organisation=provider.parent).user
    person.email = "chidi@example.nhs.uk"
    person.save()
    FollowFactory(follower=person, ward=oak)
    return person, oak


def test_the_digest_lists_new_and_waiting_alerts_with_links_to_the_charts(champion):
    person, oak = champion
    new = AlertFactory(follower=person, ward=oak)
    waiting = AlertFactory(follower=person, ward=oak, measure="seclusion", period="2026-03")
    Alert.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=30))
    done = AlertFactory(follower=person, ward=oak, measure="prone_restraint", note="Sorted")
    Alert.objects.filter(pk=done.pk).update(
        created_at=timezone.now() - timedelta(days=30), acknowledged_at=timezone.now()
    )

    assert send_task.enqueue().return_value == 1

    (message,) = mail.outbox
    assert message.to == ["chidi@example.nhs.uk"]
    text = message.body
    assert text.index("NEW THIS WEEK") < text.index(new.message) < text.index("STILL WAITING")
    assert "https://mhsip.example.nhs.uk/dashboards/ward/OAK/restrictive_interventions/" in text
    assert "https://mhsip.example.nhs.uk/dashboards/ward/OAK/seclusion/" in text
    assert "prone_restraint" not in text  # acknowledged and old: nothing to say about it
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert 'href="https://mhsip.example.nhs.uk/dashboards/ward/OAK/seclusion/"' in html


def test_a_digest_goes_once_a_week(champion):
    person, oak = champion
    AlertFactory(follower=person, ward=oak)
    today = timezone.localdate()

    sent = [send_weekly_digests(today) for _ in range(2)]
    next_week = send_weekly_digests(today + timedelta(days=7))

    assert sent == [1, 0]
    assert next_week == 1  # the alert is still waiting to be acknowledged
    assert len(mail.outbox) == 2
    assert list(DigestSent.objects.values_list("week", flat=True).order_by("week")) == [
        week_of(today),
        week_of(today) + timedelta(days=7),
    ]


def test_the_second_digest_lists_only_what_is_new_since_the_first(champion):
    person, oak = champion
    first = AlertFactory(follower=person, ward=oak)
    today = timezone.localdate()
    send_digest(person, today=today)
    Alert.objects.filter(pk=first.pk).update(acknowledged_at=timezone.now())
    second = AlertFactory(
        follower=person, ward=oak, measure="seclusion", message="Seclusion, Oak Ward: concern."
    )

    send_digest(person, today=today + timedelta(days=7))

    body = mail.outbox[-1].body
    assert second.message in body and first.message not in body


def test_no_digest_when_there_is_nothing_to_say_or_no_address(champion):
    person, oak = champion

    assert send_weekly_digests() == 0
    person.email = ""
    person.save()
    AlertFactory(follower=person, ward=oak)
    assert send_weekly_digests() == 0
    assert mail.outbox == []


# --- Nothing leaks ----------------------------------------------------------------------------

MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{4}"
)


def figures_in(text: str) -> list[str]:
    """Every number in the text that is not part of a link, a month, or a measure's name."""
    for name in sorted((m.name for m in load_catalogue().values()), key=len, reverse=True):
        text = text.replace(name, "")
    text = re.sub(r"https?://\S+", "", text)
    text = re.sub(MONTH, "", text)
    text = re.sub(r"\b\d{4}-\d{2}\b", "", text)
    return re.findall(r"\d+(?:[.,]\d+)?", text)


def test_the_figures_check_finds_figures_outside_names_months_and_links():
    text = "Restrictive interventions, Oak Ward: 3 in May 2026, 12.5 a week https://x.test/7/"

    assert figures_in(text) == ["3", "12.5"]


@pytest.mark.parametrize(
    ("rates", "seed"),
    [((12.0, 40.0), 1), ((3.0, 9.0), 2), ((1.0, 6.0), 3), ((20.0, 2.0), 4)],
)
def test_a_digest_from_a_generated_world_leaks_no_patient_data_and_no_figures(rates, seed):
    world = build_world()
    for index, key in enumerate(["A1", "B1"]):
        fill_ward(world.wards[key], months=24, rates=rates, step_at=23, seed=seed + index)
    person = world.users["champion"]
    person.email = "champion@example.nhs.uk"
    person.save()
    FollowFactory(follower=person, ward=world.wards["A1"])
    FollowFactory(follower=person, ward=None, provider=world.providers["B"])
    watch_measures.enqueue()
    AlertFactory(follower=person, ward=world.wards["A2"])  # at least one alert to send

    send_weekly_digests()

    (message,) = mail.outbox
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert_no_leaks(text, world)  # the network's check: markers, references, small counts
        # Stricter still: a digest carries no figures at all.
        assert figures_in(re.sub(r"<[^>]+>", " ", text)) == []
