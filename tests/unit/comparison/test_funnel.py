import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import mhsip.comparison
from mhsip.comparison import UNIT_FIELDS, Overdispersion, exact_limits, funnel
from mhsip.comparison import limits as limits_module
from mhsip.comparison import overdispersion as overdispersion_module

EVENTS = [12, 40, 3, 95, 20, 0, 31]
BED_DAYS = [2400, 9100, 1500, 11800, 4100, 900, 5600]


def test_centre_is_the_pooled_rate():
    result = funnel(EVENTS, BED_DAYS, multiplier=1000)
    assert result.centre == pytest.approx(sum(EVENTS) / sum(BED_DAYS) * 1000)
    assert result.rate == pytest.approx(np.array(EVENTS) / np.array(BED_DAYS) * 1000)


def test_rows_have_the_contract_fields_in_order():
    rows = funnel(EVENTS, BED_DAYS, units=list("ABCDEFG"), multiplier=1000).rows()
    assert [tuple(row) for row in rows] == [UNIT_FIELDS] * 7
    assert rows[0]["unit"] == "A" and rows[0]["events"] == 12 and rows[0]["denominator"] == 2400


def test_units_with_unknown_values_are_kept_and_left_out_of_the_centre():
    result = funnel([10, np.nan, 30, 5], [1000, 2000, np.nan, 500], units=list("ABCD"))
    assert result.flag == ("in_range", "unknown", "unknown", "in_range")
    assert result.centre == pytest.approx(15 / 1500)
    assert result.known_units == 2
    row = result.rows()[1]
    assert row["events"] is None and row["denominator"] == 2000
    assert row["rate"] is None and row["lower_998"] is None and row["z"] is None


def test_limits_bracket_the_centre_and_the_95_sit_inside_the_998():
    r = funnel(EVENTS, BED_DAYS, multiplier=1000)
    assert np.all(r.lower_998 <= r.lower_95) and np.all(r.lower_95 <= r.centre)
    assert np.all(r.centre <= r.upper_95) and np.all(r.upper_95 <= r.upper_998)


def test_z_is_the_pearson_residual():
    r = funnel(EVENTS, BED_DAYS)
    theta = sum(EVENTS) / sum(BED_DAYS)
    expected = (np.array(EVENTS) / BED_DAYS - theta) / np.sqrt(theta / np.array(BED_DAYS))
    assert r.z == pytest.approx(expected)


def test_flags_against_the_998_limits():
    # 60 events where 20 are expected is far above; 2 where 20 are expected is far below.
    r = funnel([60, 2, 20, 20, 20], [1000, 1000, 1000, 1000, 1000], units=list("ABCDE"))
    assert r.flag[:2] == ("high", "low")
    assert r.rate[0] > r.upper_998[0] and r.rate[1] < r.lower_998[1]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(50, 50_000)), min_size=2, max_size=30
    ).filter(lambda units: sum(e for e, _ in units) > 0)
)
def test_flags_are_the_exact_poisson_tail_tests(units):
    events = np.array([e for e, _ in units], dtype=float)
    exposure = np.array([d for _, d in units], dtype=float)
    r = funnel(events, exposure)
    cdf = stats.poisson.cdf(events, r.centre * exposure)
    expected = np.where(cdf > 0.999, "high", np.where(cdf < 0.001, "low", "in_range"))
    assert list(r.flag) == expected.tolist()


def test_curve_limits_match_the_units_limits():
    r = funnel(EVENTS, BED_DAYS, multiplier=1000, overdispersion="additive")
    lower, upper = r.limits(np.array(BED_DAYS, dtype=float), 0.998)
    assert lower * 1000 == pytest.approx(r.lower_998)
    assert upper * 1000 == pytest.approx(r.upper_998)


def test_proportions_use_binomial_limits():
    r = funnel([3, 10, 25], [20, 50, 80], multiplier=100, proportion=True)
    assert r.centre == pytest.approx(38 / 150 * 100)
    lower, upper = exact_limits(38 / 150, np.array([20.0, 50, 80]), level=0.95, proportion=True)
    assert r.lower_95 == pytest.approx(lower * 100) and r.upper_95 == pytest.approx(upper * 100)
    assert r.to_dict()["method"] == "binomial"


