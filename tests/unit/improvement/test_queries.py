"""Reads of improvement work: who sees what, ramps, chart annotations, the coach's view."""

from datetime import date, timedelta

import pytest
from django.http import Http404

from mhsip.improvement import queries, services
from mhsip.improvement.models import PostStatus
from tests.factories.improvement import add_change, library_idea, make_project, run_cycle

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)


@pytest.fixture
def project(wards, people):
    return make_project(by=people["nurse"], ward=wards["oak"])


def test_ramps_follow_each_cycle_to_the_next(project, people):
    by = people["nurse"]
    soft = add_change(by=by, project=project)
    talk = add_change(by=by, project=project, idea=library_idea("safewards-talk-down"))
    first = run_cycle(by=by, project=project, change=soft, start=START, decision="adapt")
    second = run_cycle(
        by=by, project=project, change=soft, start=START + timedelta(days=20), previous=first,
        decision=None,
    )  # fmt: skip
    other = run_cycle(by=by, project=project, change=talk, start=START + timedelta(days=5))

    ramps = queries.project_ramps(project)

    assert [r.cycles for r in ramps] == [[first, second], [other]]
    assert ramps[0].in_progress and ramps[0].status == "Cycle 2: studied"
    assert ramps[1].status == "Adopted"
    assert queries.cycle_number(second) == 2


def test_annotations_show_cycles_and_adoptions_on_planned_measures_only(project, people, wards):
    by = people["nurse"]
    change = add_change(by=by, project=project)
    run_cycle(by=by, project=project, change=change, start=START, decision="adopt")
    wide = (date(2024, 1, 1), date(2026, 12, 1))

    notes = queries.annotations_for(wards["oak"], "restrictive_interventions", *wide)

    # Two weeks apart: one label for both, each its own rule with its own words on hover.
    assert notes == [
        {"date": "2026-03-02", "label": "2 notes: Soft words", "detail": "PDSA 1: Soft words"},
        {"date": "2026-03-16", "label": "", "detail": "Adopted: Soft words"},
    ]
    assert queries.annotations_for(wards["oak"], "seclusion", *wide) == []
    assert queries.annotations_for(wards["elm"], "restrictive_interventions", *wide) == []
    assert (
        queries.annotations_for(
            wards["oak"], "restrictive_interventions", date(2026, 4, 1), date(2026, 12, 1)
        )
        == []
    )


def test_annotations_far_apart_each_have_their_own_label(project, people, wards):
    by = people["nurse"]
    change = add_change(by=by, project=project)
    first = run_cycle(by=by, project=project, change=change, start=START, decision="adapt")
    run_cycle(
        by=by, project=project, change=change, start=START + timedelta(days=90), previous=first,
        decision=None,
    )  # fmt: skip

    notes = queries.annotations_for(
        wards["oak"], "restrictive_interventions", date(2024, 1, 1), date(2026, 12, 1)
    )

    assert [(n["label"], n["detail"]) for n in notes] == [
        ("PDSA 1: Soft words", "PDSA 1: Soft words"),
        ("PDSA 2: Soft words", "PDSA 2: Soft words"),
    ]


def test_long_annotation_labels_are_shortened(project, people, wards):
    idea = services.change_idea_create(
        by=people["nurse"],
        ward=wards["oak"],
        title="A very long name for a change idea indeed",
        summary="x",
    )
    change = add_change(by=people["nurse"], project=project, idea=idea)
    run_cycle(by=people["nurse"], project=project, change=change, start=START, decision=None)
    (note,) = queries.annotations_for(wards["oak"], "restrictive_interventions", START, START)
    assert len(note["label"]) <= queries.LABEL_LENGTH and note["label"].endswith("…")


def test_change_ideas_are_the_library_and_the_wards_own(wards, people):
    own = services.change_idea_create(
        by=people["nurse"], ward=wards["oak"], title="Oak's", summary="x"
    )
    elm = services.change_idea_create(
        by=people["elm_nurse"], ward=wards["elm"], title="Elm's", summary="x"
    )

    oak_ideas = set(queries.change_ideas_visible_to(people["rep"]))
    assert own in oak_ideas and elm not in oak_ideas and library_idea() in oak_ideas
    assert elm in set(queries.change_ideas_visible_to(people["qi_lead"]))
    with pytest.raises(Http404):
        queries.change_idea_for(people["rep"], elm.pk)


def test_posts_waiting_for_moderation_are_for_moderators_only(wards, people):
    token = services.share_link_for(by=people["manager"], ward=wards["oak"]).token
    post = services.codesign_post_share(
        token=token, kind="idea", title="Music", body="Quiet music", author_role="patient"
    )
    assert list(queries.posts_for_ward(people["rep"], wards["oak"])) == []
    assert list(queries.posts_for_ward(people["manager"], wards["oak"])) == [post]
    with pytest.raises(Http404):
        queries.post_for(people["rep"], post.pk)
    assert queries.post_for(people["manager"], post.pk) == post
    post.status = PostStatus.PUBLISHED
    post.save()
    assert queries.post_for(people["rep"], post.pk) == post
    with pytest.raises(Http404):
        queries.post_for(people["elm_nurse"], post.pk)


def test_projects_are_seen_by_the_wards_people_and_coaches_only(project, people):
    assert queries.project_for(people["rep"], project.pk) == project
    assert queries.project_for(people["network_lead"], project.pk) == project
    with pytest.raises(Http404):
        queries.project_for(people["elm_nurse"], project.pk)


def test_people_on_ward_are_those_who_take_part(wards, people):
    found = set(queries.people_on_ward(wards["oak"]))
    assert {people["nurse"], people["rep"], people["manager"], people["qi_lead"]} <= found
    assert people["elm_nurse"] not in found


def test_coach_overview_counts_cycles_and_finds_quiet_wards(project, people, wards):
    by = people["nurse"]
    today = date(2026, 6, 1)
    change = add_change(by=by, project=project)
    run_cycle(
        by=by, project=project, change=change, start=today - timedelta(days=10), decision=None
    )
    elm_project = make_project(by=people["elm_nurse"], ward=wards["elm"])
    elm_change = add_change(by=people["elm_nurse"], project=elm_project)
    run_cycle(
        by=people["elm_nurse"],
        project=elm_project,
        change=elm_change,
        start=today - timedelta(days=200),
    )

    overview = queries.coach_overview(people["qi_lead"], today=today)

    assert [s.ward.name for s in overview.wards] == ["Elm Ward", "Oak Ward"]
    assert overview.project_count == 2 and overview.cycles_in_progress == 1
    assert [s.ward.name for s in overview.quiet_wards] == ["Elm Ward"]
    (soft,) = overview.ideas
    assert (soft.idea.title, soft.cycles, soft.wards, soft.adopted) == ("Soft words", 2, 2, 1)
    network = queries.coach_overview(people["network_lead"], today=today)
    assert {s.ward.name for s in network.quiet_wards} == {"Elm Ward", "Ash Ward"}
