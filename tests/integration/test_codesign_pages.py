"""Co-design through the pages: the public share-an-idea link, moderation, comments, support,
and a post becoming a change idea that credits the people who shaped it."""

import pytest
from django.urls import reverse

from mhsip.improvement import services
from mhsip.improvement.models import ChangeIdea, CodesignPost, PostStatus, ShareLink
from tests.factories.improvement import make_project
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    site = SiteFactory(parent=ProviderFactory(code="ZZA"))
    oak = WardFactory(site=site, code="OAK", name="Oak Ward")
    elm = WardFactory(site=site, code="ELM", name="Elm Ward")

    def member(role, ward):
        return MembershipFactory(role=role, ward=ward).user

    return {
        "oak": oak,
        "manager": member("ward_manager", oak),
        "nurse": member("ward_staff", oak),
        "rep": member("patient_representative", oak),
        "elm_manager": member("ward_manager", elm),
    }


def _share_url(world):
    token = services.share_link_for(by=world["manager"], ward=world["oak"]).token
    return reverse("improvement:share-idea", args=[token])


def test_the_ward_manager_prints_the_share_link_with_a_qr_code(client, world):
    client.force_login(world["manager"])
    response = client.get(reverse("improvement:share-link", args=["OAK"]))
    html = response.content.decode()
    link = ShareLink.objects.get(ward=world["oak"])
    assert response.status_code == 200
    assert f"/improvement/share/{link.token}/" in html
    assert 'src="data:image/svg+xml;base64,' in html


def test_rotating_the_link_retires_the_old_one(client, world):
    old_url = _share_url(world)
    client.force_login(world["manager"])
    client.post(reverse("improvement:share-link", args=["OAK"]))
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(_share_url(world)).status_code == 200


@pytest.mark.parametrize("who", ["nurse", "rep", "elm_manager"])
def test_only_the_wards_moderators_see_or_rotate_the_link(client, world, who):
    client.force_login(world[who])
    url = reverse("improvement:share-link", args=["OAK"])
    expected = 404 if who == "elm_manager" else 403
    assert client.get(url).status_code == expected
    assert client.post(url).status_code == expected


def test_a_patient_shares_an_idea_without_an_account_or_a_name(client, world):
    url = _share_url(world)
    page = client.get(url)
    assert page.status_code == 200 and "Oak Ward" in page.content.decode()
    assert "Sign out" not in page.content.decode()

    response = client.post(
        url,
        {
            "kind": "idea",
            "title": "Music after tea",
            "body": "Quiet music would help",
            "author_role": "patient",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    assert "Thank you" in client.get(response["Location"]).content.decode()
    post = CodesignPost.objects.get()
    assert post.status == PostStatus.PENDING and post.author is None and post.author_name == ""


def test_the_public_form_names_every_missing_answer(client, world):
    html = client.post(_share_url(world), {}).content.decode()
    for message in [
        "Say whether this is a problem or an idea",
        "Say in a few words what it is about",
        "Tell us more about the problem or the idea",
        "Say whether you are a patient, a carer, staff or someone else",
    ]:
        assert message in html
    assert 'href="#id_kind"' in html
    assert not CodesignPost.objects.exists()


def test_an_unknown_link_is_not_found(client, world):
    assert client.get(reverse("improvement:share-idea", args=["not-a-token"])).status_code == 404


def test_waiting_posts_are_shown_to_moderators_only_and_published_by_them(client, world):
    client.post(
        _share_url(world),
        {
            "kind": "problem",
            "title": "Loud nights",
            "body": "The TV is on late",
            "author_role": "carer",
            "author_name": "Lou",
        },
    )
    post = CodesignPost.objects.get()
    board = reverse("improvement:codesign", args=["OAK"])

    client.force_login(world["rep"])
    assert "Loud nights" not in client.get(board).content.decode()
    assert client.get(reverse("improvement:post-detail", args=[post.pk])).status_code == 404

    client.force_login(world["manager"])
    assert "Waiting for moderation (1)" in client.get(board).content.decode()
    html = client.post(
        reverse("improvement:post-detail", args=[post.pk]),
        {"action": "moderate", "decision": "reject"},
    ).content.decode()
    assert "Say why it is not published" in html
    client.post(
        reverse("improvement:post-detail", args=[post.pk]),
        {"action": "moderate", "decision": "publish"},
    )

    client.force_login(world["rep"])
    html = client.get(board).content.decode()
    assert "Loud nights" in html and "Lou, carer, relative or friend" in html


def test_people_post_comment_and_support_then_the_team_tests_it(client, world):
    client.force_login(world["rep"])
    board = reverse("improvement:codesign", args=["OAK"])
    html = client.post(board, {"kind": "idea", "title": "", "body": ""}).content.decode()
    assert "Say in a few words what it is about" in html
    response = client.post(
        board, {"kind": "idea", "title": "Walks in the garden", "body": "Before tea"}
    )
    post = CodesignPost.objects.get()
    assert post.status == PostStatus.PUBLISHED and response["Location"].endswith(
        f"/co-design/{post.pk}/"
    )

    client.force_login(world["nurse"])
    detail = reverse("improvement:post-detail", args=[post.pk])
    client.post(detail, {"action": "support"})
    html = client.post(detail, {"action": "comment", "body": ""}).content.decode()
    assert "Enter your comment" in html
    client.post(detail, {"action": "comment", "body": "Two staff could go"})
    html = client.get(detail).content.decode()
    assert "1 person supports this" in html and "Two staff could go" in html
    assert "Make it a change idea to test" in html

    project = make_project(by=world["nurse"], ward=world["oak"])
    response = client.post(
        reverse("improvement:post-adopt", args=[post.pk]),
        {"title": "Garden walks", "summary": "Walks before tea", "project": project.pk},
    )
    assert response["Location"] == reverse("improvement:project", args=[project.pk])
    idea = ChangeIdea.objects.get(title="Garden walks")
    html = client.get(reverse("improvement:idea-detail", args=[idea.pk])).content.decode()
    assert f"{world['rep'].display_name}, patient or carer representative: shared the idea" in html
    assert f"{world['nurse'].display_name}, member of staff: helped shape it" in html


def test_patient_representatives_cannot_moderate_or_make_change_ideas(client, world):
    post = services.codesign_post_create(
        by=world["nurse"], ward=world["oak"], kind="idea", title="x", body="y"
    )
    client.force_login(world["rep"])
    assert client.get(reverse("improvement:post-adopt", args=[post.pk])).status_code == 403
    assert (
        client.post(
            reverse("improvement:post-detail", args=[post.pk]),
            {"action": "moderate", "decision": "reject", "note": "no"},
        ).status_code
        == 403
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
