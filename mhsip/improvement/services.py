"""Writes for improvement work. Each checks the actor may do it on that ward, validates, and
writes its change and an audit event in one transaction.

Validation problems are raised as `ValidationError({field: message})`, naming the form field
the message belongs to, so views can show it beside the field.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mhsip.auditing import services as audit
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.improvement.models import (
    ChangeIdea,
    ChangeIdeaCredit,
    ChangeStatus,
    CodesignComment,
    CodesignPost,
    CodesignSupport,
    Contribution,
    ContributorRole,
    CycleStage,
    Decision,
    Driver,
    ImprovementProject,
    Origin,
    PdsaCycle,
    PlannedMeasure,
    PostKind,
    PostStatus,
    ProjectChange,
    ProjectMember,
    ProjectStatus,
    ShareLink,
    TeamRole,
    Theme,
)
from mhsip.measures import load_catalogue
from mhsip.measures.catalogue import MeasureType
from mhsip.organisations.models import Membership, Ward

#: Posts a share link accepts in an hour before it asks people to try later. A ward has at most
#: a few dozen patients; more than this in an hour is someone flooding the moderation queue.
SHARE_LINK_HOURLY_LIMIT = 30
#: 24 random bytes: 32 URL-safe characters, far beyond guessing.
SHARE_TOKEN_BYTES = 24
TITLE_LENGTH = 120
BODY_LENGTH = 4000

_STAGE_ORDER = [CycleStage.PLAN, CycleStage.DO, CycleStage.STUDY, CycleStage.ACT]

# What to say when a required answer is missing, by field: the forms ask the same, so a page
# shows every missing answer at once (even beside a date it could not read).
IDEA_FIELDS = {"title": "Enter a name for the change idea", "summary": "Say what the change is"}
POST_FIELDS = {
    "kind": "Say whether this is a problem or an idea",
    "title": "Say in a few words what it is about",
    "body": "Tell us more about the problem or the idea",
}
COMMENT_FIELDS = {"body": "Enter your comment"}
PROJECT_FIELDS = {
    "title": "Enter a name for the project",
    "aim_what": "Say what the project will improve",
    "aim_how_much": "Say how much, with a number, for example “by 30%”",
    "aim_by": "Enter the date the aim should be met by",
}
PLAN_FIELDS = {
    "question": "Say what this cycle is trying to learn",
    "prediction": "Say what you predict will happen",
    "plan_who": "Say who will carry out the test",
    "plan_what": "Say what will be done",
    "plan_where": "Say where the test will happen",
    "planned_start": "Enter the date the test starts",
    "planned_end": "Enter the date the test ends",
    "data_to_collect": "Say what data you will collect",
}
DO_FIELDS = {
    "started_on": "Enter the date the test started",
    "what_happened": "Say what happened when you carried out the test",
}
STUDY_FIELDS = {"result": "Say what the results show, against the prediction"}
ACT_FIELDS = {
    "decision": "Choose whether to adopt, adapt or abandon the change",
    "decided_on": "Enter the date of the decision",
}


class ShareLinkClosed(Exception):
    """No ward has this share link (it was never issued, or has been replaced)."""


class TooManyShared(Exception):
    """The link has taken SHARE_LINK_HOURLY_LIMIT posts in the last hour."""


def _required(values: dict[str, Any], messages: dict[str, str]) -> None:
    errors = {name: message for name, message in messages.items() if not values.get(name)}
    if errors:
        raise ValidationError(errors)


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- Change ideas -------------------------------------------------------------------------------


def change_idea_create(
    *,
    by,
    ward: Ward,
    title: str,
    summary: str,
    evidence: str = "",
    source: str = "",
    source_url: str = "",
) -> ChangeIdea:
    """A ward team's own change idea, seen by the people of that ward."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=ward)
    values = {"title": _text(title), "summary": _text(summary)}
    _required(values, IDEA_FIELDS)
    with transaction.atomic():
        idea = ChangeIdea(
            ward=ward,
            origin=Origin.TEAM,
            theme=Theme.LOCAL,
            evidence=_text(evidence),
            source=_text(source),
            source_url=_text(source_url),
            created_by=by,
            **values,
        )
        idea.full_clean()
        idea.save()
        audit.record_event(by=by, action="change_idea.create", target=idea, ward=ward)
    return idea


# --- Co-design ----------------------------------------------------------------------------------


