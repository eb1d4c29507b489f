"""Complete, valid record contents for service and page tests."""

from datetime import timedelta

from django.utils import timezone

from mhsip.incidents.codes import Answer, InterventionType, Place, Reason
from mhsip.incidents.services import record_save


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


def record_form_data(day=None, *, action="complete", interventions=None, staff=None, **overrides):
    """What the record form posts for a complete record on `day` (yesterday by default).

    Two interventions (a seated hold, then rapid tranquillisation) and two staff, as a nurse
    would fill them in; `overrides` replaces or adds fields by their posted names.
    """
    day = day or timezone.localdate() - timedelta(days=1)
    interventions = (
        [("11", "14:05", "14:13"), ("14", "14:13", "14:15")]
        if interventions is None
        else interventions
    )
    staff = (
        [("Alex Morgan", "Charge nurse", "head_support"), ("Priya Shah", "HCA", "upper_body")]
        if staff is None
        else staff
    )
    data = {
        "date_day": str(day.day),
        "date_month": str(day.month),
        "date_year": str(day.year),
        "started_at": "14:05",
        "ended_at": "14:25",
        "place": Place.COMMUNAL,
        "reason": Reason.VIOLENCE_TO_OTHERS,
        "avoidance_efforts": "Talk-down in a quiet space; offered oral medication.",
        "how_force_was_used": "Two-person seated hold, then rapid tranquillisation.",
        "outside_people_involved": Answer.NO,
        "part_of_care_plan": Answer.NO,
        "care_plan_notification_sent": Answer.YES,
        "outcome": "Settled after 20 minutes; no injuries.",
        "patient_injured": Answer.NO,
        "staff_injured": Answer.NO,
        "others_injured": Answer.NO,
        "death_or_serious_injury": Answer.NO,
        "review_offered": Answer.YES,
        "review_held": Answer.YES,
        "carer_informed": Answer.YES,
        "action": action,
    }
    data.update(_formset("interventions", ["type_code", "started_at", "ended_at"], interventions))
    data.update(_formset("staff", ["name", "job_title", "role"], staff))
    data.update(overrides)
    return data


def _formset(prefix, names, rows):
    rows = list(rows) + [("",) * len(names)] * max(0, 2 - len(rows))
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update(
            {f"{prefix}-{index}-{name}": value for name, value in zip(names, row, strict=True)}
        )
    return data


def record_create(*, by, ward, patient, complete=True, started_at=None, **overrides):
    """A record saved through the service (version 1), complete unless told otherwise."""
    fields = complete_fields(started_at=started_at, **overrides)
    return record_save(
        by=by,
        ward=ward,
        patient=patient,
        fields=fields,
        interventions=two_interventions(fields),
        staff=STAFF,
        complete=complete,
    ).record
