"""How a use-of-force record's history reads on its page: each version, and what it changed.

A version's `data` is the snapshot `services._snapshot` saved. Differences between consecutive
snapshots are put in words ("Outcome: “Settled” → “Settled; slept well”"), with codes shown by
their labels and times by the ward's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from mhsip.incidents.codes import Answer, InterventionType, Place, Reason, StaffRole
from mhsip.incidents.models import RecordStatus, RecordVersion

#: What each snapshot key is called on the page, in the order changes are listed.
FIELD_LABELS = {
    "status": "Status",
    "ward": "Ward",
    "patient": "Patient",
    "place": "Place",
    "started_at": "Started",
    "ended_at": "Ended",
    "reason": "Reason",
    "reason_detail": "What happened",
    "avoidance_efforts": "Efforts to avoid force",
    "interventions": "Types of force",
    "how_force_was_used": "How force was used",
    "staff": "Staff involved",
    "outside_people_involved": "Anyone from outside the unit",
    "outside_people_reason": "Who from outside the unit, and why",
    "part_of_care_plan": "Part of the care plan",
    "care_plan_notification_sent": "Care team told to review the care plan",
    "outcome": "Outcome",
    "patient_injured": "Patient injured",
    "staff_injured": "Staff injured",
    "others_injured": "Others injured",
    "death_or_serious_injury": "Death or serious injury",
    "review_offered": "Post-incident review offered",
    "review_held": "Post-incident review held",
    "review_not_held_reason": "Why the review was not held",
    "carer_informed": "Carer or relative told",
    "no_stay_reason": "Why recorded on this ward",
    "duplicate_reason": "Why not a duplicate",
}

_ANSWERS = dict.fromkeys(
    [
        "outside_people_involved",
        "part_of_care_plan",
        "care_plan_notification_sent",
        "patient_injured",
        "staff_injured",
        "others_injured",
        "death_or_serious_injury",
        "review_offered",
        "review_held",
        "carer_informed",
    ],
    Answer,
)
CHOICES: dict[str, type[models.TextChoices]] = {
    "status": RecordStatus,
    "place": Place,
    "reason": Reason,
    **_ANSWERS,
}
#: Long free text is shortened in the history; the record itself shows it whole.
TEXT_LIMIT = 120


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class VersionEntry:
    number: int
    saved_at: datetime
    saved_by: Any
    reason: str
    changes: list[Change]


def _label(choices: type[models.TextChoices], value: str) -> str:
    return dict(choices.choices).get(value, value)


def _time(value: str | None) -> str:
    return f"{timezone.localtime(datetime.fromisoformat(value)):%d %b %Y %H:%M}" if value else ""


def _clock(value: str | None) -> str:
    return f"{timezone.localtime(datetime.fromisoformat(value)):%H:%M}" if value else "?"


def show(name: str, value: Any) -> str:
    """One snapshot value in words."""
    if value in (None, "", []):
        return "not entered"
    if name in CHOICES:
        return _label(CHOICES[name], value)
    if name in {"started_at", "ended_at"}:
        return _time(value)
    if name == "interventions":
        return "; ".join(
            f"{_label(InterventionType, i.get('type_code') or '') or 'type not entered'} "
            f"{_clock(i.get('started_at'))}–{_clock(i.get('ended_at'))}"
            for i in value
        )
    if name == "staff":
        return "; ".join(
            ", ".join(
                part
                for part in (
                    s.get("name"),
                    s.get("job_title"),
                    _label(StaffRole, s["role"]) if s.get("role") else "",
                )
                if part
            )
            for s in value
        )
    text = str(value)
    return f"“{text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + '…'}”"


def make_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What differs between two snapshots, in page order."""
    names = [*FIELD_LABELS, *sorted((old.keys() | new.keys()) - FIELD_LABELS.keys())]
    changes = []
    for name in names:
        before, after = show(name, old.get(name)), show(name, new.get(name))
        # Compared as words: a time saved again through the form loses its seconds, which
        # the page never shows, so to the reader it has not changed.
        if before != after:
            label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
            changes.append(Change(label, before, after))
    return changes


def make_version_history(versions: list[RecordVersion]) -> list[VersionEntry]:
    """Every version, newest first, each with its differences from the one before."""
    entries, previous = [], None
    for version in sorted(versions, key=lambda v: v.number):
        changes = [] if previous is None else make_changes(previous.data, version.data)
        entries.append(
            VersionEntry(
                number=version.number,
                saved_at=version.saved_at,
                saved_by=version.saved_by,
                reason=version.reason,
                changes=changes,
            )
        )
        previous = version
    return entries[::-1]