def share_link_for(*, by, ward: Ward) -> ShareLink:
    """The ward's share-an-idea link, issued the first time a moderator asks for it."""
    require_permission(by, Permission.CODESIGN_MODERATE, ward=ward)
    link = ShareLink.objects.filter(ward=ward).first()
    if link is not None:
        return link
    with transaction.atomic():
        link = ShareLink.objects.create(
            ward=ward,
            token=secrets.token_urlsafe(SHARE_TOKEN_BYTES),
            created_at=timezone.now(),
            created_by=by,
        )
        audit.record_event(by=by, action="share_link.create", target=link, ward=ward)
    return link


def share_link_rotate(*, by, ward: Ward) -> ShareLink:
    """Replace the ward's link: the old link (and every printed copy) stops working."""
    require_permission(by, Permission.CODESIGN_MODERATE, ward=ward)
    with transaction.atomic():
        link, _ = ShareLink.objects.update_or_create(
            ward=ward,
            defaults={
                "token": secrets.token_urlsafe(SHARE_TOKEN_BYTES),
                "created_at": timezone.now(),
                "created_by": by,
            },
        )
        audit.record_event(by=by, action="share_link.rotate", target=link, ward=ward)
    return link


def _post_values(kind: str, title: str, body: str) -> dict[str, str]:
    values = {"kind": kind, "title": _text(title), "body": _text(body)}
    _required(values, POST_FIELDS)
    errors = {}
    if values["kind"] not in PostKind.values:
        errors["kind"] = "Say whether this is a problem or an idea"
    if len(values["title"]) > TITLE_LENGTH:
        errors["title"] = f"Keep the few words to {TITLE_LENGTH} characters or fewer"
    if len(values["body"]) > BODY_LENGTH:
        errors["body"] = f"Keep it to {BODY_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    return values


def codesign_post_share(
    *, token: str, kind: str, title: str, body: str, author_name: str = "", author_role: str
) -> CodesignPost:
    """A post through a ward's share link, from someone without an account. It waits for a
    moderator before anyone else can read it; leaving the name blank posts anonymously."""
    link = ShareLink.objects.select_related("ward").filter(token=token).first() if token else None
    if link is None:
        raise ShareLinkClosed()
    values = _post_values(kind, title, body)
    if author_role not in {ContributorRole.PATIENT, ContributorRole.CARER, ContributorRole.STAFF}:
        author_role = ContributorRole.OTHER
    since = timezone.now() - timedelta(hours=1)
    with transaction.atomic():
        recent = CodesignPost.objects.filter(
            ward=link.ward, via_link=True, created_at__gte=since
        ).count()
        if recent >= SHARE_LINK_HOURLY_LIMIT:
            raise TooManyShared()
        post = CodesignPost.objects.create(
            ward=link.ward,
            author_name=_text(author_name)[:120],
            author_role=author_role,
            via_link=True,
            status=PostStatus.PENDING,
            **values,
        )
        audit.record_event(
            by=None,
            action="codesign_post.share",
            target=post,
            ward=link.ward,
            summary="An idea shared through the ward's link",
        )
    return post


def contributor_role(user) -> str:
    """How a signed-in person takes part: as a patient or carer representative, or staff."""
    representative = Membership.objects.filter(user=user, role="patient_representative")
    return ContributorRole.REPRESENTATIVE if representative.exists() else ContributorRole.STAFF


def codesign_post_create(*, by, ward: Ward, kind: str, title: str, body: str) -> CodesignPost:
    """A post by a signed-in person, under their name: published straight away."""
    require_permission(by, Permission.IMPROVEMENT_PARTICIPATE, ward=ward)
    values = _post_values(kind, title, body)
    with transaction.atomic():
        post = CodesignPost.objects.create(
            ward=ward,
            author=by,
            author_name=by.display_name,
            author_role=contributor_role(by),
            status=PostStatus.PUBLISHED,
            **values,
        )
        audit.record_event(by=by, action="codesign_post.create", target=post, ward=ward)
    return post


