"""Each chart's centre line and limits on small examples worked by hand."""

import itertools
import math

import numpy as np
import pytest

from mhsip.spc import SpcOptions, spc_chart


def _first(result, line):
    return float(getattr(result, line)[0, 0])


def test_xmr_uses_the_mdc_constant_2_66():
    result = spc_chart([1, 2, 3, 4, 5], chart="xmr")  # mean 3, every moving range 1
    assert _first(result, "centre") == 3
    assert _first(result, "lower") == pytest.approx(3 - 2.66)
    assert _first(result, "upper") == pytest.approx(3 + 2.66)
    assert _first(result, "upper_2sigma") == pytest.approx(3 + 2 / 3 * 2.66)


def test_xmr_screens_a_large_moving_range_once():
    values = [1, 2, 1, 2, 1, 2, 1, 2, 20]  # ranges 1 x 7 and 18: mean 3.125, 18 > 3.267 x 3.125
    mean = sum(values) / len(values)
    screened = spc_chart(values, chart="xmr")
    unscreened = spc_chart(values, chart="xmr", options=SpcOptions(screen_outliers=False))
    assert _first(screened, "upper") == pytest.approx(mean + 2.66 * 1.0)
    assert _first(unscreened, "upper") == pytest.approx(mean + 2.66 * 3.125)


def test_xmr_of_all_equal_values_has_no_limits_when_screening():
    result = spc_chart([4, 4, 4, 4], chart="xmr")
    assert _first(result, "centre") == 4
    assert math.isnan(_first(result, "upper")) and math.isnan(_first(result, "lower"))


def test_xmr_of_all_equal_values_has_zero_width_limits_without_screening():
    result = spc_chart([4, 4, 4, 4], chart="xmr", options=SpcOptions(screen_outliers=False))
    assert _first(result, "lower") == _first(result, "upper") == 4


def test_mr_chart_centre_is_the_mean_moving_range():
    result = spc_chart([1, 3, 2, 6], chart="mr")
    assert np.isnan(result.values[0, 0])
    assert result.values[0, 1:].tolist() == [2, 1, 4]
    assert _first(result, "centre") == pytest.approx(7 / 3)
    assert _first(result, "upper") == pytest.approx(3.267 * 7 / 3)
    assert _first(result, "lower") == 0


def test_run_chart_centre_is_the_median_without_limits():
    result = spc_chart([5, 1, 9, 3], chart="run")
    assert _first(result, "centre") == 4
    assert np.isnan(result.upper).all() and np.isnan(result.lower_2sigma).all()


def test_c_chart_lower_limit_not_below_zero():
    result = spc_chart([4, 4, 4, 4], chart="c")
    assert _first(result, "lower") == 0
    assert _first(result, "upper") == pytest.approx(4 + 3 * 2)
    assert _first(result, "upper_2sigma") == pytest.approx(4 + 2 * 2)


def test_u_chart_limits_vary_with_each_denominator():
    result = spc_chart([2, 8], denominators=[100, 400], chart="u")
    u = 10 / 500
    assert result.centre[0].tolist() == [u, u]
    assert result.upper[0].tolist() == pytest.approx([u + 3 * math.sqrt(u / n) for n in (100, 400)])
    assert result.lower[0].tolist() == [0, 0]  # u - 3 sigma < 0 for both


def test_p_chart_upper_limit_capped_at_one():
    result = spc_chart([95, 99], denominators=[100, 100], chart="p")
    p = 194 / 200
    sigma = math.sqrt(p * (1 - p) / 100)
    assert result.upper[0].tolist() == [1, 1]
    assert _first(result, "lower") == pytest.approx(p - 3 * sigma)


def test_laney_p_prime_scales_p_sigma_by_the_spread_of_z_scores():
    counts = [120, 80, 150, 95, 130]
    totals = [1000, 1000, 1200, 900, 1100]
    p_chart = spc_chart(counts, denominators=totals, chart="p")
    laney = spc_chart(counts, denominators=totals, chart="pp")
    p = sum(counts) / sum(totals)
    sigmas = [math.sqrt(p * (1 - p) / n) for n in totals]
    z = [(c / n - p) / s for c, n, s in zip(counts, totals, sigmas, strict=True)]
    ranges = [abs(b - a) for a, b in itertools.pairwise(z)]
    sigma_z = sum(ranges) / len(ranges) / 1.128  # no range is screened out here
    assert max(ranges) < 3.267 * sum(ranges) / len(ranges)
    expected = [p + 3 * s * sigma_z for s in sigmas]
    assert laney.upper[0].tolist() == pytest.approx(expected)
    assert laney.centre[0].tolist() == pytest.approx(p_chart.centre[0].tolist())


def test_laney_u_prime_equals_u_when_z_scores_vary_as_poisson():
    counts = [10, 30, 10, 30]
    days = [100, 100, 100, 100]
    u = spc_chart(counts, denominators=days, chart="u")
    up = spc_chart(counts, denominators=days, chart="up")
    z_range = 20 / math.sqrt(0.2 * 100)  # |dz| between 0.1 and 0.3 per day at u-bar 0.2
    sigma_z = z_range / 1.128
    assert up.upper[0, 0] - 0.2 == pytest.approx((u.upper[0, 0] - 0.2) * sigma_z)


def test_t_chart_works_on_the_transformed_scale():
    days_between = [10, 20, 15, 30, 25]
    result = spc_chart(days_between, chart="t")
    x = [d ** (1 / 3.6) for d in days_between]
    mean = sum(x) / len(x)
    ranges = [abs(b - a) for a, b in itertools.pairwise(x)]
    sigma = sum(ranges) / len(ranges) / 1.128
    assert _first(result, "centre") == pytest.approx(mean**3.6)
    assert _first(result, "upper") == pytest.approx((mean + 3 * sigma) ** 3.6)
    lower = mean - 3 * sigma
    assert _first(result, "lower") == pytest.approx(lower**3.6 if lower > 0 else 0)


def test_t_chart_lower_limit_is_zero_when_negative_on_the_transformed_scale():
    result = spc_chart([1, 500, 2, 800, 3], chart="t")
    assert _first(result, "lower") == 0
    assert math.isnan(_first(result, "lower_2sigma"))


def test_g_chart_limits_from_the_mean_centre_from_the_median():
    gaps = [0, 5, 10, 20, 100]
    result = spc_chart(gaps, chart="g")
    mean = 27
    assert _first(result, "centre") == 10
    assert _first(result, "upper") == pytest.approx(mean + 3 * math.sqrt(mean * (mean + 1)))
    assert _first(result, "lower") == 0
