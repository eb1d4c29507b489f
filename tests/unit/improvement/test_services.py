"""Writes for improvement work: checked, validated with field names, audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mhsip.auditing.models import AuditEvent
from mhsip.improvement import services
from mhsip.improvement.models import (
    ChangeStatus,
    Contribution,
    ContributorRole,
    CycleStage,
    Origin,
    PostStatus,
    TeamRole,
)
from tests.factories.improvement import add_change, library_idea, make_project, run_cycle

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Projects -----------------------------------------------------------------------------------


def test_project_create_makes_the_creator_project_lead_and_audits(wards, people):
    project = make_project(by=people["nurse"], ward=wards["oak"], measures=())

    (lead,) = project.members.all()
    assert (lead.user, lead.team_role) == (people["nurse"], TeamRole.PROJECT_LEAD)
    assert project.aim_statement.startswith(
        "Reduce restrictive interventions on Oak Ward by 30% by"
    )
    assert AuditEvent.objects.filter(
        action="improvement_project.create", ward=wards["oak"]
    ).exists()


def test_project_create_needs_a_number_in_how_much(wards, people):
    with pytest.raises(ValidationError) as excinfo:
        services.project_create(
            by=people["nurse"],
            ward=wards["oak"],
            title="Calmer",
            aim_what="Reduce restraint",
            aim_how_much="a lot",
            aim_by=date(2027, 3, 31),
        )
    assert "with a number" in _errors(excinfo)["aim_how_much"][0]


def test_project_create_names_every_missing_field(wards, people):
    with pytest.raises(ValidationError) as excinfo:
        services.project_create(
            by=people["nurse"],
            ward=wards["oak"],
            title="",
            aim_what="",
            aim_how_much="",
            aim_by=None,
        )
    assert set(_errors(excinfo)) == {"title", "aim_what", "aim_how_much", "aim_by"}


@pytest.mark.parametrize("who", ["rep", "elm_nurse", "network_lead"])
def test_only_the_wards_team_runs_its_projects(wards, people, who):
    with pytest.raises(PermissionDenied):
        make_project(by=people[who], ward=wards["oak"])


def test_measurement_plan_needs_an_outcome_measure_from_the_catalogue(wards, people):
    project = make_project(by=people["nurse"], ward=wards["oak"], measures=())
    with pytest.raises(ValidationError) as excinfo:
        services.measurement_plan_update(
            by=people["nurse"], project=project, measures={"process": ["review_offered"]}
        )
    assert "at least one outcome measure" in _errors(excinfo)["outcome"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.measurement_plan_update(
            by=people["nurse"], project=project, measures={"outcome": ["no_such_measure"]}
        )
    assert "not a measure" in _errors(excinfo)["outcome"][0]


def test_measurement_plan_replaces_the_last_one(wards, people):
    project = make_project(by=people["nurse"], ward=wards["oak"])
    services.measurement_plan_update(
        by=people["nurse"],
        project=project,
        measures={"outcome": ["seclusion"], "balancing": ["assaults_on_staff"]},
    )
    assert sorted(project.planned_measures.values_list("measure", "role")) == [
        ("assaults_on_staff", "balancing"),
        ("seclusion", "outcome"),
    ]


def test_drivers_nest_and_change_ideas_hang_off_secondary_drivers(wards, people):
    by = people["nurse"]
    project = make_project(by=by, ward=wards["oak"])
    primary = services.driver_add(by=by, project=project, text="Patients feel listened to")
    secondary = services.driver_add(
        by=by, project=project, text="Staff know calming strategies", parent=primary
    )
    change = services.project_change_add(
        by=by, project=project, change_idea=library_idea(), driver=secondary
    )
    assert change.driver == secondary
    with pytest.raises(ValidationError) as excinfo:
        services.project_change_move(by=by, change=change, driver=primary)
    assert "secondary drivers" in _errors(excinfo)["driver"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.driver_add(by=by, project=project, text="Too deep", parent=secondary)
    assert "primary drivers" in _errors(excinfo)["parent"][0]

    services.driver_remove(by=by, driver=primary)
    change.refresh_from_db()
    assert change.driver is None and not project.drivers.exists()


def test_a_change_idea_is_added_to_a_project_once(wards, people):
    project = make_project(by=people["nurse"], ward=wards["oak"])
    add_change(by=people["nurse"], project=project)
    with pytest.raises(ValidationError) as excinfo:
        add_change(by=people["nurse"], project=project)
    assert "already" in _errors(excinfo)["change_idea"][0]


def test_another_wards_own_idea_cannot_be_added(wards, people):
    elm_idea = services.change_idea_create(
        by=people["elm_nurse"], ward=wards["elm"], title="Elm's idea", summary="Something"
    )
    project = make_project(by=people["nurse"], ward=wards["oak"])
    with pytest.raises(ValidationError):
        add_change(by=people["nurse"], project=project, idea=elm_idea)


def test_team_members_are_people_or_names(wards, people):
    by = people["manager"]
    project = make_project(by=by, ward=wards["oak"])
    services.project_member_add(
        by=by, project=project, user=people["rep"], team_role=TeamRole.PATIENT_REPRESENTATIVE
    )
    services.project_member_add(
        by=by, project=project, name="Lou Carter", team_role=TeamRole.CARER_REPRESENTATIVE
    )
    with pytest.raises(ValidationError) as excinfo:
        services.project_member_add(
            by=by, project=project, user=people["rep"], team_role=TeamRole.MEMBER
        )
    assert "already" in _errors(excinfo)["user"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.project_member_add(by=by, project=project, team_role=TeamRole.MEMBER)
    assert "user" in _errors(excinfo)
    assert project.members.count() == 3


# --- PDSA cycles --------------------------------------------------------------------------------


def test_a_cycle_goes_plan_do_study_act_and_adopting_marks_the_change(wards, people):
    by = people["nurse"]
    project = make_project(by=by, ward=wards["oak"])
    change = add_change(by=by, project=project)
    cycle = run_cycle(by=by, project=project, change=change, start=START, decision="adopt")

    change.refresh_from_db()
    assert cycle.stage == CycleStage.ACT
    assert change.status == ChangeStatus.ADOPTED
    assert change.adopted_on == START + timedelta(days=14)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"pdsa_cycle.plan", "pdsa_cycle.do", "pdsa_cycle.study", "pdsa_cycle.act"} <= actions


def test_the_study_needs_the_do_and_the_act_needs_the_study(wards, people):
    by = people["nurse"]
    project = make_project(by=by, ward=wards["oak"])
    change = add_change(by=by, project=project)
    cycle = run_cycle(by=by, project=project, change=change, start=START, decision=None)
    cycle.stage = CycleStage.PLAN
    cycle.save()
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_study(by=by, cycle=cycle, result="Good")
    assert "result" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_act(by=by, cycle=cycle, decision="adopt", decided_on=START)
    assert "decision" in _errors(excinfo)


def test_plan_validation_names_the_fields(wards, people):
    by = people["nurse"]
    project = make_project(by=by, ward=wards["oak"])
    change = add_change(by=by, project=project)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_plan(
            by=by,
            project=project,
            change=change,
            question="",
            prediction="",
            plan_who="",
            plan_what="",
            plan_where="",
            planned_start=None,
            planned_end=None,
            data_to_collect="",
        )
    assert set(_errors(excinfo)) == set(services.PLAN_FIELDS)
    with pytest.raises(ValidationError) as excinfo:
        run_cycle(by=by, project=project, change=change, start=START, days=-3)
    assert "on or after" in _errors(excinfo)["planned_end"][0]
    with pytest.raises(ValidationError) as excinfo:
        run_cycle(by=by, project=project, change=change, start=START, study_measure="seclusion")
    assert "measurement plan" in _errors(excinfo)["study_measure"][0]


def test_cycles_chain_into_a_ramp_after_adapt_not_after_abandon(wards, people):
    by = people["nurse"]
    project = make_project(by=by, ward=wards["oak"])
    change = add_change(by=by, project=project)
    first = run_cycle(by=by, project=project, change=change, start=START, decision="adapt")
    second = run_cycle(
        by=by, project=project, change=change, start=START + timedelta(days=21), previous=first,
        decision="abandon",
    )  # fmt: skip
    assert second.previous == first
    change.refresh_from_db()
    assert change.status == ChangeStatus.ABANDONED
    with pytest.raises(ValidationError) as excinfo:
        run_cycle(
            by=by, project=project, change=change, start=START + timedelta(days=42), previous=second
        )
    assert "adopt or adapt" in _errors(excinfo)["change"][0]
    with pytest.raises(ValidationError) as excinfo:
        run_cycle(by=by, project=project, change=change, start=START, previous=first)
    assert "already has a next cycle" in _errors(excinfo)["change"][0]


def test_a_ramp_tests_one_change(wards, people):
    by = people["nurse"]
    project = make_project(by=by, ward=wards["oak"])
    change = add_change(by=by, project=project)
    other = add_change(by=by, project=project, idea=library_idea("safewards-talk-down"))
    first = run_cycle(by=by, project=project, change=change, start=START, decision="adapt")
    with pytest.raises(ValidationError) as excinfo:
        run_cycle(by=by, project=project, change=other, start=START, previous=first)
    assert "same change" in _errors(excinfo)["change"][0]


# --- Co-design ----------------------------------------------------------------------------------


def test_a_share_link_post_is_anonymous_and_waits_for_moderation(wards, people):
    link = services.share_link_for(by=people["manager"], ward=wards["oak"])
    post = services.codesign_post_share(
        token=link.token,
        kind="idea",
        title="Music in the evening",
        body="Quiet music after tea would help",
        author_role="patient",
    )
    assert post.status == PostStatus.PENDING and post.via_link and post.author is None
    assert post.credit_name == "Patient (anonymous)"
    event = AuditEvent.objects.get(action="codesign_post.share")
    assert event.actor is None and "Quiet music" not in event.summary


def test_a_rotated_link_no_longer_takes_posts(wards, people):
    old = services.share_link_for(by=people["manager"], ward=wards["oak"]).token
    new = services.share_link_rotate(by=people["manager"], ward=wards["oak"]).token
    assert new != old and len(new) >= 32
    with pytest.raises(services.ShareLinkClosed):
        services.codesign_post_share(
            token=old, kind="idea", title="x", body="y", author_role="patient"
        )


def test_a_share_link_takes_a_limited_number_of_posts_an_hour(wards, people, monkeypatch):
    monkeypatch.setattr(services, "SHARE_LINK_HOURLY_LIMIT", 2)
    token = services.share_link_for(by=people["manager"], ward=wards["oak"]).token
    for _ in range(2):
        services.codesign_post_share(
            token=token, kind="idea", title="x", body="y", author_role="carer"
        )
    with pytest.raises(services.TooManyShared):
        services.codesign_post_share(
            token=token, kind="idea", title="x", body="y", author_role="carer"
        )


def test_share_link_posts_name_their_missing_fields(wards, people):
    token = services.share_link_for(by=people["manager"], ward=wards["oak"]).token
    with pytest.raises(ValidationError) as excinfo:
        services.codesign_post_share(token=token, kind="", title="", body="", author_role="")
    assert set(_errors(excinfo)) == {"kind", "title", "body"}


def test_only_moderators_issue_links_and_moderate(wards, people):
    with pytest.raises(PermissionDenied):
        services.share_link_for(by=people["nurse"], ward=wards["oak"])
    with pytest.raises(PermissionDenied):
        services.share_link_for(by=people["rep"], ward=wards["oak"])


def test_moderators_publish_or_turn_down_with_a_reason(wards, people):
    token = services.share_link_for(by=people["manager"], ward=wards["oak"]).token
    post = services.codesign_post_share(
        token=token, kind="problem", title="Noise", body="Too loud at night", author_role="patient"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.codesign_post_moderate(by=people["manager"], post=post, publish=False)
    assert "note" in _errors(excinfo)
    services.codesign_post_moderate(by=people["manager"], post=post, publish=True)
    assert post.status == PostStatus.PUBLISHED and post.moderated_by == people["manager"]


def test_patient_representatives_post_comment_and_support(wards, people):
    rep = people["rep"]
    post = services.codesign_post_create(
        by=rep, ward=wards["oak"], kind="idea", title="Visiting times", body="Later on Fridays"
    )
    assert post.status == PostStatus.PUBLISHED
    assert post.author_role == ContributorRole.REPRESENTATIVE
    services.codesign_comment_add(by=people["nurse"], post=post, body="We could try it")
    assert services.codesign_support_toggle(by=people["nurse"], post=post) is True
    assert services.codesign_support_toggle(by=people["nurse"], post=post) is False
    with pytest.raises(PermissionDenied):
        services.codesign_comment_add(by=people["elm_nurse"], post=post, body="Hello")


def test_a_post_becomes_a_change_idea_crediting_who_shaped_it(wards, people):
    token = services.share_link_for(by=people["manager"], ward=wards["oak"]).token
    post = services.codesign_post_share(
        token=token, kind="idea", title="Music", body="Quiet music", author_role="patient"
    )
    services.codesign_post_moderate(by=people["manager"], post=post, publish=True)
    services.codesign_comment_add(by=people["rep"], post=post, body="Yes, and headphones")
    services.codesign_comment_add(by=people["rep"], post=post, body="And a playlist")
    project = make_project(by=people["nurse"], ward=wards["oak"])

    idea = services.codesign_post_adopt(
        by=people["nurse"], post=post, title="Evening music", summary="Quiet music", project=project
    )

    assert idea.origin == Origin.CODESIGN and idea.ward == wards["oak"]
    shaped_by = [(c.name, c.role, c.contribution) for c in idea.credits.all()]
    assert shaped_by == [
        ("Patient (anonymous)", "patient", Contribution.POSTED),
        (people["rep"].display_name, "representative", Contribution.COMMENTED),
    ]
    assert project.changes.get().change_idea == idea
    with pytest.raises(ValidationError):
        services.codesign_post_adopt(by=people["nurse"], post=post, title="Again", summary="x")


def test_pending_posts_cannot_be_commented_on(wards, people):
    token = services.share_link_for(by=people["manager"], ward=wards["oak"]).token
    post = services.codesign_post_share(
        token=token, kind="idea", title="Music", body="Quiet music", author_role="patient"
    )
    with pytest.raises(ValidationError):
        services.codesign_comment_add(by=people["rep"], post=post, body="Yes")