def codesign_post_moderate(*, by, post: CodesignPost, publish: bool, note: str = "") -> None:
    require_permission(by, Permission.CODESIGN_MODERATE, ward=post.ward)
    note = _text(note)
    if not publish and not note:
        raise ValidationError(
            {"note": "Say why it is not published (the team sees this, not the public)"}
        )
    with transaction.atomic():
        post.status = PostStatus.PUBLISHED if publish else PostStatus.REJECTED
        post.moderated_by = by
        post.moderated_at = timezone.now()
        post.moderation_note = note[:300]
        post.save()
        audit.record_event(
            by=by,
            action="codesign_post.publish" if publish else "codesign_post.reject",
            target=post,
            ward=post.ward,
        )


def _require_published(post: CodesignPost) -> None:
    if post.status != PostStatus.PUBLISHED:
        raise ValidationError({"body": "Only published posts can be commented on or supported"})


def codesign_comment_add(*, by, post: CodesignPost, body: str) -> CodesignComment:
    require_permission(by, Permission.IMPROVEMENT_PARTICIPATE, ward=post.ward)
    _require_published(post)
    body = _text(body)
    _required({"body": body}, COMMENT_FIELDS)
    if len(body) > BODY_LENGTH:
        raise ValidationError({"body": f"Keep the comment to {BODY_LENGTH} characters or fewer"})
    with transaction.atomic():
        comment = CodesignComment.objects.create(
            post=post,
            author=by,
            author_name=by.display_name,
            author_role=contributor_role(by),
            body=body,
        )
        audit.record_event(by=by, action="codesign_comment.create", target=comment, ward=post.ward)
    return comment


def codesign_support_toggle(*, by, post: CodesignPost) -> bool:
    """Support the post, or take the support back. Returns whether the person now supports it."""
    require_permission(by, Permission.IMPROVEMENT_PARTICIPATE, ward=post.ward)
    _require_published(post)
    with transaction.atomic():
        deleted, _ = CodesignSupport.objects.filter(post=post, user=by).delete()
        if not deleted:
            CodesignSupport.objects.create(post=post, user=by)
        audit.record_event(
            by=by,
            action="codesign_post.unsupport" if deleted else "codesign_post.support",
            target=post,
            ward=post.ward,
        )
    return not deleted


def codesign_post_adopt(
    *,
    by,
    post: CodesignPost,
    title: str,
    summary: str,
    project: ImprovementProject | None = None,
    driver: Driver | None = None,
) -> ChangeIdea:
    """Turn a published post into a change idea for the ward to test (and, if a project is
    given, add it to that project), crediting the people who shaped it: the author as they
    chose to be named, and everyone who commented."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=post.ward)
    _require_published(post)
    if post.change_idea_id is not None:
        raise ValidationError({"title": "This post is already a change idea"})
    if project is not None and project.ward_id != post.ward_id:
        raise ValidationError({"project": "Choose a project of this ward"})
    values = {"title": _text(title), "summary": _text(summary)}
    _required(values, IDEA_FIELDS)
    with transaction.atomic():
        idea = ChangeIdea.objects.create(
            ward=post.ward,
            origin=Origin.CODESIGN,
            theme=Theme.LOCAL,
            evidence=f"Co-designed on {post.ward.name}: “{post.title}”.",
            created_by=by,
            **values,
        )
        shaped_by = [
            ChangeIdeaCredit(
                change_idea=idea,
                name=post.credit_name,
                role=post.author_role,
                contribution=Contribution.POSTED,
            )
        ]
        seen = {(post.author_id, post.credit_name)} if post.author_id else set()
        for comment in post.comments.all():
            key = (comment.author_id, comment.author_name)
            if key in seen:
                continue
            seen.add(key)
            shaped_by.append(
                ChangeIdeaCredit(
                    change_idea=idea,
                    name=comment.author_name,
                    role=comment.author_role,
                    contribution=Contribution.COMMENTED,
                )
            )
        ChangeIdeaCredit.objects.bulk_create(shaped_by)
        post.change_idea = idea
        post.save(update_fields=["change_idea"])
        audit.record_event(
            by=by,
            action="change_idea.create_from_post",
            target=idea,
            ward=post.ward,
            detail={"post": post.pk},
        )
        if project is not None:
            project_change_add(by=by, project=project, change_idea=idea, driver=driver)
    return idea


# --- Projects -----------------------------------------------------------------------------------


def how_much_problem(how_much: str) -> str | None:
    """An aim needs a number: without one nobody can tell when it has been met."""
    if how_much and not re.search(r"\d", how_much):
        return (
            "Say how much with a number, for example “by 30%”, so that you can tell when the "
            "aim is met"
        )
    return None


def _aim_values(title: str, aim_what: str, aim_how_much: str, aim_by: date | None):
    values = {
        "title": _text(title),
        "aim_what": _text(aim_what),
        "aim_how_much": _text(aim_how_much),
        "aim_by": aim_by,
    }
    _required(values, PROJECT_FIELDS)
    problem = how_much_problem(values["aim_how_much"])
    if problem:
        raise ValidationError({"aim_how_much": problem})
    return values


def project_create(
    *, by, ward: Ward, title: str, aim_what: str, aim_how_much: str, aim_by: date | None
) -> ImprovementProject:
    """A new project, with its creator as project lead."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=ward)
    values = _aim_values(title, aim_what, aim_how_much, aim_by)
    with transaction.atomic():
        project = ImprovementProject.objects.create(ward=ward, created_by=by, **values)
        ProjectMember.objects.create(
            project=project, user=by, name=by.display_name, team_role=TeamRole.PROJECT_LEAD
        )
        audit.record_event(by=by, action="improvement_project.create", target=project, ward=ward)
    return project


