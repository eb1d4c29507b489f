"""The board report's narrative: what the team says about a month, in its own words."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BoardReportNarrative(models.Model):
    """The narrative of one month's board report for a ward, or for a provider or network.

    Exactly one of `ward` and `organisation` is set. Each save is audited (the audit event keeps
    the text before and after), so the row itself just holds the latest text and who wrote it.
    """

    ward = models.ForeignKey(
        "organisations.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(help_text="The first day of the month the report is about")
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                name="narrative_is_about_a_ward_or_an_organisation",
                condition=models.Q(ward__isnull=True, organisation__isnull=False)
                | models.Q(ward__isnull=False, organisation__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["ward", "month"],
                condition=models.Q(ward__isnull=False),
                name="one_ward_narrative_a_month",
            ),
            models.UniqueConstraint(
                fields=["organisation", "month"],
                condition=models.Q(organisation__isnull=False),
                name="one_organisation_narrative_a_month",
            ),
        ]

    def __str__(self) -> str:
        about = self.ward or self.organisation
        return f"Board report narrative for {about}, {self.month:%B %Y}"
