"""'Did it work?' on series with a known step change and with none."""

import numpy as np
import pytest

from mhsip.measures.effect import Verdict, judge_change

BED_DAYS = np.full(30, 600.0)


def _series(before_rate, after_rate, seed, months_before=18, months_after=12):
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.poisson(before_rate, months_before), rng.poisson(after_rate, months_after)]
    ).astype(float)


def test_a_real_40_percent_fall_is_found():
    events = _series(15, 9, seed=4)
    effect = judge_change(events, BED_DAYS, change_index=18)
    assert effect.verdict is Verdict.WORKED
    assert effect.shift_after and effect.ratio_upper < 1
    assert effect.summary.startswith("Yes, it looks like it worked")


def test_it_does_not_claim_an_effect_that_is_not_there():
    # 200 series with no change at all: the verdict must almost never be "worked".
    claimed = sum(
        judge_change(_series(12, 12, seed), BED_DAYS, change_index=18).verdict is Verdict.WORKED
        for seed in range(200)
    )
    assert claimed <= 4  # at most 2%: both SPC and the interval must agree


def test_most_real_changes_are_found():
    found = sum(
        judge_change(_series(15, 9, seed), BED_DAYS, change_index=18).verdict is Verdict.WORKED
        for seed in range(50)
    )
    assert found >= 40


def test_a_rise_is_reported_as_worse():
    effect = judge_change(_series(8, 16, seed=2), BED_DAYS, change_index=18)
    assert effect.verdict is Verdict.WORSENED


def test_too_early_with_few_months_after():
    events = _series(15, 9, seed=4, months_after=4)
    effect = judge_change(events, np.full(22, 600.0), change_index=18)
    assert effect.verdict in {Verdict.TOO_EARLY, Verdict.WORKED}
    assert any("a sustained shift needs 7" in c for c in effect.caveats)


def test_other_changes_at_the_same_time_are_a_caveat():
    labels = (
        [f"2024-{m:02d}" for m in range(1, 13)]
        + [f"2025-{m:02d}" for m in range(1, 13)]
        + [f"2026-{m:02d}" for m in range(1, 7)]
    )
    effect = judge_change(
        _series(15, 9, seed=4),
        BED_DAYS,
        change_index=18,
        labels=labels,
        other_changes=[(17, "Safewards: Calm Down Methods"), (3, "Long ago")],
    )
    (caveat,) = [c for c in effect.caveats if "Another change" in c]
    assert "Calm Down Methods (2025-06)" in caveat


def test_rates_worked_by_hand():
    events = np.array([10.0] * 12 + [5.0] * 8)
    effect = judge_change(events, np.full(20, 1000.0), change_index=12)
    assert effect.rate_before == pytest.approx(10)
    assert effect.rate_after == pytest.approx(5)
    assert effect.ratio == pytest.approx(0.5)
    assert effect.verdict is Verdict.WORKED


def test_higher_is_better_measures():
    events = _series(9, 15, seed=4)
    effect = judge_change(events, BED_DAYS, change_index=18, improvement="increase")
    assert effect.verdict is Verdict.WORKED


def test_the_summary_gives_both_ends_of_the_interval_to_two_places():
    effect = judge_change(_series(15, 9, seed=4), BED_DAYS, change_index=18)
    assert f"interval {effect.ratio_lower:.2f} to {effect.ratio_upper:.2f})" in effect.summary
