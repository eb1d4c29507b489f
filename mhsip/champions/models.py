"""Champions follow wards or providers; the watcher raises alerts for them; a weekly digest
tells them what is new. Written only through `mhsip.champions.services` and `.watch`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mhsip.measures.alerts import AlertKind


class Follow(models.Model):
    """Someone following a ward or a provider (one of the two)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    ward = models.ForeignKey(
        "organisations.Ward", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="follow_a_ward_or_a_provider",
                condition=Q(ward__isnull=False, provider__isnull=True)
                | Q(ward__isnull=True, provider__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["follower", "ward"], condition=Q(ward__isnull=False), name="follow_ward"
            ),
            models.UniqueConstraint(
                fields=["follower", "provider"],
                condition=Q(provider__isnull=False),
                name="follow_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.target}"

    @property
    def target(self):
        return self.ward or self.provider


class Alert(models.Model):
    """A new signal on something a person follows, raised once: `key` is its identity (what it
    is about, the measure, the kind and the period), unique for each follower."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    #: What the alert is about: a ward, or a provider as a whole.
    ward = models.ForeignKey(
        "organisations.Ward", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    #: The measure's id in the catalogue; empty for "data stopped arriving".
    measure = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=32, choices=[(k.value, k.label) for k in AlertKind])
    #: The month the signal is about, YYYY-MM.
    period = models.CharField(max_length=7)
    key = models.CharField(max_length=200)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "key"], name="alert_raised_once"),
            models.CheckConstraint(
                name="alert_about_a_ward_or_a_provider",
                condition=Q(ward__isnull=False, provider__isnull=True)
                | Q(ward__isnull=True, provider__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target} ({self.period})"

    @property
    def target(self):
        return self.ward or self.provider

    @property
    def level(self) -> str:
        return "ward" if self.ward_id else "provider"

    @property
    def code(self) -> str:
        return self.target.code

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class DigestSent(models.Model):
    """The weekly digest sent to a person for the week starting on `week` (a Monday)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    alerts = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="one_digest_a_week"),
        ]
