import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsip.equity import poisson_rate_interval, rate_ratio, risk_ratio


def test_poisson_interval_of_5_events_matches_the_garwood_table():
    # Exact 95% limits for a count of 5: 1.6235 and 11.6683 (Garwood 1936; R poisson.test(5)).
    lower, upper = poisson_rate_interval(5, 1000, multiplier=1000)
    assert lower == pytest.approx(1.62349, rel=1e-4)
    assert upper == pytest.approx(11.66833, rel=1e-5)


def test_poisson_interval_of_zero_events_starts_at_zero():
    lower, upper = poisson_rate_interval(0, 100)
    assert lower == 0 and upper == pytest.approx(3.68888 / 100, rel=1e-5)


def test_rate_ratio_matches_r_poisson_test():
    # R: poisson.test(c(10, 5), c(1000, 1000)) -> rate ratio 2, 95% CI 0.6228596 7.4572959
    result = rate_ratio(10, 1000, 5, 1000)
    assert result.ratio == 2
    assert result.lower == pytest.approx(0.6228596, rel=1e-6)
    assert result.upper == pytest.approx(7.4572959, rel=1e-6)


def test_rate_ratio_with_no_events_in_the_group_has_lower_limit_zero():
    result = rate_ratio(0, 500, 12, 1000)
    assert result.ratio == 0 and result.lower == 0 and np.isfinite(result.upper)


def test_rate_ratio_with_no_events_anywhere_is_undefined():
    assert np.isnan(rate_ratio(0, 500, 0, 1000).ratio)


def test_risk_ratio_katz_interval():
    # 30/100 against 15/100: RR 2, log SE sqrt(1/30 - 1/100 + 1/15 - 1/100) = 0.2828
    result = risk_ratio(30, 100, 15, 100)
    assert result.ratio == pytest.approx(2)
    assert result.lower == pytest.approx(2 * np.exp(-1.959964 * 0.282843), rel=1e-5)


@settings(max_examples=100, deadline=None)
@given(events=st.integers(1, 500), exposure=st.integers(1, 100_000))
def test_ratio_of_identical_groups_is_one_with_an_interval_containing_one(events, exposure):
    result = rate_ratio(events, exposure, events, exposure)
    assert result.ratio == 1
    assert result.lower <= 1 <= result.upper


@settings(max_examples=100, deadline=None)
@given(rate=st.floats(0.001, 0.1), exposure=st.integers(100, 10_000))
def test_interval_narrows_as_exposure_grows(rate, exposure):
    small = poisson_rate_interval(round(rate * exposure), exposure)
    large = poisson_rate_interval(round(rate * exposure * 10), exposure * 10)
    assert large[1] - large[0] < small[1] - small[0]
