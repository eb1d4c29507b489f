"""Worlds for the reports tests: small, so that rendering a PDF stays quick on a shared machine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mhsip.organisations.models import Organisation, Ward
from mhsip.reports.board import last_complete_month
from tests.factories.improvement import add_change, make_project, run_cycle
from tests.factories.organisations import (
    MembershipFactory,
    NetworkFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward

CYCLE_QUESTION = "Will soft words on evening shifts settle the lounge?"


@dataclass
class ReportWorld:
    network: Organisation
    provider: Organisation
    other_provider: Organisation
    ward: Ward
    other_ward: Ward
    users: dict


def report_world(*, rates=(12.0, 6.0), months: int = 18) -> ReportWorld:
    """A network of two providers with a ward each, `months` months of records (rates per
    month before and after month 12), a PDSA cycle in the report month on the first ward, and
    a person in each role that matters to reports."""
    network = NetworkFactory(code="NETR", name="Reports Collaborative")
    provider = ProviderFactory(parent=network, code="RPA", name="Alder NHS Trust")
    other = ProviderFactory(parent=network, code="RPB", name="Beech Healthcare")
    ward = WardFactory(site=SiteFactory(parent=provider), code="RPA-WREN", name="Wren Ward")
    other_ward = WardFactory(site=SiteFactory(parent=other), code="RPB-LARK", name="Lark Ward")
    fill_ward(ward, months=months, rates=rates, step_at=12, seed=3)
    fill_ward(other_ward, months=months, rates=rates, step_at=12, seed=4)
    users = {
        "ward_manager": MembershipFactory(role="ward_manager", ward=ward).user,
        "ward_staff": MembershipFactory(role="ward_staff", ward=ward).user,
        "qi_lead": MembershipFactory(role="qi_lead", organisation=provider).user,
        "responsible_person": MembershipFactory(
            role="responsible_person", organisation=provider
        ).user,
        "other_qi_lead": MembershipFactory(role="qi_lead", organisation=other).user,
        "network_lead": MembershipFactory(role="network_lead", organisation=network).user,
        "patient_representative": MembershipFactory(role="patient_representative", ward=ward).user,
        "system_admin": MembershipFactory(role="system_admin").user,
    }
    month = last_complete_month()
    project = make_project(by=users["ward_manager"], ward=ward)
    change = add_change(by=users["ward_manager"], project=project)
    run_cycle(
        by=users["ward_manager"],
        project=project,
        change=change,
        start=month + timedelta(days=3),
        decision=None,
    )
    return ReportWorld(network, provider, other, ward, other_ward, users)
