"""Writes of the reports app, each with its audit event in the same transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from mhsip.auditing.services import record_event
from mhsip.organisations.models import Organisation, Ward
from mhsip.reports.models import BoardReportNarrative

#: A board paper's narrative is a page or two, not a document.
NARRATIVE_MAX_CHARACTERS = 6000


@transaction.atomic
def board_report_narrative_save(
    *,
    by,
    month: date,
    text: str,
    ward: Ward | None = None,
    organisation: Organisation | None = None,
) -> BoardReportNarrative:
    """Write (or rewrite) the narrative of one month's board report for a ward or organisation.

    The audit event keeps the text before and after, so earlier versions can be read back.
    """
    if (ward is None) == (organisation is None):
        raise TypeError("a narrative is about a ward or an organisation, not both or neither")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the narrative"})
    if len(text) > NARRATIVE_MAX_CHARACTERS:
        raise ValidationError(
            {"text": f"The narrative must be {NARRATIVE_MAX_CHARACTERS:,} characters or fewer"}
        )
    month = month.replace(day=1)
    about = {"ward": ward} if ward is not None else {"organisation": organisation}
    narrative = (
        BoardReportNarrative.objects.select_for_update().filter(month=month, **about).first()
    )
    before = narrative.text if narrative else ""
    if narrative is None:
        narrative = BoardReportNarrative(month=month, text=text, updated_by=by, **about)
    else:
        narrative.text, narrative.updated_by = text, by
    narrative.save()
    record_event(
        by=by,
        action="board_report_narrative.update" if before else "board_report_narrative.create",
        target=narrative,
        ward=ward,
        organisation=organisation,
        summary=str(narrative),
        detail={"month": month.isoformat(), "before": before, "after": text},
    )
    return narrative


@transaction.atomic
def records_downloaded(*, by, rows_by_ward: dict[Ward, int], file_format: str) -> None:
    """Audit a download of patient-level records: one event per ward, so each provider's
    responsible person sees the downloads of their own wards' records, with the row count."""
    total = sum(rows_by_ward.values())
    for ward, rows in rows_by_ward.items():
        record_event(
            by=by,
            action="use_of_force_record.download",
            ward=ward,
            summary=f"Downloaded {rows} use-of-force records of {ward.name} as {file_format}",
            detail={"rows": rows, "format": file_format, "rows_in_file": total},
        )
