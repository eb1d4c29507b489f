import numpy as np
import pytest

from mhsip.measures.aims import aim_progress


def test_a_real_thirty_percent_fall_meets_the_aim_with_a_sustained_shift():
    rng = np.random.default_rng(11)
    days = np.full(30, 600.0)
    events = np.concatenate([rng.poisson(12, 18), rng.poisson(7.5, 12)]).astype(float)
    progress = aim_progress(events, days, baseline=slice(0, 12))
    assert progress.baseline_points == 12 and progress.current_points == 6
    assert progress.met and progress.sustained_shift
    assert progress.change_percent < -25
    assert progress.clearly_lower


def test_no_change_does_not_claim_the_aim():
    rng = np.random.default_rng(5)
    days = np.full(30, 600.0)
    events = rng.poisson(12, 30).astype(float)
    progress = aim_progress(events, days, baseline=slice(0, 12))
    assert not progress.clearly_lower
    assert progress.ratio_lower < 1 < progress.ratio_upper


def test_rates_and_interval_worked_by_hand():
    events = np.array([10.0] * 12 + [5.0] * 6)
    days = np.full(18, 1000.0)
    progress = aim_progress(events, days, baseline=slice(0, 12))
    assert progress.baseline_rate == pytest.approx(10)
    assert progress.current_rate == pytest.approx(5)
    assert progress.target_rate == pytest.approx(7.5)
    assert progress.ratio == pytest.approx(0.5)
    assert progress.met


def test_short_baseline_gives_no_spc_verdict():
    events = np.array([10.0] * 6 + [5.0] * 6)
    progress = aim_progress(events, np.full(12, 1000.0), baseline=slice(0, 6))
    assert progress.sustained_shift is None


def test_no_data_after_the_baseline():
    progress = aim_progress(np.ones(12), np.full(12, 100.0), baseline=slice(0, 12))
    assert progress.current_rate is None and not progress.met and progress.ratio is None
