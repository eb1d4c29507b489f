"""The demo region's improvement work: projects, driver diagrams, PDSA ramps and co-design posts
on the wards that joined the programme, dated from when each joined (all of it made up).

Kestrel Ward has the full story: a project whose team includes the demo patient representative
and a carer, a driver diagram, three ramps (one adopted as the ward's rate fell, so "did it
work?" has something to find), a change idea co-designed from an anonymous patient's post, and
posts waiting for the manager to moderate. Osprey, Linnet and Skylark have one ramp each; Willow
and Fulmar have projects whose cycles stopped, so the coach's view has stalled wards to show.

`improvement_plans` is pure (plain dataclasses from the wards' stories); `load_improvement`
writes them inside `mhsip.demo.load.load_region`'s transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mhsip.demo.generate import LONDON, WardStory, add_months
from mhsip.improvement.library import load_library
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
    ShareLink,
    TeamRole,
    Theme,
)

KESTREL = "ZZA01-KESTREL"


@dataclass(frozen=True)
class CyclePlan:
    question: str
    prediction: str
    who: str
    what: str
    where: str
    data: str
    #: Days after the ward joined the programme, or (negative) days before today.
    start: int
    days: int = 14
    from_today: bool = False
    stage: str = CycleStage.ACT
    decision: str = ""
    what_happened: str = ""
    result: str = ""
    learning: str = ""
    next_steps: str = ""


@dataclass(frozen=True)
class RampPlan:
    #: A library idea's key, or the title of a co-designed idea (`PostPlan.becomes`).
    idea: str
    driver: str
    cycles: tuple[CyclePlan, ...]


@dataclass(frozen=True)
class PostPlan:
    kind: str
    title: str
    body: str
    author_role: str
    author: str | None = None  # a demo username
    author_name: str = ""
    via_link: bool = False
    status: str = PostStatus.PUBLISHED
    note: str = ""
    days_ago: int = 30
    comments: tuple[tuple[str, str], ...] = ()  # (username, text)
    supporters: tuple[str, ...] = ()
    #: (title, summary) of the change idea the post became.
    becomes: tuple[str, str] | None = None


@dataclass(frozen=True)
class ProjectPlan:
    ward_code: str
    title: str
    aim_what: str
    aim_how_much: str
    aim_months: int  # after joining
    team: tuple[tuple[str | None, str, str], ...]  # (username, name if no account, team role)
    drivers: dict[str, tuple[str, ...]]  # primary -> its secondary drivers
    changes: tuple[tuple[str, str], ...]  # (idea, secondary driver) not tested yet
    measures: dict[str, tuple[str, ...]]
    ramps: tuple[RampPlan, ...] = ()
    posts: tuple[PostPlan, ...] = field(default_factory=tuple)


# --- The plans ----------------------------------------------------------------------------------

_SOFT_WORDS = (
    CyclePlan(
        "If the nurse in charge uses soft words when turning down a request on one evening shift, "
        "do fewer conversations escalate?",
        "Fewer raised voices in the lounge after 6pm on the test evenings",
        "Charge nurse on evening shifts",
        "Explain why, offer what can be done instead, and avoid 'rules are rules'",
        "The lounge and the nursing office door",
        "Tally of raised voices per evening; requests turned down",
        start=10,
        days=7,
        decision=Decision.ADAPT,
        what_happened="Tried on 5 evenings. Harder when two requests came at once.",
        result="Raised voices fell from about 4 to 2 an evening, as predicted, but only "
        "when the charge nurse was free to talk.",
        learning="Other staff need the same words, not only the charge nurse.",
        next_steps="Test with all evening staff, using a prompt card.",
    ),
    CyclePlan(
        "Will a prompt card help every evening staff member use soft words?",
        "Most staff will use the card's words within a week; raised voices fall further",
        "All evening staff",
        "Prompt cards on lanyards; a reminder at the evening huddle",
        "The whole ward",
        "Tally of raised voices; staff asked at handover whether they used the card",
        start=35,
        days=14,
        decision=Decision.ADAPT,
        what_happened="Cards given to 14 staff. Agency staff had not heard of them.",
        result="Raised voices down to about 1 an evening on shifts with regular staff.",
        next_steps="Add soft words to the agency induction sheet, then test on every shift.",
    ),
    CyclePlan(
        "Does soft words on every shift, with agency staff inducted, keep the lounge calm?",
        "The fall holds on day and night shifts",
        "Every shift, led by the nurse in charge",
        "Prompt cards, huddle reminder, and soft words in the agency induction",
        "The whole ward",
        "Raised voices per shift; restrictive interventions per month",
        start=60,
        days=21,
        decision=Decision.ADOPT,
        what_happened="Running on every shift for three weeks.",
        result="Calmer on every shift; restrictive interventions the lowest for a year.",
        next_steps="Adopted: part of the ward's induction and huddle from now on.",
    ),
)

_TALK_DOWN = (
    CyclePlan(
        "Does a shared talk-down script help staff de-escalate before a hold?",
        "Staff will try talking down first in most incidents",
        "Day staff",
        "A one-page talk-down script, practised at the morning huddle",
        "The whole ward",
        "For each incident: was talk-down tried first?",
        start=45,
        days=14,
        decision=Decision.ADAPT,
        what_happened="Practised on 6 mornings; used in 7 of 9 incidents.",
        result="Tried first in most incidents, as predicted; staff wanted it shorter.",
        next_steps="Shorten to five steps and test on nights too.",
    ),
    CyclePlan(
        "Does the five-step talk-down work on nights as well?",
        "Used first in most incidents on nights",
        "Night staff",
        "The five-step card, practised at the night handover",
        "The whole ward",
        "For each incident: was talk-down tried first?",
        start=75,
        days=14,
        decision=Decision.ADOPT,
        what_happened="Used in 5 of 6 night incidents.",
        result="Worked on nights too.",
        next_steps="Adopted with soft words.",
    ),
)

_DEBRIEF = (
    CyclePlan(
        "Will patients take up a debrief offered within 72 hours of a restraint?",
        "Half of patients will take it up",
        "Named nurse, with the psychologist",
        "Offer a debrief using the Restraint Reduction Network's questions",
        "The quiet room",
        "Offers, take-up, and what patients said would have helped",
        start=110,
        days=28,
        decision=Decision.ADAPT,
        what_happened="Offered after 8 of 10 restraints; 3 patients took it up.",
        result="Fewer than predicted: patients wanted someone who was not involved.",
        next_steps="Ask the patient who they would like to talk to.",
    ),
    CyclePlan(
        "If patients choose who debriefs them, do more take it up?",
        "More than half will take it up",
        "A member of staff the patient chooses",
        "Ask who the patient would like; debrief within 72 hours",
        "Wherever the patient prefers",
        "Offers and take-up; the patient's own words on what would have helped",
        start=-20,
        days=28,
        from_today=True,
        stage=CycleStage.DO,
        what_happened="Started: offered after the last 4 restraints, taken up twice so far.",
    ),
)

_MUSIC = (
    CyclePlan(
        "Does quiet music in the lounge after tea make evenings calmer?",
        "Fewer patients agitated between 6 and 8pm",
        "Activity co-ordinator and evening staff",
        "A playlist chosen at the patients' meeting, played quietly after tea",
        "The lounge",
        "Agitation noted at 7pm each evening; what patients say",
        start=-45,
        days=21,
        from_today=True,
        stage=CycleStage.STUDY,
        what_happened="Played on 15 evenings. Headphones asked for by two patients.",
        result="Calmer on most evenings; two patients found it annoying.",
    ),
)

KESTREL_POSTS = (
    PostPlan(
        PostKind.IDEA,
        "Music in the evenings",
        "Evenings are the worst time here. Could we have quiet music in the lounge after tea? "
        "Something calm that we choose.",
        ContributorRole.PATIENT,
        via_link=True,
        days_ago=70,
        comments=(
            (
                "patientrep",
                (
                    "Lots of people said this at the patients' meeting too. Headphones "
                    "for people who want quiet would help."
                ),
            ),
            ("nurse", "We could try a playlist picked at the patients' meeting."),
        ),  # fmt: skip
        supporters=("patientrep", "nurse", "manager", "qilead"),
        becomes=(
            "Evening music in the lounge",
            (
                "A playlist chosen by patients, played quietly in the lounge after tea, with "
                "headphones for anyone who wants quiet."
            ),
        ),
    ),
    PostPlan(
        PostKind.PROBLEM,
        "Being told no without a reason",
        "People get wound up when a request is turned down with 'it's the rules'. A reason, "
        "and what we can do instead, makes all the difference.",
        ContributorRole.REPRESENTATIVE,
        author="patientrep",
        days_ago=200,
        comments=(("manager", "This is why we are testing soft words on evening shifts."),),
        supporters=("nurse", "manager"),
    ),
    PostPlan(
        PostKind.PROBLEM,
        "Loud handovers in the corridor",
        "My son says handover happens outside the bedrooms and you can hear everything.",
        ContributorRole.CARER,
        author_name="Lou Carter",
        via_link=True,
        days_ago=25,
        supporters=("patientrep",),
    ),
    PostPlan(
        PostKind.PROBLEM,
        "The quiet room is always locked",
        "When I need to get away from the noise, the quiet room is locked and I have to ask.",
        ContributorRole.PATIENT,
        via_link=True,
        status=PostStatus.PENDING,
        days_ago=3,
    ),
    PostPlan(
        PostKind.IDEA,
        "Fruit in the evenings",
        "Could there be fruit out after supper? People get hungry and grumpy.",
        ContributorRole.PATIENT,
        via_link=True,
        status=PostStatus.PENDING,
        days_ago=1,
    ),
    PostPlan(
        PostKind.PROBLEM,
        "Weekend staffing",
        "Named another patient when describing a weekend incident.",
        ContributorRole.PATIENT,
        via_link=True,
        status=PostStatus.REJECTED,
        note="Named another patient. The weekend staffing point has been raised at the huddle.",
        days_ago=40,
    ),
)

_MEASURES = {
    "outcome": ("restrictive_interventions", "physical_restraint"),
    "process": ("review_offered", "safety_huddles"),
    "balancing": ("assaults_on_staff", "patients_feeling_safe"),
}


def _one_ramp(idea: str, driver: str, question: str, what: str, start: int, decision: str):
    return RampPlan(
        idea,
        driver,
        (
            CyclePlan(
                question,
                "The change will be used on most shifts, and incidents will settle sooner",
                "Ward staff on day shifts",
                what,
                "The whole ward",
                "How often it was used; incidents and how they ended",
                start=start,
                days=21,
                decision=Decision.ADAPT,
                what_happened="Used on most day shifts.",
                result="Used as planned; staff asked for it on nights too.",
                next_steps="Test on every shift.",
            ),
            CyclePlan(
                question.replace("day shifts", "every shift"),
                "It holds on nights as well",
                "Every shift",
                what,
                "The whole ward",
                "How often it was used; incidents and how they ended",
                start=start + 35,
                days=21,
                decision=decision,
                what_happened="Used on every shift.",
                result="Worked on nights too.",
                next_steps="Part of how the ward works." if decision == "adopt" else "",
            ),
        ),
    )


PROJECTS = (
    ProjectPlan(
        KESTREL,
        "Calmer evenings on Kestrel",
        "Reduce restrictive interventions on Kestrel Ward",
        "by 30% from its baseline",
        18,
        (
            ("manager", "", TeamRole.PROJECT_LEAD),
            ("responsible", "", TeamRole.SENIOR_SPONSOR),
            ("qilead", "", TeamRole.DATA_CHAMPION),
            ("patientrep", "", TeamRole.PATIENT_REPRESENTATIVE),
            (None, "Lou Carter", TeamRole.CARER_REPRESENTATIVE),
            ("nurse", "", TeamRole.MEMBER),
        ),
        {
            "Patients feel listened to and safe": (
                "Staff know each patient's calming strategies",
                "Bad news is given with care",
            ),
            "Staff respond to distress without force": (
                "A shared way of de-escalating",
                "Learning after every incident",
            ),
            "A calm, purposeful ward": ("Evenings have things to do",),
        },
        (
            ("nccmh-knowing-preferences", "Staff know each patient's calming strategies"),
            ("safewards-calm-down-methods", "Staff know each patient's calming strategies"),
            ("safewards-bad-news-mitigation", "Bad news is given with care"),
        ),
        _MEASURES,
        (
            RampPlan("safewards-soft-words", "A shared way of de-escalating", _SOFT_WORDS),
            RampPlan("safewards-talk-down", "A shared way of de-escalating", _TALK_DOWN),
            RampPlan("rrn-post-incident-debrief", "Learning after every incident", _DEBRIEF),
            RampPlan("Evening music in the lounge", "Evenings have things to do", _MUSIC),
        ),
        KESTREL_POSTS,
    ),
    ProjectPlan(
        "ZZA01-OSPREY",
        "Fewer restraints in the first days on Osprey",
        "Reduce physical restraint on Osprey PICU",
        "by 25%",
        12,
        (("staff.osprey", "", TeamRole.PROJECT_LEAD),),
        {"New patients feel safe": ("Reassurance after every incident",)},
        (),
        {"outcome": ("physical_restraint",), "balancing": ("assaults_on_staff",)},
        (
            _one_ramp(
                "safewards-reassurance",
                "Reassurance after every incident",
                "Does checking in with every patient after an incident on day shifts calm the ward?",
                "Talk with every patient who saw or heard an incident, within the hour",
                20,
                Decision.ADOPT,
            ),
        ),
    ),
    ProjectPlan(
        "ZZB02-LINNET",
        "Flip the triangle on Linnet",
        "Reduce restrictive interventions on Linnet Ward",
        "by a third (33%)",
        18,
        (("staff.linnet", "", TeamRole.PROJECT_LEAD),),
        {"Proactive support for everyone": ("A positive behaviour support plan for each person",)},
        (),
        {"outcome": ("restrictive_interventions",), "process": ("care_plans_coproduced",)},
        (
            _one_ramp(
                "pbs-flip-the-triangle",
                "A positive behaviour support plan for each person",
                "Do positive behaviour support plans, reviewed weekly on day shifts, prevent crises?",
                "Review each person's PBS plan at the weekly team meeting; use its proactive "
                "strategies first",
                30,
                Decision.ADOPT,
            ),
        ),
    ),
    ProjectPlan(
        "ZZC01-SKYLARK",
        "Calm down, not hold down",
        "Reduce restraint on Skylark Ward",
        "by 20%",
        12,
        (("staff.skylark", "", TeamRole.PROJECT_LEAD),),
        {"Young people can calm themselves": ("Sensory tools to hand",)},
        (("sensory-modulation", "Sensory tools to hand"),),
        {"outcome": ("restrictive_interventions",), "balancing": ("self_harm",)},
        (
            RampPlan(
                "safewards-calm-down-methods",
                "Sensory tools to hand",
                (
                    CyclePlan(
                        "Will young people use a calm-down box before as-required medication?",
                        "Most will try it first",
                        "Evening staff",
                        "A calm-down box in the lounge, offered before any PRN",
                        "The lounge",
                        "Times offered, used, and whether PRN was still needed",
                        start=-12,
                        days=21,
                        from_today=True,
                        stage=CycleStage.DO,
                        what_happened="Started: offered 6 times so far.",
                    ),
                ),
            ),
        ),
    ),
    ProjectPlan(
        "ZZA02-WILLOW",
        "Personal care without restraint",
        "Reduce restraint during personal care on Willow Ward",
        "by 25%",
        18,
        (("staff.willow", "", TeamRole.PROJECT_LEAD),),
        {"Care at the person's pace": ("Knowing each person's routine",)},
        (),
        {"outcome": ("restrictive_interventions",)},
        (
            _one_ramp(
                "nccmh-knowing-preferences",
                "Knowing each person's routine",
                "Does a 'what helps me' sheet for personal care help on day shifts?",
                "A one-page sheet of each person's routine and what helps, by the bed",
                15,
                Decision.ADAPT,
            ),
        ),
    ),
    ProjectPlan(
        "ZZB01-FULMAR",
        "Fewer blanket restrictions on Fulmar",
        "Reduce restrictive interventions on Fulmar Ward",
        "by 20%",
        18,
        (("staff.fulmar", "", TeamRole.PROJECT_LEAD),),
        {"Rules only where needed": ("Review the ward's unwritten rules",)},
        (("collaborative-unwritten-rules", "Review the ward's unwritten rules"),),
        {"outcome": ("restrictive_interventions",)},
    ),
)


# --- Writing ------------------------------------------------------------------------------------


def _when(day: date, days_ago: int = 0) -> datetime:
    moment = datetime.combine(day - timedelta(days=days_ago), time(11, 0), tzinfo=LONDON)
    return moment


def load_improvement(
    stories: list[WardStory], today: date, wards: dict, users: dict
) -> dict[str, int]:
    """Write the plans for the wards that joined the programme. Returns counts by kind."""
    if not ChangeIdea.objects.filter(origin=Origin.LIBRARY).exists():
        load_library()  # a flushed test database has lost what the migration loaded
    library = {idea.key: idea for idea in ChangeIdea.objects.filter(origin=Origin.LIBRARY)}
    joined = {s.ward_code: s.joined_programme_on for s in stories if s.joined_programme_on}
    counts = {"projects": 0, "cycles": 0, "posts": 0}
    for plan in PROJECTS:
        if plan.ward_code not in joined or plan.ward_code not in wards:
            continue
        ward = wards[plan.ward_code]
        anchor = joined[plan.ward_code]
        ideas = dict(library)
        for post in plan.posts:
            made = _post(post, ward, users, today)
            counts["posts"] += 1
            if made.change_idea is not None:
                ideas[made.change_idea.title] = made.change_idea
        lead = users.get(plan.team[0][0]) if plan.team[0][0] else None
        project = ImprovementProject.objects.create(
            ward=ward,
            title=plan.title,
            aim_what=plan.aim_what,
            aim_how_much=plan.aim_how_much,
            aim_by=add_months(anchor, plan.aim_months),
            created_by=lead,
        )
        counts["projects"] += 1
        for username, name, role in plan.team:
            user = users.get(username) if username else None
            if username and user is None:
                continue
            ProjectMember.objects.create(
                project=project, user=user, name=user.display_name if user else name, team_role=role
            )
        secondaries = {}
        for primary_text, texts in plan.drivers.items():
            primary = Driver.objects.create(project=project, text=primary_text)
            for text in texts:
                secondaries[text] = Driver.objects.create(
                    project=project, parent=primary, text=text
                )
        for role, measures in plan.measures.items():
            PlannedMeasure.objects.bulk_create(
                PlannedMeasure(project=project, measure=m, role=role) for m in measures
            )
        for key, driver in plan.changes:
            ProjectChange.objects.create(
                project=project, change_idea=ideas[key], driver=secondaries[driver]
            )
        for ramp in plan.ramps:
            counts["cycles"] += _ramp(ramp, project, ideas, secondaries, anchor, today, lead)
    if KESTREL in wards and KESTREL in joined:
        ShareLink.objects.create(
            ward=wards[KESTREL],
            token=secrets.token_urlsafe(24),
            created_at=timezone.now(),
            created_by=users.get("manager"),
        )
    return counts


def _ramp(ramp, project, ideas, secondaries, anchor: date, today: date, by) -> int:
    change = ProjectChange.objects.create(
        project=project,
        change_idea=ideas[ramp.idea],
        driver=secondaries[ramp.driver],
        status=ChangeStatus.TESTING,
    )
    previous, made = None, 0
    for plan in ramp.cycles:
        start = (
            today + timedelta(days=plan.start)
            if plan.from_today
            else anchor + timedelta(days=plan.start)
        )
        end = start + timedelta(days=plan.days)
        finished = plan.stage == CycleStage.ACT
        if start >= today or (finished and end >= today):
            break  # not happened yet in a short demo history
        decided = bool(plan.decision) and finished
        cycle = PdsaCycle.objects.create(
            project=project,
            change=change,
            previous=previous,
            stage=plan.stage,
            question=plan.question,
            prediction=plan.prediction,
            plan_who=plan.who,
            plan_what=plan.what,
            plan_where=plan.where,
            planned_start=start,
            planned_end=end,
            data_to_collect=plan.data,
            study_measure="restrictive_interventions",
            started_on=start,
            ended_on=end if finished else None,
            what_happened=plan.what_happened,
            result=plan.result,
            learning=plan.learning,
            decision=plan.decision if decided else "",
            decided_on=end if decided else None,
            next_steps=plan.next_steps if decided else "",
            created_by=by,
        )
        made += 1
        if decided and plan.decision == Decision.ADOPT:
            change.status, change.adopted_on = ChangeStatus.ADOPTED, end
        elif decided and plan.decision == Decision.ABANDON:
            change.status = ChangeStatus.ABANDONED
        previous = cycle
    if made == 0:
        change.status = ChangeStatus.NOT_TESTED
    change.save()
    return made


def _post(plan: PostPlan, ward, users: dict, today: date) -> CodesignPost:
    author = users.get(plan.author) if plan.author else None
    created = _when(today, plan.days_ago)
    post = CodesignPost.objects.create(
        ward=ward,
        kind=plan.kind,
        title=plan.title,
        body=plan.body,
        author=author,
        author_name=author.display_name if author else plan.author_name,
        author_role=plan.author_role,
        via_link=plan.via_link,
        status=plan.status,
        moderated_by=users.get("manager")
        if plan.via_link and plan.status != PostStatus.PENDING
        else None,
        moderated_at=created + timedelta(hours=20)
        if plan.via_link and plan.status != PostStatus.PENDING
        else None,
        moderation_note=plan.note,
    )
    # auto_now_add ignores a value given on create; the demo's posts are dated in the past.
    CodesignPost.objects.filter(pk=post.pk).update(created_at=created)
    for index, (username, text) in enumerate(plan.comments):
        user = users.get(username)
        if user is None:
            continue
        comment = CodesignComment.objects.create(
            post=post,
            author=user,
            author_name=user.display_name,
            author_role=ContributorRole.REPRESENTATIVE
            if username == "patientrep"
            else ContributorRole.STAFF,
            body=text,
        )
        CodesignComment.objects.filter(pk=comment.pk).update(
            created_at=created + timedelta(days=index + 1)
        )
    CodesignSupport.objects.bulk_create(
        CodesignSupport(post=post, user=users[u]) for u in plan.supporters if u in users
    )
    if plan.becomes:
        title, summary = plan.becomes
        idea = ChangeIdea.objects.create(
            ward=ward,
            origin=Origin.CODESIGN,
            theme=Theme.LOCAL,
            title=title,
            summary=summary,
            evidence=f"Co-designed on {ward.name}: “{post.title}”.",
            created_by=users.get("manager"),
        )
        ChangeIdeaCredit.objects.create(
            change_idea=idea,
            name=post.credit_name,
            role=post.author_role,
            contribution=Contribution.POSTED,
        )
        for comment in post.comments.all():
            ChangeIdeaCredit.objects.create(
                change_idea=idea,
                name=comment.author_name,
                role=comment.author_role,
                contribution=Contribution.COMMENTED,
            )
        post.change_idea = idea
        post.save(update_fields=["change_idea"])
    return post
