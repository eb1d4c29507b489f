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
    # Improvement work (mhsip.improvement.services)
    "change_idea.create": "Added a change idea",
    "change_idea.create_from_post": "Made a co-design post a change idea",
    "share_link.create": "Made a ward's share-an-idea link",
    "share_link.rotate": "Replaced a ward's share-an-idea link",
    "codesign_post.share": "An idea was shared through a ward's link",
    "codesign_post.create": "Shared a problem or idea with a ward",
    "codesign_post.publish": "Published a shared idea",
    "codesign_post.reject": "Did not publish a shared idea",
    "codesign_post.support": "Supported a shared idea",
    "codesign_post.unsupport": "Took back support for a shared idea",
    "codesign_comment.create": "Commented on a shared idea",
    "improvement_project.create": "Started an improvement project",
    "improvement_project.update": "Changed an improvement project's aim",
    "project_member.add": "Added someone to a project team",
    "project_member.remove": "Removed someone from a project team",
    "driver.create": "Added a driver to a driver diagram",
    "driver.update": "Changed a driver",
    "driver.delete": "Removed a driver",
    "project_change.create": "Added a change idea to a project",
    "project_change.update": "Moved a change idea in a driver diagram",
    "measurement_plan.update": "Changed a project's measurement plan",
    "pdsa_cycle.plan": "Planned a PDSA cycle",
    "pdsa_cycle.update_plan": "Changed a PDSA cycle's plan",
    "pdsa_cycle.do": "Recorded a PDSA cycle's Do",
    "pdsa_cycle.study": "Recorded a PDSA cycle's Study",
    "pdsa_cycle.act": "Recorded a PDSA cycle's decision",
}


def describe_action(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def make_person(user) -> str:
    """Who did it: their name and username, or "The system" for events no person caused."""
    if user is None:
        return "The system"
    name = user.get_full_name() or user.username
    return f"{name} ({user.username})"
