"""Exact funnel limits against hand-worked Poisson and binomial tables, without scipy."""

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mhsip.comparison import count_quantile, exact_limits


def poisson_cdf(k: int, mean: float) -> float:
    """P(Y <= k) for a Poisson count, summed term by term."""
    return sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k + 1))


def binomial_cdf(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


def continuous_poisson_cdf(x: float, mean: float) -> float:
    """Q(x + 1, mean), the regularised upper incomplete gamma function, by its series:
    P(a, m) = m^a e^-m sum_k m^k / Gamma(a + k + 1) (Abramowitz & Stegun 6.5.29)."""
    a = x + 1
    total, k = 0.0, 0
    while True:
        term = math.exp((a + k) * math.log(mean) - mean - math.lgamma(a + k + 1))
        total += term
        k += 1
        if term < 1e-17 and k > mean:
            return 1 - total


# Poisson with mean 10 (e.g. 2,000 bed days at 5 per 1,000). Cumulative probabilities from the
# terms e^-10 10^k / k!: P(Y <= 1) = 0.000499, P(Y <= 2) = 0.002769, P(Y <= 3) = 0.010336,
# P(Y <= 4) = 0.029253, P(Y <= 16) = 0.972958, P(Y <= 17) = 0.985722, P(Y <= 20) = 0.998412,
# P(Y <= 21) = 0.999191. Each limit lies in the one-event step that holds its exact quantile.
@pytest.mark.parametrize(
    ("probability", "step"),
    [(0.001, (1, 2)), (0.025, (3, 4)), (0.975, (16, 17)), (0.999, (20, 21))],
)
def test_poisson_limits_for_mean_10_lie_in_the_step_of_the_exact_quantile(probability, step):
    low, high = step
    assert poisson_cdf(low, 10) < probability <= poisson_cdf(high, 10)
    limit = float(count_quantile(probability, np.array(10.0)))
    assert low < limit <= high


@pytest.mark.parametrize("probability", [0.001, 0.025, 0.975, 0.999])
def test_poisson_limit_is_where_the_continuous_distribution_function_reaches_the_probability(
    probability,
):
    limit = float(count_quantile(probability, np.array(10.0)))
    assert continuous_poisson_cdf(limit, 10) == pytest.approx(probability, abs=1e-9)


def test_the_998_limits_at_2000_bed_days_around_5_per_1000():
    # Expected count 10: the alarm limits are (1.371 and 20.571 events) / 2,000 bed days.
    lower, upper = exact_limits(0.005, np.array([2000.0]), level=0.998)
    assert lower[0] * 1000 == pytest.approx(1.371477 / 2, rel=1e-5)
    assert upper[0] * 1000 == pytest.approx(20.570600 / 2, rel=1e-5)


@pytest.mark.parametrize("k", [0, 1, 3, 9, 10, 14])
def test_at_a_whole_count_the_limit_is_that_count(k):
    # The interpolation is exact wherever the probability falls on a whole count.
    for mean in (2.5, 10.0):
        probability = poisson_cdf(k, mean)
        assert float(count_quantile(probability, np.array(mean))) == pytest.approx(k, abs=1e-9)
    probability = binomial_cdf(k, 20, 0.5)
    assert float(count_quantile(probability, np.array(10.0), np.array(20.0))) == pytest.approx(
        k, abs=1e-9
    )


def test_binomial_limits_for_20_trials_at_one_half():
    # Pascal's triangle: P(Y <= 5) = 0.020695, P(Y <= 6) = 0.057659, P(Y <= 13) = 0.942341,
    # P(Y <= 14) = 0.979305, so the 95% limits lie in the steps (5, 6] and (13, 14].
    lower, upper = exact_limits(0.5, np.array([20.0]), level=0.95, proportion=True)
    assert 5 < lower[0] * 20 <= 6
    assert 13 < upper[0] * 20 <= 14
    # At p = 1/2, P(Y <= x) = 1 - P(Y <= 19 - x) holds for the continuous form too, so the two
    # limits are mirror images: they add up to 19 events.
    assert (lower[0] + upper[0]) * 20 == pytest.approx(19, abs=1e-9)


def test_lower_limit_is_zero_when_no_events_would_be_unusually_few():
    # With 0.5 expected events, P(Y = 0) = 0.61: nothing can fall below the lower limit.
    lower, _ = exact_limits(0.005, np.array([100.0]), level=0.95)
    assert lower[0] == 0


def test_limits_stay_within_the_same_step_as_spiegelhalters_linear_interpolation():
    from scipy import stats

    means = np.linspace(0.5, 200, 400)
    for probability in (0.001, 0.025, 0.975, 0.999):
        quantile = stats.poisson.ppf(probability, means)
        ours = count_quantile(probability, means)
        assert np.all(ours <= quantile + 1e-9)
        assert np.all((ours > quantile - 1) | (ours == 0))


@settings(max_examples=200, deadline=None)
@example(rate=0.001, exposure=100.0, growth=1.03125, proportion=False)
@given(
    rate=st.floats(0.0005, 0.05),
    exposure=st.floats(100, 100_000),
    growth=st.floats(1.001, 10),
    proportion=st.booleans(),
)
def test_limits_narrow_as_denominators_grow(rate, exposure, growth, proportion):
    exposure = round(exposure) if proportion else exposure
    bigger = round(exposure * growth) if proportion else exposure * growth
    if bigger == exposure:
        bigger += 1
    for level in (0.95, 0.998):
        small = exact_limits(rate, np.array([exposure]), level=level, proportion=proportion)
        large = exact_limits(rate, np.array([bigger]), level=level, proportion=proportion)
        assert large[0][0] >= small[0][0] - 1e-12
        if rate * exposure >= 1:
            # With under one event expected the upper count limit is a fraction of an event that
            # grows faster than the exposure, so the rate's upper limit need not narrow there.
            assert large[1][0] <= small[1][0] + 1e-12