def project_aim_update(
    *,
    by,
    project: ImprovementProject,
    title: str,
    aim_what: str,
    aim_how_much: str,
    aim_by: date | None,
    status: str = ProjectStatus.ACTIVE,
) -> ImprovementProject:
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    values = _aim_values(title, aim_what, aim_how_much, aim_by)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": "Say whether the project is active or finished"})
    with transaction.atomic():
        before = project.aim_statement
        for name, value in values.items():
            setattr(project, name, value)
        project.status = status
        project.save()
        audit.record_event(
            by=by,
            action="improvement_project.update",
            target=project,
            ward=project.ward,
            detail={"aim_before": before, "aim_after": project.aim_statement},
        )
    return project


def project_member_add(
    *, by, project: ImprovementProject, team_role: str, user=None, name: str = ""
) -> ProjectMember:
    """Add someone to the team: a person with a role on the ward, or (for someone without an
    account, such as a carer) a name."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    name = _text(name)
    if user is None and not name:
        raise ValidationError({"user": "Choose a person, or enter the name of someone without an account"})  # fmt: skip
    if team_role not in TeamRole.values:
        raise ValidationError({"team_role": "Choose their role in the team"})
    if user is not None and project.members.filter(user=user).exists():
        raise ValidationError({"user": f"{user.display_name} is in the team already"})
    with transaction.atomic():
        member = ProjectMember.objects.create(
            project=project, user=user, name=user.display_name if user else name[:120],
            team_role=team_role,
        )  # fmt: skip
        audit.record_event(by=by, action="project_member.add", target=member, ward=project.ward)
    return member


def project_member_remove(*, by, member: ProjectMember) -> None:
    project = member.project
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    with transaction.atomic():
        audit.record_event(by=by, action="project_member.remove", target=member, ward=project.ward)
        member.delete()


def driver_add(
    *, by, project: ImprovementProject, text: str, parent: Driver | None = None
) -> Driver:
    """A primary driver (no parent) or a secondary driver under a primary one."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    text = _text(text)
    field = "secondary_text" if parent is not None else "primary_text"
    if not text:
        raise ValidationError({field: "Enter the driver"})
    if len(text) > 200:
        raise ValidationError({field: "Keep a driver to 200 characters or fewer"})
    if parent is not None and (parent.project_id != project.pk or not parent.is_primary):
        raise ValidationError({"parent": "Choose one of this project's primary drivers"})
    with transaction.atomic():
        driver = Driver.objects.create(project=project, parent=parent, text=text)
        audit.record_event(by=by, action="driver.create", target=driver, ward=project.ward)
    return driver


def driver_update(*, by, driver: Driver, text: str) -> Driver:
    project = driver.project
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    text = _text(text)
    if not text:
        raise ValidationError({"text": "Enter the driver"})
    with transaction.atomic():
        driver.text = text[:200]
        driver.save()
        audit.record_event(by=by, action="driver.update", target=driver, ward=project.ward)
    return driver


def driver_remove(*, by, driver: Driver) -> None:
    """Remove a driver (and, for a primary driver, its secondary drivers). Change ideas under
    it stay in the project, no longer linked to a driver."""
    project = driver.project
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    with transaction.atomic():
        audit.record_event(by=by, action="driver.delete", target=driver, ward=project.ward)
        driver.delete()


