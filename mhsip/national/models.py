"""NHS England's published provider figures, kept as published, and how their provider names
match our organisations.

Published figures are public (Open Government Licence) and already suppressed by NHS Digital:
they carry no patient-level data, and anyone who may see aggregates may see all of them.
"""

from __future__ import annotations

from django.db import models

from mhsip.national.published import PublishedMeasure


class MatchMethod(models.TextChoices):
    NAME = "name", "Matched by name"
    MANUAL = "manual", "Matched by hand"


class PublishedProvider(models.Model):
    """A provider as NHS England names it (no ODS code is published), and the organisation in
    mhsip it is, once matched."""

    name = models.CharField(max_length=300, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_names",
    )
    matched_by = models.CharField(max_length=10, choices=MatchMethod.choices, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublishedFigure(models.Model):
    """One published value: a provider's figure for one measure in one month, or the fact that
    NHS Digital suppressed it (`*`)."""

    period = models.DateField(help_text="The first day of the reporting period (a month)")
    provider = models.ForeignKey(
        PublishedProvider, on_delete=models.CASCADE, related_name="figures"
    )
    measure = models.CharField(
        max_length=20, choices=[(m.value, m.label) for m in PublishedMeasure]
    )
    #: The measure's label exactly as the file had it.
    label = models.CharField(max_length=200)
    #: None when suppressed.
    value = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    #: The file the figure last came from, by name.
    source_file = models.CharField(max_length=255)
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["period", "measure", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "provider", "measure"], name="one_published_figure"
            ),
            models.CheckConstraint(
                name="published_value_or_suppressed",
                condition=models.Q(suppressed=True, value__isnull=True)
                | models.Q(suppressed=False, value__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["measure", "period"])]

    def __str__(self) -> str:
        shown = "*" if self.suppressed else self.value
        return f"{self.provider} {self.measure} {self.period:%Y-%m}: {shown}"
