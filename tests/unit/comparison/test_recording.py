"""Recording checks: implausibly few events, against peers and against a unit's own months."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsip.comparison import funnel
from mhsip.comparison.recording import (
    chance_of_at_most,
    expected_from_other_periods,
    expected_from_peers,
    implausibly_few,
)


def test_chance_of_none_is_the_poisson_zero_term():
    assert float(chance_of_at_most(np.array(0), np.array(7.0))) == pytest.approx(math.exp(-7))
    # P(Y <= 2 | 3) = e^-3 (1 + 3 + 9/2), summed by hand.
    assert float(chance_of_at_most(np.array(2), np.array(3.0))) == pytest.approx(math.exp(-3) * 8.5)


def test_implausibly_few_is_the_lower_tail_of_the_998_limits():
    # e^-7 = 0.00091 is below 0.001; e^-6.9 = 0.00101 is not.
    assert implausibly_few(np.array([0, 0]), np.array([7.0, 6.9])).tolist() == [True, False]
    assert not implausibly_few(np.array([np.nan]), np.array([50.0]))[0]
    assert not implausibly_few(np.array([0]), np.array([np.nan]))[0]


def test_expected_from_peers_pools_each_group_and_leaves_a_unit_alone_unknown():
    events = np.array([10.0, 30.0, 5.0, np.nan, 8.0])
    bed_days = np.array([1000.0, 2000.0, 500.0, 700.0, 400.0])
    peers = ["acute", "acute", "picu", "picu", "rehab"]

    expected = expected_from_peers(events, bed_days, peers)

    assert expected[:2] == pytest.approx([1000 * 40 / 3000, 2000 * 40 / 3000])
    # PICU: the unknown unit is left out of the rate but still gets an expectation.
    assert expected[2:4] == pytest.approx([500 * 5 / 500, 700 * 5 / 500])
    assert math.isnan(expected[4])  # no other rehabilitation ward


def test_expected_from_other_periods_leaves_the_month_itself_out():
    events = np.array([[10.0, 0.0, 10.0, 4.0]])
    bed_days = np.array([[100.0, 100.0, 100.0, 0.0]])

    expected = expected_from_other_periods(events, bed_days)

    # Month 2: 100 bed days at 20 / 200 of the others; month 1: 100 x 10 / 200.
    assert expected[0, :3] == pytest.approx([5.0, 10.0, 5.0])
    assert math.isnan(expected[0, 3])  # no bed days, no expectation


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 60), min_size=3, max_size=8),
    st.lists(st.integers(200, 5000), min_size=8, max_size=8),
)
def test_against_peers_agrees_with_the_funnels_low_flag(events, bed_days):
    events = np.array(events, dtype=float)
    bed_days = np.array(bed_days[: len(events)], dtype=float)
    if events.sum() == 0:
        return
    result = funnel(events, bed_days)

    flagged = implausibly_few(events, expected_from_peers(events, bed_days, ["all"] * len(events)))

    assert flagged.tolist() == [flag == "low" for flag in result.flag]