def project_change_add(
    *,
    by,
    project: ImprovementProject,
    change_idea: ChangeIdea,
    driver: Driver | None = None,
) -> ProjectChange:
    """Add a change idea to the project, under one of its secondary drivers."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    if change_idea.ward_id not in (None, project.ward_id):
        raise ValidationError({"change_idea": "Choose a change idea from the library or this ward"})
    if driver is not None and (driver.project_id != project.pk or driver.is_primary):
        raise ValidationError({"driver": "Choose one of this project's secondary drivers"})
    if project.changes.filter(change_idea=change_idea).exists():
        raise ValidationError({"change_idea": f"“{change_idea}” is in this project already"})
    with transaction.atomic():
        change = ProjectChange.objects.create(
            project=project, change_idea=change_idea, driver=driver
        )
        audit.record_event(by=by, action="project_change.create", target=change, ward=project.ward)
    return change


def project_change_move(*, by, change: ProjectChange, driver: Driver | None) -> ProjectChange:
    project = change.project
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    if driver is not None and (driver.project_id != project.pk or driver.is_primary):
        raise ValidationError({"driver": "Choose one of this project's secondary drivers"})
    with transaction.atomic():
        change.driver = driver
        change.save(update_fields=["driver"])
        audit.record_event(by=by, action="project_change.update", target=change, ward=project.ward)
    return change


def measurement_plan_update(
    *, by, project: ImprovementProject, measures: dict[str, list[str]]
) -> list[PlannedMeasure]:
    """Set the plan: {"outcome": [measure ids], "process": [...], "balancing": [...]}.

    A plan needs at least one outcome measure: without one, no one can tell whether the
    project met its aim.
    """
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    catalogue = load_catalogue()
    roles = {t.value for t in MeasureType}
    errors = {}
    chosen: dict[str, str] = {}
    for role, ids in measures.items():
        if role not in roles:
            errors[role] = f"{role} is not a kind of measure"
            continue
        for measure_id in ids:
            if measure_id not in catalogue:
                errors[role] = f"{measure_id} is not a measure in the catalogue"
            elif measure_id in chosen:
                errors[role] = f"{catalogue[measure_id].name} is chosen twice"
            else:
                chosen[measure_id] = role
    if not any(role == MeasureType.OUTCOME for role in chosen.values()) and "outcome" not in errors:
        errors["outcome"] = "Choose at least one outcome measure, to tell whether the aim is met"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project.planned_measures.all().delete()
        planned = PlannedMeasure.objects.bulk_create(
            PlannedMeasure(project=project, measure=measure_id, role=role)
            for measure_id, role in chosen.items()
        )
        audit.record_event(
            by=by,
            action="measurement_plan.update",
            target=project,
            ward=project.ward,
            detail={"measures": chosen},
        )
    return planned


# --- PDSA cycles --------------------------------------------------------------------------------


def _later_stage(current: str, reached: str) -> str:
    return max(current, reached, key=lambda stage: _STAGE_ORDER.index(CycleStage(stage)))


def cycle_plan(
    *,
    by,
    project: ImprovementProject,
    change: ProjectChange,
    previous: PdsaCycle | None = None,
    cycle: PdsaCycle | None = None,
    study_measure: str = "",
    **plan: Any,
) -> PdsaCycle:
    """Plan a new cycle (or change the plan of `cycle`). A cycle after `previous` continues its
    ramp: it tests the same change, once the previous cycle has decided to adopt or adapt it."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=project.ward)
    values = {name: _text(v) if isinstance(v, str) else v for name, v in plan.items()}
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"cycle_plan() got unexpected fields: {', '.join(sorted(unknown))}")
    _required(values, PLAN_FIELDS)
    errors = {}
    if values["planned_end"] < values["planned_start"]:
        errors["planned_end"] = "The test must end on or after the day it starts"
    if change.project_id != project.pk:
        errors["change"] = "Choose a change idea of this project"
    if previous is not None and (cycle is None or cycle.previous_id != previous.pk):
        next_cycle = PdsaCycle.objects.filter(previous=previous).exists()
        if previous.project_id != project.pk or previous.change_id != change.pk:
            errors["change"] = "A cycle in a ramp tests the same change as the one before it"
        elif previous.stage != CycleStage.ACT or previous.decision == Decision.ABANDON:
            errors["change"] = (
                "The cycle before must have finished, deciding to adopt or adapt the change"
            )
        elif next_cycle:
            errors["change"] = "The cycle before already has a next cycle"
    if study_measure:
        planned = set(project.planned_measures.values_list("measure", flat=True))
        if study_measure not in load_catalogue() or (planned and study_measure not in planned):
            errors["study_measure"] = "Choose a measure from the project's measurement plan"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = cycle is None
        if created:
            cycle = PdsaCycle(project=project, previous=previous, created_by=by)
        cycle.change = change
        cycle.study_measure = study_measure
        for name, value in values.items():
            setattr(cycle, name, value)
        cycle.save()
        audit.record_event(
            by=by,
            action="pdsa_cycle.plan" if created else "pdsa_cycle.update_plan",
            target=cycle,
            ward=project.ward,
        )
    return cycle


