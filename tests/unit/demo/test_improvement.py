"""The demo's improvement work: written for the wards that joined, dated in the past, chained
into ramps, with co-design posts waiting for the Kestrel manager."""

from datetime import date

import pytest

from mhsip.demo.generate import WardStory
from mhsip.demo.improvement import KESTREL, PROJECTS, load_improvement
from mhsip.improvement.effects import did_it_work
from mhsip.improvement.models import (
    ChangeStatus,
    CodesignPost,
    ImprovementProject,
    Origin,
    PdsaCycle,
    PostStatus,
    ShareLink,
    TeamRole,
)
from mhsip.improvement.queries import project_ramps
from mhsip.measures.effect import Verdict
from tests.factories.accounts import UserFactory
from tests.factories.organisations import SiteFactory, WardFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)
JOINED = date(2025, 3, 1)


@pytest.fixture
def loaded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    site = SiteFactory()
    wards = {plan.ward_code: WardFactory(site=site, code=plan.ward_code) for plan in PROJECTS}
    names = ["manager", "nurse", "qilead", "responsible", "patientrep"]
    names += ["staff.osprey", "staff.linnet", "staff.skylark", "staff.willow", "staff.fulmar"]
    users = {name: UserFactory(username=name) for name in names}
    stories = [WardStory(code, 0.9, JOINED, 0.3) for code in wards]
    return load_improvement(stories, TODAY, wards, users), users


def test_every_planned_project_is_written(loaded):
    counts, _ = loaded
    assert counts["projects"] == ImprovementProject.objects.count() == len(PROJECTS)
    assert counts["cycles"] == PdsaCycle.objects.count() > 10
    assert counts["posts"] == CodesignPost.objects.count() == 6


def test_kestrel_has_the_whole_story(loaded):
    _, users = loaded
    project = ImprovementProject.objects.get(ward__code=KESTREL)
    roles = dict(project.members.values_list("team_role", "name"))
    assert roles[TeamRole.PATIENT_REPRESENTATIVE] == users["patientrep"].display_name
    assert roles[TeamRole.CARER_REPRESENTATIVE] == "Lou Carter"
    assert project.drivers.filter(parent__isnull=True).count() == 3
    assert {r.change.change_idea.title: len(r.cycles) for r in project_ramps(project)} == {
        "Soft words": 3,
        "Talk down": 2,
        "Post-incident debrief for patients and staff": 2,
        "Evening music in the lounge": 1,
    }
    soft = project.changes.get(change_idea__title="Soft words")
    assert soft.status == ChangeStatus.ADOPTED and soft.adopted_on > JOINED
    music = project.changes.get(change_idea__title="Evening music in the lounge").change_idea
    assert music.origin == Origin.CODESIGN
    assert [c.name for c in music.credits.all()][0] == "Patient (anonymous)"
    assert CodesignPost.objects.filter(ward__code=KESTREL, status=PostStatus.PENDING).count() == 2
    assert ShareLink.objects.filter(ward__code=KESTREL).exists()


def test_nothing_happens_after_today_and_ramps_chain(loaded):
    assert not PdsaCycle.objects.filter(started_on__gt=TODAY).exists()
    assert not PdsaCycle.objects.filter(decided_on__gt=TODAY).exists()
    for cycle in PdsaCycle.objects.filter(previous__isnull=False):
        assert cycle.previous.change_id == cycle.change_id
        assert cycle.previous.decision in {"adapt", "adopt"}
        assert cycle.planned_start >= cycle.previous.planned_start


def test_wards_that_did_not_join_get_nothing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ward = WardFactory(code=KESTREL)
    counts = load_improvement([WardStory(KESTREL, 0.9)], TODAY, {KESTREL: ward}, {})
    assert counts == {"projects": 0, "cycles": 0, "posts": 0}


def test_did_it_work_on_a_ward_without_any_data_is_not_a_claim(loaded):
    soft = ImprovementProject.objects.get(ward__code=KESTREL).changes.get(
        change_idea__title="Soft words"
    )
    judgement = did_it_work(soft)
    assert judgement.effect.verdict is not Verdict.WORKED
