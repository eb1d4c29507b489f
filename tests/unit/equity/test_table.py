import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsip.equity import (
    GROUP_FIELDS,
    ReferenceGroupError,
    group_table,
    poisson_rate_interval,
    rate_ratio,
)
from mhsip.equity import wording as wording_module
from mhsip.equity.wording import format_ratio, ratio_reading

GROUPS = ["White", "Black", "Asian", "Mixed", "Other"]
EVENTS = [400, 120, 30, 4, None]
BED_DAYS = [80_000, 9_000, 7_000, 2_000, 1_500]


def test_rows_follow_the_input_order_with_the_contract_fields():
    table = group_table(GROUPS, EVENTS, BED_DAYS, reference="White", multiplier=1000)
    rows = table.to_list()
    assert [row["group"] for row in rows] == GROUPS
    assert all(tuple(row) == GROUP_FIELDS for row in rows)


def test_rates_intervals_and_ratios_come_from_the_exact_methods():
    black = group_table(GROUPS, EVENTS, BED_DAYS, reference="White", multiplier=1000).rows[1]
    lower, upper = poisson_rate_interval(120, 9000, multiplier=1000)
    ratio = rate_ratio(120, 9000, 400, 80_000)
    assert black.rate == pytest.approx(120 / 9000 * 1000)
    assert (black.rate_lower, black.rate_upper) == pytest.approx((lower, upper))
    assert (black.rate_ratio, black.ratio_lower, black.ratio_upper) == pytest.approx(
        (float(ratio.ratio), float(ratio.lower), float(ratio.upper))
    )
    assert black.events == 120 and isinstance(black.events, int)
    assert black.reading.startswith("2.67 times the rate of White (95% CI")
    assert "a real difference, higher" in black.reading


def test_reference_row_has_ratio_one_and_no_interval():
    white = group_table(GROUPS, EVENTS, BED_DAYS, reference="White").rows[0]
    assert white.rate_ratio == 1 and white.ratio_lower is None and white.ratio_upper is None
    assert white.reading.startswith("The reference group")


def test_groups_under_5_events_are_suppressed_with_their_events():
    mixed = group_table(GROUPS, EVENTS, BED_DAYS, reference="White").rows[3]
    assert mixed.suppressed and mixed.because == "small"
    assert mixed.events is None and mixed.rate is None and mixed.rate_ratio is None
    assert mixed.denominator == 2000
    assert "Fewer than 5 events" in mixed.reading


def test_without_a_rule_small_groups_are_shown():
    mixed = group_table(GROUPS, EVENTS, BED_DAYS, reference="White", rule=None).rows[3]
    assert not mixed.suppressed and mixed.events == 4 and mixed.rate_ratio is not None


def test_unknown_input_is_suppressed_and_says_why():
    other = group_table(GROUPS, EVENTS, BED_DAYS, reference="White").rows[4]
    assert other.suppressed and other.because == "unknown"
    assert other.events is None and other.denominator == 1500
    assert other.reading.startswith("Not known")


def test_no_events_gives_ratio_zero_and_a_finite_upper_limit():
    row = group_table(["A", "B"], [50, 0], [1000, 1000], reference="A", rule=None).rows[1]
    assert row.rate_ratio == 0 and row.ratio_lower == 0 and math.isfinite(row.ratio_upper)


@pytest.mark.parametrize(
    ("events", "reference", "message"),
    [
        (EVENTS, "Purple", "there is no group 'Purple'"),
        (EVENTS, "Mixed", "'Mixed' is suppressed"),
        (EVENTS, "Other", "'Other' has a suppressed or blank value"),
    ],
)
def test_reference_group_problems(events, reference, message):
    with pytest.raises(ReferenceGroupError, match=message):
        group_table(GROUPS, events, BED_DAYS, reference=reference)


def test_reference_group_without_events_cannot_be_compared_against():
    # Only reachable without suppression: with it, 0 events is already "fewer than 5".
    with pytest.raises(ReferenceGroupError, match="has no events"):
        group_table(["A", "B"], [0, 10], [100, 100], reference="A", rule=None)


@pytest.mark.parametrize(
    ("groups", "events", "denominators", "message"),
    [
        (["A", "A"], [5, 6], [10, 10], "appears twice"),
        (["A", "B"], [5, -6], [10, 10], "negative events"),
        (["A", "B"], [5, 6], [10, 0], "denominator of 0 or less"),
        (["A", "B"], [5], [10, 0], "the same length"),
    ],
)
def test_bad_input(groups, events, denominators, message):
    with pytest.raises(ValueError, match=message):
        group_table(groups, events, denominators, reference="A")


@settings(max_examples=100, deadline=None)
@given(events=st.integers(5, 5000), exposure=st.integers(10, 1_000_000))
def test_identical_groups_have_ratio_one_with_an_interval_containing_one(events, exposure):
    row = group_table(["A", "B"], [events, events], [exposure, exposure], reference="A").rows[1]
    assert row.rate_ratio == 1
    assert row.ratio_lower <= 1 <= row.ratio_upper
    assert "could be chance" in row.reading


@settings(max_examples=200, deadline=None)
@given(
    events=st.integers(5, 2000),
    reference_events=st.integers(5, 2000),
    exposure=st.integers(100, 100_000),
    reference_exposure=st.integers(100, 100_000),
)
def test_a_difference_is_called_real_only_when_its_interval_excludes_one(
    events, reference_events, exposure, reference_exposure
):
    row = group_table(
        ["ref", "group"],
        [reference_events, events],
        [reference_exposure, exposure],
        reference="ref",
    ).rows[1]
    real = "a real difference" in row.reading
    assert real == (row.ratio_lower > 1 or row.ratio_upper < 1)
    assert real != ("could be chance" in row.reading)


def test_readings_never_print_a_limit_that_is_not_1_as_1():
    assert format_ratio(1.0004) == "1.0004"
    assert format_ratio(0.996) == "0.996"
    assert format_ratio(1.0) == "1.00"
    text = ratio_reading(1.2, 1.001, 1.4, reference="White")
    assert "(95% CI 1.001 to 1.40): a real difference" in text


def test_reading_of_an_infinite_upper_limit():
    text = ratio_reading(2.0, 0.5, math.inf, reference="White")
    assert "to no upper limit" in text and "could be chance" in text


def test_examples_in_docstrings_run():
    failures, tried = doctest.testmod(wording_module)
    assert tried > 0 and failures == 0


def test_level_is_used_for_intervals_and_readings():
    row = group_table(["A", "B"], [100, 150], [1000, 1000], reference="A", level=0.9).rows[1]
    assert "(90% CI" in row.reading
    assert row.ratio_lower == pytest.approx(rate_ratio(150, 1000, 100, 1000, level=0.9).lower)
    assert np.isfinite(row.ratio_upper)
