"""Patients (pseudonymous inside their provider), their ward stays, and monthly bed days."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mhsip.patients.characteristics import (
    Ethnicity,
    GenderIdentity,
    LegalStatus,
    Religion,
    Sex,
    SexualOrientation,
    YesNoUnknown,
)


class Patient(models.Model):
    """A patient as mhsip knows them: never by name or NHS number.

    `local_id_hash` is a keyed hash (HMAC-SHA256 with the deployment's pseudonymisation key) of
    the trust's own identifier, so staff can find a patient by the identifier they know while the
    database alone cannot be turned back into it. The trust's clinical system, which holds the
    name, is where items (e) and (g) of the Act's record are resolved.
    """

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="patients"
    )
    local_id_hash = models.CharField(max_length=64)
    alias = models.CharField(
        max_length=40, help_text="A made-up name shown instead of the real one"
    )
    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender_identity = models.CharField(
        max_length=20, choices=GenderIdentity.choices, default=GenderIdentity.NOT_KNOWN
    )
    ethnicity = models.CharField(
        max_length=2, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    religion = models.CharField(max_length=20, choices=Religion.choices, default=Religion.NOT_KNOWN)
    sexual_orientation = models.CharField(
        max_length=20, choices=SexualOrientation.choices, default=SexualOrientation.NOT_KNOWN
    )
    disability = models.CharField(max_length=12, choices=YesNoUnknown.choices, default="not_known")
    learning_disability = models.CharField(
        max_length=12, choices=YesNoUnknown.choices, default="not_known"
    )
    autism = models.CharField(max_length=12, choices=YesNoUnknown.choices, default="not_known")
    mental_disorder = models.CharField(
        max_length=200, blank=True, help_text="The patient's mental disorder, if known"
    )
    legal_status = models.CharField(
        max_length=20, choices=LegalStatus.choices, default=LegalStatus.NOT_KNOWN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alias"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "local_id_hash"], name="patient_unique_in_provider"
            )
        ]

    def __str__(self) -> str:
        return self.alias

    def age_on(self, day) -> int | None:
        if self.date_of_birth:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.year_of_birth:
            return day.year - self.year_of_birth
        return None


class StayEnd(models.TextChoices):
    TRANSFER = "transfer", "Transferred to another ward"
    DISCHARGE = "discharge", "Discharged"


class WardStay(models.Model):
    """A patient on a ward from `started_at` until `ended_at` (open while still there)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="stays")
    ward = models.ForeignKey("organisations.Ward", on_delete=models.PROTECT, related_name="stays")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=StayEnd.choices, blank=True)
    #: When the stay last changed (a discharge or transfer), so dashboards know to recount.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["started_at"]
        indexes = [models.Index(fields=["ward", "started_at"])]
        constraints = [
            models.CheckConstraint(
                name="stay_ends_after_it_starts",
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.ward} from {self.started_at:%d %b %Y}"


class MonthlyBedDays(models.Model):
    """Occupied bed days entered by a ward that does not record patient-level stays."""

    ward = models.ForeignKey("organisations.Ward", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month")
    occupied_bed_days = models.PositiveIntegerField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "month"], name="bed_days_once_a_month")
        ]
