"""Quality improvement on a ward: the change ideas it can try, the ideas patients, carers and
staff share with it (co-design), its improvement projects, their driver diagrams and measurement
plans, and the Plan-Do-Study-Act (PDSA) cycles that test the changes.

Nothing here is patient-level data: a co-design post is what someone chose to share with the
ward, checked by a moderator before anyone else sees it when it came through the public link.
Written only through `mhsip.improvement.services`, which audits every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mhsip.measures.catalogue import MeasureType

# --- Change ideas -------------------------------------------------------------------------------


class Theme(models.TextChoices):
    SAFEWARDS = "safewards", "Safewards"
    COLLABORATIVE = "collaborative", "Reducing restrictive practice collaborative"
    DEBRIEF = "debrief", "Post-incident support and debrief"
    SENSORY = "sensory", "Sensory and trauma-informed approaches"
    PBS = "pbs", "Positive behaviour support"
    LOCAL = "local", "Ideas from ward teams"


class Origin(models.TextChoices):
    LIBRARY = "library", "The change-idea library"
    TEAM = "team", "A ward team"
    CODESIGN = "codesign", "Co-designed with patients, carers and staff"


class ChangeIdea(models.Model):
    """Something a ward can test. Library ideas (no ward) are for everyone; a team's own idea,
    or one that grew out of co-design, belongs to its ward and is seen by that ward's people."""

    #: A stable key for library ideas (library/change_ideas.toml), so reloading updates them.
    key = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What the change is")
    evidence = models.TextField(blank=True)
    source = models.CharField(max_length=400, blank=True)
    source_url = models.URLField(max_length=400, blank=True)
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.LOCAL)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.TEAM)
    ward = models.ForeignKey(
        "organisations.Ward",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_ideas",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                name="library_ideas_have_no_ward_and_others_do",
                condition=(
                    models.Q(origin="library", ward__isnull=True)
                    | (~models.Q(origin="library") & models.Q(ward__isnull=False))
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ContributorRole(models.TextChoices):
    PATIENT = "patient", "Patient"
    CARER = "carer", "Carer, relative or friend"
    STAFF = "staff", "Member of staff"
    REPRESENTATIVE = "representative", "Patient or carer representative"
    OTHER = "other", "Someone else"


class Contribution(models.TextChoices):
    POSTED = "posted", "Shared the idea"
    COMMENTED = "commented", "Helped shape it"


class ChangeIdeaCredit(models.Model):
    """Someone who shaped a co-designed change idea, as they chose to be named."""

    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE, related_name="credits")
    #: As shown: a name, or words such as "A patient (anonymous)".
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=ContributorRole.choices)
    contribution = models.CharField(max_length=20, choices=Contribution.choices)

    class Meta:
        ordering = ["id"]  # the author first, then commenters in the order they joined in

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


# --- Co-design ----------------------------------------------------------------------------------


