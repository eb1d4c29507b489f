"""The Safety Improvement Network: who asks to join it, and the case studies its members share.

Nothing here is patient-level data. A case study is written by a ward team about a finished
PDSA ramp; its chart and "did it work?" verdict are copied in, suppressed, when the provider
approves it, so that later data cannot silently change a published story. Written only through
`mhsip.network.services`, which audits every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JoinKind(models.TextChoices):
    ORGANISATION = "organisation", "A provider joining the network"
    PERSON = "person", "A person asking for a network role"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


#: The roles a person may ask for on a network (roles.py: granted at network scope).
REQUESTABLE_ROLES = [
    ("champion", "Champion"),
    ("patient_representative", "Patient or carer representative"),
    ("network_lead", "Network improvement lead"),
]


class JoinRequest(models.Model):
    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="join_requests"
    )
    kind = models.CharField(max_length=16, choices=JoinKind.choices)
    #: The provider asking to join (organisation requests).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_join_requests",
    )
    #: The role asked for (person requests).
    role = models.CharField(max_length=40, blank=True, choices=REQUESTABLE_ROLES)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_join_requests"
    )
    message = models.TextField(max_length=1000)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="join_request_names_what_joins",
                condition=(
                    models.Q(kind="organisation", organisation__isnull=False)
                    | models.Q(kind="person", organisation__isnull=True) & ~models.Q(role="")
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Request to join {self.network}: {self.who}"

    @property
    def who(self) -> str:
        if self.kind == JoinKind.ORGANISATION:
            return str(self.organisation)
        name = self.requested_by.get_full_name() or self.requested_by.username
        return f"{name} as {self.get_role_display().lower()}"


class CaseStudyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for the provider's approval"
    RETURNED = "returned", "Returned to the team"
    PUBLISHED = "published", "Published to the network"


class Result(models.TextChoices):
    """What the library filters on: the "did it work?" verdict, in three words."""

    WORKED = "worked", "Worked"
    NOT_SHOWN = "not_shown", "Improvement not shown"
    NOT_ENOUGH_DATA = "not_enough_data", "Not enough data yet"


class CaseStudy(models.Model):
    """A ward team's story of a finished PDSA ramp (the chain of cycles testing one change)."""

    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.PROTECT, related_name="case_studies"
    )
    change = models.ForeignKey(
        "improvement.ProjectChange", on_delete=models.PROTECT, related_name="case_studies"
    )
    #: The ramp's first cycle: a ramp is told once.
    first_cycle = models.OneToOneField(
        "improvement.PdsaCycle", on_delete=models.PROTECT, related_name="case_study"
    )
    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="The problem the team set out to solve")
    what_happened = models.TextField(help_text="What the team did and what happened")
    co_designed_with = models.TextField(
        blank=True, help_text="Who co-designed the change, as they chose to be named"
    )
    do_differently = models.TextField(blank=True, help_text="What the team would do differently")
    status = models.CharField(
        max_length=10, choices=CaseStudyStatus.choices, default=CaseStudyStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.CharField(max_length=500, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    #: The network it was published to (the ward's network at the time).
    network = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )

    # The snapshot taken at publication: suppressed figures only, as the network sees them.
    result = models.CharField(max_length=16, choices=Result.choices, blank=True)
    verdict = models.CharField(max_length=16, blank=True)
    verdict_headline = models.CharField(max_length=200, blank=True)
    verdict_summary = models.TextField(blank=True)
    measure_name = models.CharField(max_length=200, blank=True)
    rate_ratio = models.FloatField(null=True, blank=True)
    ratio_lower = models.FloatField(null=True, blank=True)
    ratio_upper = models.FloatField(null=True, blank=True)
    #: The Vega-Lite spec of the chart, with its (suppressed) data inline.
    chart_spec = models.JSONField(null=True, blank=True)
    #: The same chart rendered to SVG at publication (for print and for readers without JS).
    chart_svg = models.TextField(blank=True)
    snapshot_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-updated_at", "-id"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    #: The text fields the PII check reads, with their labels.
    TEXT_FIELDS = {
        "title": "Title",
        "problem": "The problem",
        "what_happened": "What happened",
        "co_designed_with": "Who co-designed it",
        "do_differently": "What we would do differently",
    }
