"""The champions' alert rules on synthetic series, replayed month by month as the watcher would
see them: one alert per new signal, none for common-cause variation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsip.measures.alerts import (
    AlertKind,
    concern_signal,
    data_stopped_signal,
    improvement_lost_signal,
    new_signals,
)
from mhsip.spc import SpcOptions, spc_chart

BASELINE = 20


def months(count: int) -> np.ndarray:
    return np.arange(np.datetime64("2020-01"), np.datetime64("2020-01") + count).astype(
        "datetime64[D]"
    )


def chart(series, *, improvement="decrease", fix_after=None):
    dates = months(len(series))
    options = SpcOptions(improvement=improvement, fix_after=fix_after)
    return spc_chart(np.asarray(series, dtype=float), dates=dates, options=options).to_dict()


def replay(series, *, start=12, improvement="decrease", fix_after=None, confirm=1):
    """Every signal the watcher raises if it runs once a month as the series grows."""
    raised, previous = [], None
    for stop in range(start, len(series) + 1):
        current = chart(series[:stop], improvement=improvement, fix_after=fix_after)
        raised += new_signals(current, previous, confirm=confirm)
        previous = current
    return raised


def common_cause(level: float, amplitudes: list[float]) -> list[float]:
    """Points alternating either side of `level`: no run, no trend, nothing near a limit
    (moving ranges of 2 to 4 put the limits about 8 away; points are at most 2 away)."""
    return [level + (a if i % 2 else -a) for i, a in enumerate(amplitudes)]


amplitudes = st.lists(st.floats(1.0, 2.0), min_size=BASELINE + 10, max_size=BASELINE + 20)
levels = st.floats(20.0, 200.0)


@settings(max_examples=40, deadline=None)
@given(level=levels, wobble=amplitudes, fixed=st.booleans())
def test_common_cause_series_raise_nothing(level, wobble, fixed):
    series = common_cause(level, wobble)

    raised = replay(series, fix_after=BASELINE if fixed else None)

    assert raised == []


@settings(max_examples=40, deadline=None)
@given(
    level=levels,
    wobble=amplitudes,
    # Small shifts keep every point inside the limits (only the shift rule can see them);
    # large ones put every shifted point outside the limits at once.
    step=st.one_of(st.floats(2.5, 3.0), st.floats(12.0, 30.0)),
    shifted=st.integers(7, 10),
)
def test_a_planted_shift_of_concern_raises_exactly_one_alert(level, wobble, step, shifted):
    baseline = common_cause(level, wobble[:BASELINE])
    after = [v + step for v in common_cause(level, wobble[BASELINE : BASELINE + shifted])]

    raised = replay(baseline + after, fix_after=BASELINE)

    assert [s.kind for s in raised] == [AlertKind.SPECIAL_CAUSE_CONCERN]


def test_a_small_shift_is_raised_when_its_seventh_point_arrives():
    baseline = common_cause(50, [1.5] * BASELINE)
    after = [v + 2.8 for v in common_cause(50, [1.5] * 9)]

    raised = replay(baseline + after, fix_after=BASELINE)

    # The last baseline point is above the line too: the sixth shifted point makes seven.
    assert [s.period for s in raised] == ["2022-02"]


def test_a_point_outside_the_limits_is_a_new_concern():
    series = common_cause(50, [1.5] * BASELINE) + [80]
    current, previous = chart(series), chart(series[:-1])

    signal = concern_signal(current, previous)

    assert signal is not None
    assert signal.period == "2021-09"
    assert "outside the control limits" in signal.reason
    assert "80" not in signal.reason  # no figures in an alert


def test_a_concern_that_continues_is_not_raised_again():
    series = common_cause(50, [1.5] * BASELINE) + [80, 82]
    current, previous = chart(series, fix_after=BASELINE), chart(series[:-1], fix_after=BASELINE)

    assert current["points"][-1]["point_type"] == "special_cause_concern"
    assert concern_signal(current, previous) is None


def test_a_concern_after_three_quiet_periods_is_a_new_signal():
    series = common_cause(50, [1.5] * BASELINE) + [80, 50.5, 49.5, 50.5, 81]

    raised = replay(series, start=BASELINE + 1, fix_after=BASELINE)

    assert [s.period for s in raised] == ["2021-09", "2022-01"]


def test_concern_flickering_close_to_a_limit_is_one_signal():
    # Every other point is close to the upper limit: "two of three" flags only those, so the
    # chart alternates between concern and common cause until seven points make a shift.
    series = common_cause(50, [1.0] * BASELINE) + [v + 3.0 for v in common_cause(50, [1.0] * 9)]
    flagged = chart(series, fix_after=BASELINE)["points"][BASELINE:]
    assert [p["two_in_three"] for p in flagged[:4]] == [False, True, False, True]

    raised = replay(series, fix_after=BASELINE)

    assert [s.period for s in raised] == ["2021-12"]  # the fourth point, where it started


def test_high_values_are_improvement_when_higher_is_better():
    series = common_cause(50, [1.5] * BASELINE) + [80]

    assert replay(series, start=BASELINE + 1, improvement="increase") == []


def test_a_neutral_measure_raises_nothing():
    series = common_cause(50, [1.5] * BASELINE) + [80]

    assert replay(series, start=BASELINE + 1, improvement="neutral") == []


def test_a_missing_newest_point_raises_nothing():
    series = common_cause(50, [1.5] * BASELINE) + [80, np.nan]

    assert new_signals(chart(series), chart(series[:-1])) == []


def improved_then(back: list[float]) -> list[float]:
    """A baseline at 50, eight months well below it (improvement: lower is better), then `back`."""
    baseline = common_cause(50, [1.5] * BASELINE)
    improved = [v - 2.8 for v in common_cause(50, [1.5] * 8)]
    return baseline + improved + back


def test_an_improvement_is_lost_when_a_point_returns_to_the_old_centre_line():
    series = improved_then([51.0, 52.0, 51.5])

    raised = replay(series, start=BASELINE + 1, fix_after=BASELINE)

    lost = [s for s in raised if s.kind is AlertKind.IMPROVEMENT_LOST]
    assert [s.period for s in lost] == ["2022-05"]  # the first point back, once
    assert "2022" in lost[0].reason


def test_an_improvement_that_holds_is_not_lost():
    series = improved_then([47.5, 48.0, 47.0])

    assert improvement_lost_signal(chart(series, fix_after=BASELINE)) is None


def test_confirming_points_delay_the_loss_until_they_agree():
    series = improved_then([51.0, 52.0])

    raised = replay(series, start=BASELINE + 1, fix_after=BASELINE, confirm=2)

    assert [s.period for s in raised if s.kind is AlertKind.IMPROVEMENT_LOST] == ["2022-06"]


def test_an_improvement_carried_across_a_missing_month_is_lost_only_when_it_crosses():
    series = improved_then([np.nan, 47.0, 48.0, 51.0])

    raised = replay(series, start=BASELINE + 1, fix_after=BASELINE)

    assert [s.period for s in raised if s.kind is AlertKind.IMPROVEMENT_LOST] == ["2022-08"]


def test_data_stopped_names_the_first_empty_period_however_long_it_lasts():
    labels = ["2026-01", "2026-02", "2026-03", "2026-04"]

    one_month = data_stopped_signal([True, True, True, False], labels)
    two_months = data_stopped_signal([True, True, False, False], labels)

    assert one_month.period == "2026-04"
    assert two_months.period == "2026-03"
    assert "March 2026" in two_months.reason


@pytest.mark.parametrize(
    "has_data",
    [[True, True, True], [False, False, False], [True, False, True], []],
)
def test_data_stopped_needs_data_before_and_none_at_the_end(has_data):
    assert data_stopped_signal(has_data, [f"2026-0{i + 1}" for i in range(len(has_data))]) is None


def test_data_stopped_checks_its_inputs_match():
    with pytest.raises(ValueError, match="same length"):
        data_stopped_signal([True, False], ["2026-01"])
