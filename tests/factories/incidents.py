"""Complete, valid record contents for service and page tests."""

from datetime import timedelta

from django.utils import timezone

from mhsip.incidents.codes import Answer, InterventionType, Place, Reason


def complete_fields(started_at=None, minutes=20, **overrides):
    started_at = started_at or timezone.now() - timedelta(hours=3)
    fields = {
        "place": Place.COMMUNAL,
        "started_at": started_at,
        "ended_at": started_at + timedelta(minutes=minutes),
        "reason": Reason.VIOLENCE_TO_OTHERS,
        "avoidance_efforts": "Talk-down in a quiet space, offered PRN, reduced stimulation.",
        "how_force_was_used": "Two-person hold in a seated position, then escorted to bedroom.",
        "part_of_care_plan": Answer.NO,
        "care_plan_notification_sent": Answer.YES,
        "outside_people_involved": Answer.NO,
        "outcome": "Settled after 20 minutes; no injuries; debrief offered.",
        "patient_injured": Answer.NO,
        "staff_injured": Answer.NO,
        "others_injured": Answer.NO,
        "death_or_serious_injury": Answer.NO,
        "review_offered": Answer.YES,
        "review_held": Answer.YES,
        "carer_informed": Answer.YES,
    }
    fields.update(overrides)
    return fields


def two_interventions(fields):
    start = fields["started_at"]
    return [
        {
            "type_code": InterventionType.SEATED,
            "started_at": start,
            "ended_at": start + timedelta(minutes=8),
        },
        {
            "type_code": InterventionType.RAPID_TRANQUILLISATION,
            "started_at": start + timedelta(minutes=8),
            "ended_at": start + timedelta(minutes=10),
        },
    ]


STAFF = [
    {"name": "Alex Morgan", "job_title": "Charge nurse", "role": "head_support"},
    {"name": "Priya Shah", "job_title": "Healthcare assistant", "role": "upper_body"},
]
