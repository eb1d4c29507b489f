"""Checks on a use-of-force record, each naming the field and saying how to put it right.

Errors stop a save. Warnings (no ward stay at the time, a likely duplicate) stop it too unless
the recorder gives a reason in the field the warning names, because both are sometimes right.
Drafts are checked only for things that can never be right (an end before its start, a future
date); completing a record also needs every item of the Act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from mhsip.incidents.codes import Answer

#: Records of the same patient on the same ward starting this close together look like one
#: incident recorded twice.
DUPLICATE_WINDOW = timedelta(minutes=30)

#: The Act's items (s.6(2)) that a complete record must answer, with the question as staff see it.
REQUIRED_FOR_COMPLETION = {
    "started_at": "Enter when the use of force started",
    "ended_at": "Enter when the use of force ended",
    "place": "Select where it happened",
    "reason": "Select the reason force was used",
    "avoidance_efforts": "Describe what was tried to avoid force (de-escalation)",
    "how_force_was_used": "Describe how force was used",
    "part_of_care_plan": "Select whether this use of force was part of the patient's care plan",
    "care_plan_notification_sent": "Select whether the care plan was reviewed and updated",
    "outside_people_involved": "Select whether anyone from outside the unit was involved",
    "outcome": "Describe the outcome for the patient",
    "patient_injured": "Select whether the patient was injured",
    "staff_injured": "Select whether staff were injured",
    "others_injured": "Select whether anyone else was injured",
    "death_or_serious_injury": "Select whether the patient died or was seriously injured",
    "review_offered": "Select whether a post-incident review was offered to the patient",
    "carer_informed": "Select whether a carer or relative was told",
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    warning: bool = False


def _time(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%d %b %Y %H:%M}" if value else ""


def check_record(
    fields: dict[str, Any],
    interventions: list[dict[str, Any]],
    staff: list[dict[str, Any]],
    *,
    completing: bool,
    has_stay: bool,
    possible_duplicate: str | None,
) -> list[Problem]:
    problems: list[Problem] = []
    now = timezone.now() + timedelta(minutes=5)  # a little slack for clocks on ward tablets
    start, end = fields.get("started_at"), fields.get("ended_at")

    for name in ("started_at", "ended_at"):
        if fields.get(name) and fields[name] > now:
            problems.append(
                Problem(name, f"The time cannot be in the future ({_time(fields[name])})")
            )
    if start and end and end < start:
        problems.append(
            Problem("ended_at", f"The end ({_time(end)}) must be after the start ({_time(start)})")
        )

    for index, item in enumerate(interventions):
        label = f"Intervention {index + 1}"
        prefix = f"interventions-{index}-"
        i_start, i_end = item.get("started_at"), item.get("ended_at")
        if not item.get("type_code"):
            problems.append(Problem(prefix + "type_code", f"{label}: select the type of force"))
        if i_start and i_end and i_end < i_start:
            problems.append(
                Problem(prefix + "ended_at", f"{label}: the end must be after the start")
            )
        if i_start and start and i_start < start:
            problems.append(
                Problem(
                    prefix + "started_at",
                    f"{label} starts at {_time(i_start)}, before the incident started "
                    f"({_time(start)}): change one of the two times",
                )
            )
        if i_end and end and i_end > end:
            problems.append(
                Problem(
                    prefix + "ended_at",
                    f"{label} ends at {_time(i_end)}, after the incident ended ({_time(end)}): "
                    "change one of the two times",
                )
            )
        for name in ("started_at", "ended_at"):
            if item.get(name) and item[name] > now:
                problems.append(
                    Problem(prefix + name, f"{label}: the time cannot be in the future")
                )
        if completing:
            for name, what in (("started_at", "start"), ("ended_at", "end")):
                if not item.get(name):
                    problems.append(Problem(prefix + name, f"{label}: enter when it {what}ed"))

    for index, person in enumerate(staff):
        if person.get("name") and not person.get("job_title"):
            problems.append(
                Problem(f"staff-{index}-job_title", f"Enter the job title of {person['name']}")
            )
        if person.get("job_title") and not person.get("name"):
            problems.append(
                Problem(f"staff-{index}-name", "Enter the name of this member of staff")
            )

    if completing:
        for name, message in REQUIRED_FOR_COMPLETION.items():
            if not fields.get(name):
                problems.append(Problem(name, message))
        if not interventions:
            problems.append(Problem("interventions", "Add at least one type of force used"))
        if not any(p.get("name") for p in staff):
            problems.append(
                Problem("staff", "Add the name and job title of each member of staff involved")
            )
        if fields.get("outside_people_involved") == Answer.YES and not fields.get(
            "outside_people_reason"
        ):
            problems.append(
                Problem(
                    "outside_people_reason", "Say who from outside the unit was involved and why"
                )
            )
        if fields.get("review_offered") == Answer.YES and not fields.get("review_held"):
            problems.append(Problem("review_held", "Select whether the review was held"))
        if fields.get("review_held") == Answer.NO and not fields.get("review_not_held_reason"):
            problems.append(Problem("review_not_held_reason", "Say why the review was not held"))

    if start and not has_stay and not fields.get("no_stay_reason"):
        problems.append(
            Problem(
                "no_stay_reason",
                "The patient has no stay on this ward at that time. Check the patient and the time, "
                "or give a reason (for example, an admission not yet entered)",
                warning=True,
            )
        )
    if possible_duplicate and not fields.get("duplicate_reason"):
        problems.append(
            Problem(
                "duplicate_reason",
                f"This looks like {possible_duplicate}, already recorded for this patient. Open that "
                "record instead, or say why this is a different use of force",
                warning=True,
            )
        )
    return problems