class ShareLink(models.Model):
    """A ward's share-an-idea link: anyone holding it may send the ward an idea without an
    account. The token is long and random; rotating it (a new token) retires printed copies."""

    ward = models.OneToOneField(
        "organisations.Ward", on_delete=models.CASCADE, related_name="share_link"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Share-an-idea link for {self.ward}"


class PostKind(models.TextChoices):
    PROBLEM = "problem", "A problem"
    IDEA = "idea", "An idea"


class PostStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


class CodesignPost(models.Model):
    """A problem or idea shared with a ward by a patient, carer, representative or member of
    staff. Posts through the public link wait for a moderator; signed-in people's do not."""

    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.CASCADE, related_name="codesign_posts"
    )
    kind = models.CharField(max_length=10, choices=PostKind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField()
    #: The signed-in author; none for posts through the share link.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The name the author chose to give; blank means anonymous.
    author_name = models.CharField(max_length=120, blank=True)
    author_role = models.CharField(max_length=20, choices=ContributorRole.choices)
    via_link = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=PostStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(max_length=300, blank=True)
    #: The change idea this post became, once the team decided to test it.
    change_idea = models.ForeignKey(
        ChangeIdea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codesign_posts",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ward", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def credit_name(self) -> str:
        return self.author_name or f"{self.get_author_role_display()} (anonymous)"


class CodesignComment(models.Model):
    post = models.ForeignKey(CodesignPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=120)
    author_role = models.CharField(max_length=20, choices=ContributorRole.choices)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class CodesignSupport(models.Model):
    """One person's "I support this" on a post (once each)."""

    post = models.ForeignKey(CodesignPost, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="support_a_post_once")]


# --- Projects -----------------------------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    FINISHED = "finished", "Finished"


class ImprovementProject(models.Model):
    """A ward's improvement project, with an aim that says what, how much and by when."""

    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.PROTECT, related_name="improvement_projects"
    )
    title = models.CharField(max_length=160)
    #: What the team wants to improve, e.g. "Reduce the use of physical restraint on Kestrel Ward".
    aim_what = models.CharField(max_length=300)
    #: How much, with a number, e.g. "by a third, from 26 to 17 per 1,000 occupied bed days".
    aim_how_much = models.CharField(max_length=200)
    aim_by = models.DateField()
    status = models.CharField(
        max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ward__name", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def aim_statement(self) -> str:
        what = self.aim_what.rstrip(". ")
        return f"{what} {self.aim_how_much.strip().rstrip('.')} by {self.aim_by:%-d %B %Y}."


class TeamRole(models.TextChoices):
    """The roles the national collaborative asked each ward team to fill (domain.md §3)."""

    PROJECT_LEAD = "project_lead", "Project lead"
    SENIOR_SPONSOR = "senior_sponsor", "Senior sponsor"
    DATA_CHAMPION = "data_champion", "Data champion"
    PATIENT_REPRESENTATIVE = "patient_representative", "Patient representative"
    CARER_REPRESENTATIVE = "carer_representative", "Carer representative"
    MEMBER = "member", "Team member"


class ProjectMember(models.Model):
    project = models.ForeignKey(
        ImprovementProject, on_delete=models.CASCADE, related_name="members"
    )
    #: Someone with an account, or (user empty) someone named without one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    team_role = models.CharField(max_length=30, choices=TeamRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_team_role_display()}"


class Driver(models.Model):
    """A box of the driver diagram: a primary driver (no parent) or a secondary driver under
    one. Change ideas hang off secondary drivers (`ProjectChange.driver`)."""

    project = models.ForeignKey(
        ImprovementProject, on_delete=models.CASCADE, related_name="drivers"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None


class ChangeStatus(models.TextChoices):
    NOT_TESTED = "not_tested", "Not tested yet"
    TESTING = "testing", "Testing"
    ADOPTED = "adopted", "Adopted"
    ABANDONED = "abandoned", "Abandoned"


class ProjectChange(models.Model):
    """A change idea a project is testing, under a secondary driver of its diagram."""

    project = models.ForeignKey(
        ImprovementProject, on_delete=models.CASCADE, related_name="changes"
    )
    change_idea = models.ForeignKey(
        ChangeIdea, on_delete=models.PROTECT, related_name="project_changes"
    )
    driver = models.ForeignKey(
        Driver, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    status = models.CharField(
        max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.NOT_TESTED
    )
    #: When the team adopted it (the Act of the cycle that adopted it): the date "did it
    #: work?" splits the measures at.
    adopted_on = models.DateField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "change_idea"], name="a_change_once_per_project"
            )
        ]

    def __str__(self) -> str:
        return str(self.change_idea)


class PlannedMeasure(models.Model):
    """A measure from the catalogue in a project's measurement plan, in its role there."""

    project = models.ForeignKey(
        ImprovementProject, on_delete=models.CASCADE, related_name="planned_measures"
    )
    #: A measure id of `mhsip.measures.load_catalogue()`.
    measure = models.CharField(max_length=60)
    role = models.CharField(
        max_length=10, choices=[(t.value, t.value.capitalize()) for t in MeasureType]
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "measure"], name="a_measure_once_per_plan")
        ]


# --- PDSA cycles --------------------------------------------------------------------------------


class CycleStage(models.TextChoices):
    """How far a cycle has got: the last of Plan, Do, Study and Act written."""

    PLAN = "plan", "Planned"
    DO = "do", "Testing"
    STUDY = "study", "Studied"
    ACT = "act", "Finished"


class Decision(models.TextChoices):
    ADOPT = "adopt", "Adopt: keep the change as it is"
    ADAPT = "adapt", "Adapt: change it and test again"
    ABANDON = "abandon", "Abandon: stop testing it"


class PdsaCycle(models.Model):
    """One Plan-Do-Study-Act cycle testing a change. A cycle that follows another (`previous`)
    continues its ramp: a chain of cycles testing one change, each building on the last."""

    project = models.ForeignKey(ImprovementProject, on_delete=models.CASCADE, related_name="cycles")
    change = models.ForeignKey(ProjectChange, on_delete=models.PROTECT, related_name="cycles")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycle"
    )
    stage = models.CharField(max_length=8, choices=CycleStage.choices, default=CycleStage.PLAN)
    # Plan
    question = models.TextField(help_text="What are we trying to learn?")
    prediction = models.TextField()
    plan_who = models.CharField(max_length=300)
    plan_what = models.TextField()
    plan_where = models.CharField(max_length=300)
    planned_start = models.DateField()
    planned_end = models.DateField()
    data_to_collect = models.TextField()
    #: The measure whose chart the Study shows (a measure id of the catalogue).
    study_measure = models.CharField(max_length=60, blank=True)
    # Do
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    what_happened = models.TextField(blank=True)
    # Study
    result = models.TextField(blank=True, help_text="What happened, against the prediction")
    learning = models.TextField(blank=True)
    # Act
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    next_steps = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_start", "id"]
        constraints = [
            models.CheckConstraint(
                name="a_cycle_ends_after_it_starts",
                condition=models.Q(planned_end__gte=models.F("planned_start")),
            )
        ]

    def __str__(self) -> str:
        return f"PDSA cycle: {self.change}"

    @property
    def date(self):
        """When the test began (or is planned to): where the cycle sits on a chart."""
        return self.started_on or self.planned_start