def _need_stage(cycle: PdsaCycle, before: CycleStage, field: str, message: str) -> None:
    if _STAGE_ORDER.index(CycleStage(cycle.stage)) < _STAGE_ORDER.index(before):
        raise ValidationError({field: message})


def cycle_do(
    *,
    by,
    cycle: PdsaCycle,
    started_on: date | None,
    ended_on: date | None,
    what_happened: str,
) -> PdsaCycle:
    """Record the test being carried out: when, and what happened."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=cycle.project.ward)
    values = {"started_on": started_on, "what_happened": _text(what_happened)}
    _required(values, DO_FIELDS)
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": "The test must end on or after the day it started"})
    with transaction.atomic():
        cycle.started_on, cycle.ended_on = started_on, ended_on
        cycle.what_happened = values["what_happened"]
        cycle.stage = _later_stage(cycle.stage, CycleStage.DO)
        cycle.save()
        change = cycle.change
        if change.status == ChangeStatus.NOT_TESTED:
            change.status = ChangeStatus.TESTING
            change.save(update_fields=["status"])
        audit.record_event(by=by, action="pdsa_cycle.do", target=cycle, ward=cycle.project.ward)
    return cycle


def cycle_study(*, by, cycle: PdsaCycle, result: str, learning: str = "") -> PdsaCycle:
    """Compare what happened with the prediction."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=cycle.project.ward)
    _need_stage(cycle, CycleStage.DO, "result", "Record what happened (Do) before studying it")
    result = _text(result)
    _required({"result": result}, STUDY_FIELDS)
    with transaction.atomic():
        cycle.result, cycle.learning = result, _text(learning)
        cycle.stage = _later_stage(cycle.stage, CycleStage.STUDY)
        cycle.save()
        audit.record_event(by=by, action="pdsa_cycle.study", target=cycle, ward=cycle.project.ward)
    return cycle


def cycle_act(
    *, by, cycle: PdsaCycle, decision: str, decided_on: date | None, next_steps: str = ""
) -> PdsaCycle:
    """Decide: adopt the change (it is marked adopted from `decided_on`, which is where
    "did it work?" splits the measures), adapt it and test again, or abandon it."""
    require_permission(by, Permission.IMPROVEMENT_MANAGE, ward=cycle.project.ward)
    _need_stage(cycle, CycleStage.STUDY, "decision", "Study the results before deciding")
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = ACT_FIELDS["decision"]
    if decided_on is None:
        errors["decided_on"] = ACT_FIELDS["decided_on"]
    elif cycle.started_on and decided_on < cycle.started_on:
        errors["decided_on"] = "The decision must come on or after the day the test started"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle.decision, cycle.decided_on = decision, decided_on
        cycle.next_steps = _text(next_steps)
        cycle.stage = CycleStage.ACT
        cycle.save()
        change = cycle.change
        if decision == Decision.ADOPT:
            change.status, change.adopted_on = ChangeStatus.ADOPTED, decided_on
        elif decision == Decision.ABANDON:
            change.status, change.adopted_on = ChangeStatus.ABANDONED, None
        elif change.status != ChangeStatus.ADOPTED:
            change.status = ChangeStatus.TESTING
        change.save(update_fields=["status", "adopted_on"])
        audit.record_event(
            by=by,
            action="pdsa_cycle.act",
            target=cycle,
            ward=cycle.project.ward,
            detail={"decision": decision, "decided_on": decided_on.isoformat()},
        )
    return cycle
