""" "Did it work?" for an adopted change, on a ward's real records: a known step change is found,
and no change is not claimed."""

from datetime import date, timedelta

import pytest

from mhsip.dashboards.presenters import dashboard_span
from mhsip.equity.suppression import NHS_DIGITAL
from mhsip.improvement import services
from mhsip.improvement.effects import NotAdopted, did_it_work, first_period_after
from mhsip.improvement.models import ChangeStatus
from mhsip.measures.effect import Verdict
from tests.factories.improvement import add_change, library_idea, make_project, run_cycle
from tests.factories.worlds import fill_ward, months_back

pytestmark = pytest.mark.django_db


def _adopted(ward, by, month_index, *, measures=("restrictive_interventions",)):
    """A change adopted on the first of the `month_index`th of the last 30 months."""
    project = make_project(by=by, ward=ward, measures=measures)
    change = add_change(by=by, project=project)
    start = months_back(30)[month_index].date()
    run_cycle(by=by, project=project, change=change, start=start, days=0)
    change.refresh_from_db()
    return change


def test_a_real_fall_after_the_change_is_found(wards, people):
    fill_ward(wards["oak"], rates=(14.0, 4.0), step_at=18)
    change = _adopted(wards["oak"], people["nurse"], 18)

    judgement = did_it_work(change)

    assert judgement.effect.verdict is Verdict.WORKED
    assert judgement.effect.ratio_upper < 1
    assert judgement.summary.startswith("Yes, it looks like it worked")
    phases = {p["phase"] for p in judgement.chart["points"]}
    assert len(phases) == 2  # limits recalculated after the change
    assert {
        "date": change.adopted_on.isoformat(),
        "label": "Adopted: Soft words",
    } in judgement.annotations


def test_no_effect_is_claimed_when_nothing_changed(wards, people):
    fill_ward(wards["oak"], rates=(8.0, 8.0), step_at=18, seed=5)
    change = _adopted(wards["oak"], people["nurse"], 18)

    judgement = did_it_work(change)

    assert judgement.effect.verdict is not Verdict.WORKED


def test_a_recent_change_is_too_early_to_judge(wards, people):
    fill_ward(wards["oak"], rates=(12.0, 12.0))
    change = _adopted(wards["oak"], people["nurse"], 28)

    judgement = did_it_work(change)

    assert judgement.effect.verdict is Verdict.TOO_EARLY
    assert any("a sustained shift needs" in c for c in judgement.effect.caveats)


def test_other_changes_at_the_same_time_are_a_caveat(wards, people):
    fill_ward(wards["oak"], rates=(14.0, 4.0), step_at=18)
    change = _adopted(wards["oak"], people["nurse"], 18)
    other = services.project_change_add(
        by=people["nurse"], project=change.project, change_idea=library_idea("safewards-talk-down")
    )
    run_cycle(
        by=people["nurse"], project=change.project, change=other,
        start=months_back(30)[17].date(), decision=None,
    )  # fmt: skip

    judgement = did_it_work(change)

    assert any("Another change was made at about the same time" in c and "Talk down" in c
               for c in judgement.effect.caveats)  # fmt: skip


def test_outside_the_provider_small_counts_are_not_shown(wards, people):
    fill_ward(wards["oak"], rates=(0.2, 0.1), step_at=18)
    change = _adopted(wards["oak"], people["nurse"], 18)

    judgement = did_it_work(change, exact=False)

    assert judgement.suppressed
    assert judgement.shown_before is None or judgement.shown_after is None
    assert f"fewer than {NHS_DIGITAL.smallest_count} events" in judgement.summary


def test_only_an_adopted_change_is_judged(wards, people):
    project = make_project(by=people["nurse"], ward=wards["oak"])
    change = add_change(by=people["nurse"], project=project)
    assert change.status == ChangeStatus.NOT_TESTED
    with pytest.raises(NotAdopted):
        did_it_work(change)


def test_a_change_during_a_month_counts_from_the_next():
    span = dashboard_span()
    first = span.starts[5].item()
    assert first_period_after(span, first) == 5
    assert first_period_after(span, first.replace(day=15)) == 6


def test_a_change_adopted_before_the_chart_begins_or_this_month_is_still_judged(wards, people):
    fill_ward(wards["oak"], rates=(6.0, 6.0))
    project = make_project(by=people["nurse"], ward=wards["oak"])
    change = add_change(by=people["nurse"], project=project)
    run_cycle(by=people["nurse"], project=project, change=change, start=date(2019, 1, 7))
    change.refresh_from_db()
    assert did_it_work(change).effect.verdict is not Verdict.WORKED

    change.adopted_on = date.today() - timedelta(days=1)
    change.save()
    assert did_it_work(change).effect.verdict is Verdict.TOO_EARLY
