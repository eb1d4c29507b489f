"""Audit events in words people read: the audit log page and its CSV download."""

from __future__ import annotations

#: Every action the code records, in plain English. An action missing here shows as its code.
ACTION_LABELS = {
    "use_of_force_record.view": "Viewed a use-of-force record",
    "use_of_force_record.create": "Recorded a use of force",
    "use_of_force_record.update": "Changed a use-of-force record",
    "use_of_force_record.list": "Viewed a list of use-of-force records",
    "patient.create": "Added a patient",
    "patient.update": "Changed a patient's details",
    "ward_stay.create": "Admitted a patient to a ward",
    "ward_stay.end": "Transferred or discharged a patient",
    "ward_stay.list": "Viewed the patients on a ward",
    "ward_aim.update": "Changed a ward's improvement aim",
    "bed_days.enter": "Entered monthly occupied bed days",
    "organisation.create": "Added an organisation",
    "ward.create": "Added a ward",
    "membership.grant": "Gave someone a role",
    "audit_log.export": "Downloaded the audit log",
    "account.second_factor_set_up": "Set up two-step verification",
}


def describe_action(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def make_person(user) -> str:
    """Who did it: their name and username, or "The system" for events no person caused."""
    if user is None:
        return "The system"
    name = user.get_full_name() or user.username
    return f"{name} ({user.username})"
