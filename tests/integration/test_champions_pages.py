"""Champions' pages through URLs and middleware: following within what a role lets you see,
alerts only for their owner, acknowledging with a note (audited)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from mhsip.auditing.models import AuditEvent
from mhsip.champions.models import Alert, Follow
from mhsip.dashboards.queries import Level
from tests.factories.champions import AlertFactory, FollowFactory
from tests.factories.organisations import (
    MembershipFactory,
    NetworkFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    network = NetworkFactory(code="ZZNC")
    provider = ProviderFactory(parent=network, code="ZZA", name="Zephyr Health")
    oak = WardFactory(site=SiteFactory(parent=provider), code="OAK", name="Oak Ward")
    elsewhere = ProviderFactory(code="ZZB", name="Yonder Trust")  # another network
    far = WardFactory(site=SiteFactory(parent=elsewhere), code="FAR", name="Far Ward")
    champion = MembershipFactory(role="champion", organisation=network).user
    return {
        "network": network,
        "provider": provider,
        "oak": oak,
        "elsewhere": elsewhere,
        "far": far,
        "champion": champion,
    }


def test_the_following_page_lists_only_what_the_champion_may_see(client, world):
    client.force_login(world["champion"])

    html = client.get(reverse("champions:following")).content.decode()

    assert "Oak Ward" in html and "Zephyr Health" in html
    assert "Far Ward" not in html and "Yonder Trust" not in html


def test_a_champion_follows_and_unfollows_a_ward_and_it_is_audited(client, world):
    client.force_login(world["champion"])

    followed = client.post(reverse("champions:follow"), {"level": "ward", "code": "OAK"})
    assert followed.status_code == 302
    assert Follow.objects.filter(follower=world["champion"], ward=world["oak"]).exists()
    assert "Stop following" in client.get(reverse("champions:following")).content.decode()

    client.post(reverse("champions:unfollow"), {"level": "ward", "code": "OAK"})

    assert not Follow.objects.exists()
    actions = list(AuditEvent.objects.filter(actor=world["champion"]).values_list("action"))
    assert ("champions.follow",) in actions and ("champions.unfollow",) in actions


def test_a_champion_follows_a_provider(client, world):
    client.force_login(world["champion"])

    client.post(reverse("champions:follow"), {"level": "provider", "code": "ZZA"})

    assert Follow.objects.get().provider == world["provider"]


@pytest.mark.parametrize(
    ("level", "code"), [("ward", "FAR"), ("provider", "ZZB"), ("provider", "ZZNC")]
)
def test_a_champion_cannot_follow_outside_their_network_or_a_network(client, world, level, code):
    client.force_login(world["champion"])

    response = client.post(reverse("champions:follow"), {"level": level, "code": code})

    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_following_goes_back_to_a_page_of_this_site_only(client, world):
    client.force_login(world["champion"])
    data = {"level": "ward", "code": "OAK"}

    here = client.post(reverse("champions:follow"), {**data, "next": "/dashboards/ward/OAK/"})
    away = client.post(reverse("champions:unfollow"), {**data, "next": "https://evil.test/"})

    assert here.url == "/dashboards/ward/OAK/"
    assert away.url == reverse("champions:following")


@pytest.mark.parametrize("role", ["ward_manager", "qi_lead", "patient_representative"])
def test_people_who_cannot_follow_are_refused(client, world, role):
    user = MembershipFactory(role=role, organisation=world["provider"]).user
    client.force_login(user)

    assert client.get(reverse("champions:alerts")).status_code == 403
    assert client.get(reverse("champions:following")).status_code == 403
    client.post(reverse("champions:follow"), {"level": "ward", "code": "OAK"})
    assert not Follow.objects.exists()


def test_the_alerts_page_shows_your_alerts_with_a_link_to_the_chart(client, world):
    mine = AlertFactory(follower=world["champion"], ward=world["oak"])
    client.force_login(world["champion"])

    html = client.get(reverse("champions:alerts")).content.decode()

    assert mine.message in html
    assert reverse("dashboards:measure", args=["ward", "OAK", mine.measure]) in html
    assert reverse("champions:acknowledge", args=[mine.pk]) in html


def test_no_one_else_sees_or_acknowledges_your_alerts(client, world):
    mine = AlertFactory(follower=world["champion"], ward=world["oak"])
    other = MembershipFactory(role="champion", organisation=world["network"]).user
    client.force_login(other)

    html = client.get(reverse("champions:alerts")).content.decode()
    page = client.get(reverse("champions:acknowledge", args=[mine.pk]))
    post = client.post(reverse("champions:acknowledge", args=[mine.pk]), {"note": "Mine now"})

    assert mine.message not in html
    assert page.status_code == post.status_code == 404
    mine.refresh_from_db()
    assert not mine.acknowledged


def test_acknowledging_an_alert_keeps_the_note_and_is_audited(client, world):
    alert = AlertFactory(follower=world["champion"], ward=world["oak"])
    client.force_login(world["champion"])

    response = client.post(
        reverse("champions:acknowledge", args=[alert.pk]),
        {"note": "Spoke to the ward manager: two new starters that month."},
    )

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == world["champion"]
    assert alert.note.startswith("Spoke to the ward manager")
    event = AuditEvent.objects.get(action="champions.alert_acknowledge")
    assert event.object_id == str(alert.pk) and event.provider == world["provider"]
    html = client.get(reverse("champions:alerts")).content.decode()
    assert "two new starters" in html  # listed under "Acknowledged"


def test_acknowledging_needs_a_note(client, world):
    alert = AlertFactory(follower=world["champion"], ward=world["oak"])
    client.force_login(world["champion"])

    response = client.post(reverse("champions:acknowledge", args=[alert.pk]), {"note": "  "})

    assert response.status_code == 200
    assert "Say what you did about this alert" in response.content.decode()
    assert not Alert.objects.get().acknowledged


def test_an_alert_is_acknowledged_once(client, world):
    alert = AlertFactory(follower=world["champion"], ward=world["oak"])
    client.force_login(world["champion"])
    url = reverse("champions:acknowledge", args=[alert.pk])
    client.post(url, {"note": "First"})

    client.post(url, {"note": "Second"})

    alert.refresh_from_db()
    assert alert.note == "First"
    assert AuditEvent.objects.filter(action="champions.alert_acknowledge").count() == 1


def test_alerts_about_places_you_can_no_longer_see_are_hidden(client, world):
    alert = AlertFactory(follower=world["champion"], ward=world["far"])
    client.force_login(world["champion"])

    assert alert.message not in client.get(reverse("champions:alerts")).content.decode()


class _Target:
    def __init__(self, level, code):
        self.level, self.code = level, code


def _button(user, level, code) -> str:
    request = RequestFactory().get("/dashboards/ward/OAK/")
    request.user = user
    template = Template("{% load champions %}{% follow_button target %}")
    return template.render(Context({"request": request, "target": _Target(level, code)}))


def test_the_follow_button_shows_for_people_who_may_follow(world):
    champion = world["champion"]

    assert "Follow<" in _button(champion, Level.WARD, "OAK")
    FollowFactory(follower=champion, ward=world["oak"])
    assert "Stop following" in _button(champion, Level.WARD, "OAK")
    assert 'name="next" value="/dashboards/ward/OAK/"' in _button(champion, "ward", "OAK")


def test_the_follow_button_is_absent_where_you_may_not_follow(world):
    manager = MembershipFactory(role="ward_manager", ward=world["oak"]).user

    assert _button(manager, "ward", "OAK") == ""
    assert _button(world["champion"], "ward", "FAR") == ""
    assert _button(world["champion"], "network", "ZZNC") == ""
