"""Improvement work made through its services, as a team would make it."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from mhsip.improvement import services
from mhsip.improvement.library import load_library
from mhsip.improvement.models import ChangeIdea, PdsaCycle, ProjectChange, ShareLink


def library_idea(key: str = "safewards-soft-words") -> ChangeIdea:
    """A library idea. The library is loaded by a migration, but a transactional test's flush
    empties it, so load it again if it has gone."""
    idea = ChangeIdea.objects.filter(key=key).first()
    if idea is None:
        load_library()
        idea = ChangeIdea.objects.get(key=key)
    return idea


def make_project(*, by, ward, measures=("restrictive_interventions",), title="Calmer evenings"):
    project = services.project_create(
        by=by,
        ward=ward,
        title=title,
        aim_what=f"Reduce restrictive interventions on {ward.name}",
        aim_how_much="by 30%",
        aim_by=date.today() + timedelta(days=365),
    )
    if measures:
        services.measurement_plan_update(
            by=by, project=project, measures={"outcome": list(measures)}
        )
    return project


def add_change(*, by, project, idea: ChangeIdea | None = None) -> ProjectChange:
    return services.project_change_add(by=by, project=project, change_idea=idea or library_idea())


def run_cycle(
    *,
    by,
    project,
    change: ProjectChange,
    start: date,
    decision: str | None = "adopt",
    previous: PdsaCycle | None = None,
    days: int = 14,
    study_measure: str = "",
) -> PdsaCycle:
    """A cycle planned, done and studied; decided too, unless `decision` is None."""
    end = start + timedelta(days=days)
    cycle = services.cycle_plan(
        by=by,
        project=project,
        change=change,
        previous=previous,
        study_measure=study_measure,
        question="Will soft words on evening shifts settle the lounge?",
        prediction="Fewer raised voices after 6pm",
        plan_who="Evening nurses",
        plan_what="Use soft words when saying no",
        plan_where="The lounge",
        planned_start=start,
        planned_end=end,
        data_to_collect="Raised voices per evening, tallied by the nurse in charge",
    )
    services.cycle_do(
        by=by, cycle=cycle, started_on=start, ended_on=end, what_happened="Done on 10 shifts"
    )
    services.cycle_study(by=by, cycle=cycle, result="Fewer raised voices, as predicted")
    if decision:
        services.cycle_act(by=by, cycle=cycle, decision=decision, decided_on=end)
    return cycle


def improvement_for_world(*, ward, by, moderator=None) -> str | None:
    """A ward's improvement work for the access walk: a project with an adopted change after one
    cycle, a co-design post with a comment, and (with a moderator) a share link and a post
    waiting for moderation. Returns the share link's token, if any."""
    project = make_project(by=by, ward=ward, title=f"Calmer evenings on {ward.name}")
    change = add_change(by=by, project=project)
    run_cycle(
        by=by,
        project=project,
        change=change,
        start=date.today() - timedelta(days=120),
        study_measure="restrictive_interventions",
    )
    post = services.codesign_post_create(
        by=by, ward=ward, kind="idea", title="Music after tea", body="Quiet music in the lounge"
    )
    services.codesign_comment_add(by=by, post=post, body="Worth a try")
    services.change_idea_create(by=by, ward=ward, title=f"{ward.name} huddles", summary="Daily")
    if moderator is None:
        return None
    # Made directly, so that the moderator's own audit trail stays as the audit-log tests expect.
    token = ShareLink.objects.create(
        ward=ward, token=f"share-{ward.code.lower()}-x7q9k2", created_at=timezone.now(),
        created_by=moderator,
    ).token  # fmt: skip
    services.codesign_post_share(
        token=token, kind="problem", title="Locked quiet room", body="Always locked",
        author_role="patient",
    )  # fmt: skip
    return token
