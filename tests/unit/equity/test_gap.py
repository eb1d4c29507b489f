"""Is the gap closing: the change in a rate ratio between two periods."""

from __future__ import annotations

import math

import pytest

from mhsip.equity.gap import GapChange, gap_change, gap_reading


def test_change_and_its_log_interval_worked_by_hand():
    change = gap_change((60, 1000, 100, 5000), (30, 1000, 100, 5000))

    assert (change.earlier, change.later, change.change) == pytest.approx((3.0, 1.5, 0.5))
    spread = 1.959964 * math.sqrt(1 / 60 + 1 / 100 + 1 / 30 + 1 / 100)
    assert change.lower == pytest.approx(0.5 * math.exp(-spread), rel=1e-6)
    assert change.upper == pytest.approx(0.5 * math.exp(spread), rel=1e-6)
    assert change.real


def test_no_change_between_identical_periods_could_be_chance():
    change = gap_change((20, 1000, 50, 4000), (20, 1000, 50, 4000))

    assert change.change == pytest.approx(1.0) and change.lower < 1 < change.upper
    assert gap_reading(change, group="Mixed", reference="White").endswith(
        "the interval includes no change, so this could be chance."
    )


@pytest.mark.parametrize(
    "counts",
    [((0, 1000, 10, 1000), (5, 1000, 10, 1000)), ((5, 1000, 10, 0), (5, 1000, 10, 1000))],
)
def test_no_change_without_events_or_exposure_on_every_side(counts):
    assert gap_change(*counts) is None


def test_reading_says_closer_or_further_from_the_reference():
    closer = GapChange(3.0, 1.5, 0.5, 0.3, 0.83)
    further = GapChange(1.5, 3.0, 2.0, 1.2, 3.3)

    assert "a real change, closer to White" in gap_reading(closer, group="B", reference="White")
    assert "a real change, further from White" in gap_reading(further, group="B", reference="White")
