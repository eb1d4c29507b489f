from __future__ import annotations

from datetime import date

import pytest

from mhsip.variation.presenters.bright_spots import make_bright_spots
from tests.factories.organisations import MembershipFactory

pytestmark = pytest.mark.django_db


def adopt(ward, title: str):
    from mhsip.improvement.models import (
        ChangeIdea,
        ChangeStatus,
        ImprovementProject,
        ProjectChange,
    )

    idea = ChangeIdea.objects.create(title=title, summary="Tried on the ward", ward=ward)
    project = ImprovementProject.objects.create(
        ward=ward, title="Calmer evenings", aim_what="Fewer restraints", aim_how_much="by 30%",
        aim_by=date(2027, 1, 1),
    )  # fmt: skip
    ProjectChange.objects.create(
        project=project, change_idea=idea, status=ChangeStatus.ADOPTED, adopted_on=date(2026, 3, 1)
    )


def test_low_outliers_and_sustained_improvements_with_their_changes(provider_world, target_for):
    wards = provider_world["wards"]
    adopt(wards["oak"], "Soft words at handover")
    lead = MembershipFactory(role="qi_lead", organisation=provider_world["provider"]).user

    page = make_bright_spots(target_for(provider_world["provider"], exact=True), lead)

    spots = {spot.ward.name: spot for spot in page.spots}
    assert set(spots) >= {"Oak Ward", "Birch Ward"}
    assert "Elm Ward" not in spots
    oak = spots["Oak Ward"]
    assert not oak.low_outlier and oak.improving_since
    assert spots["Birch Ward"].low_outlier
    assert [c.title for c in oak.changes] == ["Soft words at handover"]
    assert oak.changes[0].url.startswith("/improvement/ideas/")
    assert any("A sustained special-cause improvement" in r for r in oak.reasons)
    assert any("A low outlier among 4 adult acute wards" in r for r in spots["Birch Ward"].reasons)
    assert spots["Birch Ward"].changes == []
    assert page.alone == ["Yew Ward"]


def test_changes_are_not_listed_for_people_outside_the_wards_improvement_work(
    provider_world, target_for
):
    adopt(provider_world["wards"]["oak"], "Soft words at handover")
    stranger = MembershipFactory(role="system_admin").user

    page = make_bright_spots(target_for(provider_world["provider"], exact=True), stranger)

    oak = next(spot for spot in page.spots if spot.ward.name == "Oak Ward")
    assert oak.changes is None and page.improvement_installed


def test_without_the_improvement_app_bright_spots_still_show(
    provider_world, target_for, monkeypatch
):
    from mhsip.variation.presenters import bright_spots

    monkeypatch.setattr(bright_spots, "improvement_installed", lambda: False)
    lead = MembershipFactory(role="qi_lead", organisation=provider_world["provider"]).user

    page = make_bright_spots(target_for(provider_world["provider"], exact=True), lead)

    assert page.spots and not page.improvement_installed
    assert all(spot.changes is None for spot in page.spots)
