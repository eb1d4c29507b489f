"""An import of a file (or a directory of files): what it was, how far it has gone, what it
kept and what was wrong. Every kind of import (MHSDS extracts, incident-system exports, bed days,
national statistics) records one, so the page and the command line show progress the same way
and the history is in one place (and in the audit log)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from mhsip.tabular import Problem, Problems


class ImportKind(models.TextChoices):
    MHSDS = "mhsds", "MHSDS extract"
    INCIDENTS = "incidents", "Incident-system export"
    BED_DAYS = "bed_days", "Occupied bed days"
    NATIONAL = "national", "National statistics"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FINISHED_WITH_PROBLEMS = "problems", "Finished with problems"
    REFUSED = "refused", "Nothing imported"
    FAILED = "failed", "Stopped by an error"


class ImportRun(models.Model):
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    #: The file names as the user gave them (never their contents).
    source = models.CharField(max_length=500)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The provider or network the data belongs to, where one is known.",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when run from the command line.",
    )
    #: When set, nothing is kept unless every row passes.
    all_or_nothing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Progress: rows read so far out of the rows to read (0 while not known).
    rows_total = models.PositiveBigIntegerField(default=0)
    rows_done = models.PositiveBigIntegerField(default=0)
    #: What was kept, by what it is, e.g. {"ward stays": 120, "interventions": 40}.
    counts = models.JSONField(default=dict, blank=True)
    rows_rejected = models.PositiveBigIntegerField(default=0)
    problem_count = models.PositiveBigIntegerField(default=0)
    #: The first problems found (Problem.as_dict()), for the page.
    problems = models.JSONField(default=list, blank=True)
    #: Stored upload(s) or options a background task needs to run the import.
    parameters = models.JSONField(default=dict, blank=True)
    #: Why it stopped, when it failed.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def is_over(self) -> bool:
        return self.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}

    def problem_list(self) -> list[Problem]:
        return [Problem(**p) for p in self.problems]

    # The methods below save at once, outside any transaction the import holds open, so that
    # the page sees progress while the import is still writing.
    def mark_running(self, rows_total: int = 0) -> None:
        self.status = ImportStatus.RUNNING
        self.started_at = timezone.now()
        self.rows_total = rows_total
        self.save(update_fields=["status", "started_at", "rows_total"])

    def mark_progress(self, rows_done: int, rows_total: int | None = None) -> None:
        self.rows_done = rows_done
        fields = ["rows_done"]
        if rows_total is not None:
            self.rows_total = rows_total
            fields.append("rows_total")
        self.save(update_fields=fields)

    def mark_finished(
        self, counts: dict[str, int], problems: Problems, *, refused: bool = False
    ) -> None:
        if refused:
            self.status = ImportStatus.REFUSED
        elif problems:
            self.status = ImportStatus.FINISHED_WITH_PROBLEMS
        else:
            self.status = ImportStatus.FINISHED
        self.counts = counts
        self.problem_count = problems.count
        self.rows_rejected = problems.rejected_rows
        self.problems = [p.as_dict() for p in problems]
        self.finished_at = timezone.now()
        self.rows_done = max(self.rows_done, self.rows_total)
        self.save()

    def mark_failed(self, error: str) -> None:
        self.status = ImportStatus.FAILED
        self.error = error
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])


class ImportFile(models.Model):
    """A file uploaded in the page, kept until its import has run (the background task reads
    it) and then deleted: an export holds patients' local identifiers, which mhsip keeps only
    as keyed hashes."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=255, help_text="The file's name as uploaded")
    file = models.FileField(upload_to="imports/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def discard(self) -> None:
        """Delete the stored copy (the row stays, naming the file, for the history)."""
        if self.file:
            self.file.delete(save=False)
            self.file = ""
            self.save(update_fields=["file"])


class IncidentLayout(models.TextChoices):
    """How an export lays incidents out: many incident systems (Datix among them) can export
    one row for each restrictive intervention, repeating the incident's own columns."""

    INCIDENT = "incident", "One row per incident"
    INTERVENTION = "intervention", "One row per restrictive intervention"


class IncidentMapping(models.Model):
    """How one provider's incident-system export maps onto mhsip's use-of-force record: which
    column holds each field, and which MHSDS code each coded value means. Saved by name so next
    month's export is imported the same way (in the page or `mhsip import incidents --mapping`).
    """

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=100)
    source = models.CharField(
        max_length=100,
        help_text="The incident system the export comes from (for example Datix). With the "
        "incident reference it identifies each imported record, so keep it the same each month.",
    )
    layout = models.CharField(
        max_length=20,
        choices=IncidentLayout.choices,
        default=IncidentLayout.INCIDENT,
        help_text="One row per intervention: rows sharing an incident reference are one incident.",
    )
    #: mhsip field key -> the export's column name (see incident_fields.FIELDS).
    columns = models.JSONField(default=dict, blank=True)
    #: code list key -> {value as found in the export: code}, e.g. {"intervention_type":
    #: {"Prone restraint": "01"}}. Values are matched ignoring case and surrounding spaces.
    values = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="mapping_name_per_provider")
        ]

    def __str__(self) -> str:
        return self.name

    def code_for(self, code_list: str, value: str) -> str | None:
        wanted = value.strip().casefold()
        for found, code in self.values.get(code_list, {}).items():
            if found.strip().casefold() == wanted and code:
                return code
        return None
