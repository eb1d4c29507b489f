"""Network work made through its services: finished ramps, case studies, join requests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mhsip.improvement import services as improvement
from mhsip.improvement.models import PdsaCycle
from mhsip.network import services
from mhsip.network.models import CaseStudy
from tests.factories.improvement import add_change, library_idea, make_project, run_cycle


def finished_ramp(*, by, ward, idea_key: str = "safewards-soft-words", months_ago: int = 12,
                  decision: str = "adopt", cycles: int = 2) -> PdsaCycle:  # fmt: skip
    """A project on `ward` with a ramp of `cycles` chained cycles, the last deciding
    `decision`; returns the last cycle."""
    project = make_project(by=by, ward=ward, title=f"Calmer evenings ({idea_key})")
    improvement.project_member_add(
        by=by, project=project, name="Jo Carer", team_role="carer_representative"
    )
    change = add_change(by=by, project=project, idea=library_idea(idea_key))
    start = timezone.localdate() - timedelta(days=30 * months_ago)
    previous = None
    for number in range(cycles):
        last = number == cycles - 1
        previous = run_cycle(
            by=by,
            project=project,
            change=change,
            start=start + timedelta(days=21 * number),
            decision=decision if last else "adapt",
            previous=previous,
            study_measure="restrictive_interventions",
        )
    return previous


def case_study(*, by, cycle: PdsaCycle, submit: bool = False, **text: str) -> CaseStudy:
    made = services.case_study_start(by=by, cycle=cycle)
    if text:
        services.case_study_update(by=by, case_study=made, **text)
    if submit:
        services.case_study_submit(by=by, case_study=made)
    return made


def published_case_study(*, author, approver, cycle: PdsaCycle, **text: str) -> CaseStudy:
    made = case_study(by=author, cycle=cycle, submit=True, **text)
    return services.case_study_approve(by=approver, case_study=made)
