"""The use-of-force record: an incident holding one or more interventions, with its staff,
its version history, and nothing that can be silently overwritten or deleted."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from mhsip.incidents.codes import (
    GROUP_OF,
    Answer,
    InterventionGroup,
    InterventionType,
    Place,
    Reason,
    StaffRole,
)

#: The Act (s.6(6)) keeps every record for 3 years from when it was made.
RETENTION = timedelta(days=3 * 366)


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETE = "complete", "Complete"


class RetainedRecordError(Exception):
    """Raised on an attempt to delete a record inside the Act's retention period."""


class UseOfForceRecord(models.Model):
    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.PROTECT, related_name="use_of_force_records"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="use_of_force_records"
    )
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    # (b) place, date and duration
    place = models.CharField(max_length=20, choices=Place.choices, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # (a) reason
    reason = models.CharField(max_length=2, choices=Reason.choices, blank=True)
    reason_detail = models.TextField(blank=True)
    # (o) efforts made to avoid force, and de-escalation tried
    avoidance_efforts = models.TextField(blank=True)
    # (f) how force was used
    how_force_was_used = models.TextField(blank=True)
    # (d) whether the force was part of the care plan
    part_of_care_plan = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    # (p) whether the patient's care plan was notified / reviewed after the use of force
    care_plan_notification_sent = models.CharField(
        max_length=10, choices=Answer.choices, blank=True
    )
    # (i) anyone from outside the unit, and why
    outside_people_involved = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    outside_people_reason = models.TextField(blank=True)
    # (m) outcome, (n) death or serious injury
    outcome = models.TextField(blank=True)
    patient_injured = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    staff_injured = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    others_injured = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    death_or_serious_injury = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    # Post-incident review (MHSDS RestrictiveIntPIReviewHeldPat / ...CarePers)
    review_offered = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    review_held = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    review_not_held_reason = models.TextField(blank=True)
    carer_informed = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    # Overrides of validation warnings, with the recorder's reason
    no_stay_reason = models.TextField(blank=True)
    duplicate_reason = models.TextField(blank=True)

    # The natural key of a record imported from an incident system (mhsip.imports): which
    # provider's system, which system, and the incident's reference there. Blank for records
    # made in mhsip. Importing the same export again finds the record by this key.
    source_provider = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(
        max_length=100, blank=True, help_text="The incident system it was imported from"
    )
    external_reference = models.CharField(
        max_length=100, blank=True, help_text="The incident's reference in that system"
    )

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["ward", "started_at"]),
            models.Index(fields=["patient", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="record_ends_after_it_starts",
                condition=models.Q(ended_at__isnull=True)
                | models.Q(started_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
            ),
            models.UniqueConstraint(
                fields=["source_provider", "source", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="imported_record_once_per_provider",
            ),
        ]

    def __str__(self) -> str:
        when = (
            f"{timezone.localtime(self.started_at):%d %b %Y %H:%M}"
            if self.started_at
            else "no date"
        )
        return f"Use of force on {self.ward} at {when}"

    @property
    def reference(self) -> str:
        return f"UOF-{self.pk:06d}"

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return round((self.ended_at - self.started_at).total_seconds() / 60)
        return None

    def delete(self, *args, **kwargs):
        if timezone.now() < self.created_at + RETENTION:
            raise RetainedRecordError(
                "The Mental Health Units (Use of Force) Act 2018 keeps records for 3 years: "
                f"{self.reference} cannot be deleted before {(self.created_at + RETENTION):%d %B %Y}."
            )
        return super().delete(*args, **kwargs)


class Intervention(models.Model):
    """One restrictive intervention within an incident (MHSDS MHS515), with its own times."""

    record = models.ForeignKey(
        UseOfForceRecord, on_delete=models.CASCADE, related_name="interventions"
    )
    type_code = models.CharField(max_length=2, choices=InterventionType.choices)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return self.get_type_code_display()

    @property
    def group(self) -> InterventionGroup:
        return GROUP_OF[InterventionType(self.type_code)]

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return round((self.ended_at - self.started_at).total_seconds() / 60)
        return None


class StaffInvolvement(models.Model):
    """(h) the name and job title of each member of staff who used force, and what they did."""

    record = models.ForeignKey(UseOfForceRecord, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=StaffRole.choices, blank=True)
    from_outside_unit = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}"


class RecordVersion(models.Model):
    """Every saved state of a record, with who saved it, when and why. Never changed."""

    record = models.ForeignKey(UseOfForceRecord, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="one_version_number")
        ]