def overdispersed_units(seed=3, units=40):
    rng = np.random.default_rng(seed)
    exposure = rng.integers(2000, 30_000, units).astype(float)
    # Each unit's true rate varies around 5 per 1,000 (gamma, coefficient of variation 0.45).
    events = rng.poisson(0.005 * exposure * rng.gamma(5, 1 / 5, units)).astype(float)
    return events, exposure


def test_multiplicative_overdispersion_widens_limits_by_root_phi():
    events, exposure = overdispersed_units()
    plain = funnel(events, exposure, multiplier=1000)
    wide = funnel(events, exposure, multiplier=1000, overdispersion="multiplicative")
    assert wide.phi == plain.phi and wide.phi > 1
    root = np.sqrt(wide.phi)
    assert wide.upper_998 - wide.centre == pytest.approx(root * (plain.upper_998 - plain.centre))
    assert wide.z == pytest.approx(plain.z / root)
    assert wide.flag.count("in_range") > plain.flag.count("in_range")


def test_additive_overdispersion_widens_large_units_most():
    events, exposure = overdispersed_units()
    plain = funnel(events, exposure, multiplier=1000)
    wide = funnel(events, exposure, multiplier=1000, overdispersion=Overdispersion.ADDITIVE)
    assert wide.tau2 > 0
    factor = (wide.upper_998 - wide.centre) / (plain.upper_998 - plain.centre)
    theta = plain.centre / 1000
    expected = np.sqrt(1 + (wide.tau2 / 1000**2) / (theta / exposure))
    assert factor == pytest.approx(expected)
    assert factor[np.argmax(exposure)] == factor.max()


def test_phi_not_above_1_leaves_the_limits_alone():
    # Every unit exactly on the centre: all z-scores 0, phi 0.
    plain = funnel([10, 20, 30], [1000, 2000, 3000])
    wide = funnel([10, 20, 30], [1000, 2000, 3000], overdispersion="multiplicative")
    additive = funnel([10, 20, 30], [1000, 2000, 3000], overdispersion="additive")
    assert wide.phi == 0 and wide.tau2 == 0
    assert wide.upper_998 == pytest.approx(plain.upper_998)
    assert additive.lower_95 == pytest.approx(plain.lower_95)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(100, 50_000)), min_size=2, max_size=25
    ).filter(lambda units: sum(e for e, _ in units) > 0),
    st.sampled_from(["multiplicative", "additive"]),
)
def test_overdispersion_never_narrows_the_limits(units, model):
    events = [e for e, _ in units]
    exposure = [d for _, d in units]
    plain = funnel(events, exposure)
    wide = funnel(events, exposure, overdispersion=model)
    assert np.all(wide.lower_95 <= plain.lower_95 + 1e-12)
    assert np.all(wide.upper_998 >= plain.upper_998 - 1e-12)
    assert np.all(wide.lower_998 <= plain.lower_998 + 1e-12)
    assert np.all(wide.upper_95 >= plain.upper_95 - 1e-12)


@pytest.mark.parametrize(
    ("events", "denominators", "kwargs", "message"),
    [
        ([1, -1], [10, 10], {}, "negative events"),
        ([1, 1], [10, 0], {}, "denominator of 0 or less"),
        ([0, 0], [10, 10], {}, "no unit has any events"),
        ([np.nan, 1], [10, np.nan], {}, "no unit has both"),
        ([5, 11], [10, 10], {"proportion": True}, "more events than its denominator"),
        ([10, 10], [10, 10], {"proportion": True}, "nothing to compare"),
        ([1, 1], [10, 10], {"multiplier": 0}, "multiplier must be greater than 0"),
        ([1], [10], {"overdispersion": "additive"}, "at least 2 units"),
        ([1, 2], [10], {}, "the same length"),
    ],
)
def test_bad_input_raises_value_error(events, denominators, kwargs, message):
    with pytest.raises(ValueError, match=message):
        funnel(events, denominators, **kwargs)


@pytest.mark.parametrize("module", [mhsip.comparison, limits_module, overdispersion_module])
def test_examples_in_docstrings_run(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0
    assert failures == 0
