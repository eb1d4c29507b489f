import numpy as np
import pytest

from mhsip.spc import rules


def _row(*values):
    return np.array([values], dtype=float)


def test_in_long_run_marks_every_column_of_long_runs_only():
    mask = np.array([[1, 1, 1, 0, 1, 1, 1, 1, 0, 1]], dtype=bool)
    assert rules.in_long_run(mask, 3).astype(int).tolist() == [[1, 1, 1, 0, 1, 1, 1, 1, 0, 0]]
    assert not rules.in_long_run(mask, 5).any()


def test_in_long_run_of_short_or_empty_rows():
    assert rules.in_long_run(np.ones((2, 2), dtype=bool), 3).shape == (2, 2)
    assert rules.in_long_run(np.zeros((2, 0), dtype=bool), 3).shape == (2, 0)


def test_shift_flags_every_point_of_a_run_of_exactly_seven():
    values = _row(1, 6, 6, 6, 6, 6, 6, 6, 1)
    flags = rules.shift(values, np.full(values.shape, 5.0), 7)
    assert flags.tolist() == [[0, 1, 1, 1, 1, 1, 1, 1, 0]]


def test_shift_of_six_is_not_enough_by_default_but_is_with_length_six():
    values = _row(1, 6, 6, 6, 6, 6, 6, 1)
    centre = np.full(values.shape, 5.0)
    assert not rules.shift(values, centre, 7).any()
    assert rules.shift(values, centre, 6).tolist() == [[0, 1, 1, 1, 1, 1, 1, 0]]


def test_shift_is_broken_by_a_point_on_the_centre_line():
    values = _row(4, 4, 4, 5, 4, 4, 4, 4)
    assert not rules.shift(values, np.full(values.shape, 5.0), 7).any()


def test_shift_is_broken_by_a_missing_point():
    values = _row(4, 4, 4, np.nan, 4, 4, 4, 4)
    assert not rules.shift(values, np.full(values.shape, 5.0), 7).any()


def test_trend_of_seven_increasing_points_flags_all_seven():
    values = _row(5, 1, 2, 3, 4, 5, 6, 7, 0)
    assert rules.trend(values, 7).tolist() == [[0, 1, 1, 1, 1, 1, 1, 1, 0]]


def test_trend_may_cross_the_mean_and_decreasing_trends_are_negative():
    values = _row(9, 8, 7, 6, 5, 4, 3)
    assert rules.trend(values, 7).tolist() == [[-1] * 7]


def test_trend_is_broken_by_a_tie():
    values = _row(1, 2, 3, 3, 4, 5, 6, 7)
    assert not rules.trend(values, 7).any()


def test_six_point_trend_only_with_length_six():
    values = _row(1, 2, 3, 4, 5, 6)
    assert not rules.trend(values, 7).any()
    assert rules.trend(values, 6).tolist() == [[1] * 6]


def test_point_ending_one_trend_and_starting_another_takes_the_first():
    values = _row(1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1)
    flags = rules.trend(values, 7)[0].tolist()
    assert flags == [1] * 7 + [-1] * 6


def test_trend_on_one_or_no_points():
    assert rules.trend(_row(3), 7).tolist() == [[0]]
    assert rules.trend(np.zeros((1, 0)), 7).shape == (1, 0)


def _band(n, *, centre=0.0, sigma=1.0):
    full = np.full((1, n), 1.0)
    return dict(
        centre=full * centre,
        lower=full * (centre - 3 * sigma),
        upper=full * (centre + 3 * sigma),
        lower_2sigma=full * (centre - 2 * sigma),
        upper_2sigma=full * (centre + 2 * sigma),
    )


def test_two_in_three_flags_only_the_close_points():
    values = _row(0, 2.5, 1, 2.5, 0)
    assert rules.two_in_three(values, **_band(5)).tolist() == [[0, 1, 0, 1, 0]]


def test_two_in_three_needs_all_three_points_on_the_same_side():
    values = _row(2.5, -1, 2.5)
    assert not rules.two_in_three(values, **_band(3)).any()


def test_two_in_three_below():
    values = _row(-2.5, -2.6, -0.5)
    assert rules.two_in_three(values, **_band(3)).tolist() == [[-1, -1, 0]]


def test_two_in_three_ignores_points_outside_the_limits_unless_asked():
    values = _row(2.5, 3.5, 1)
    assert not rules.two_in_three(values, **_band(3)).any()
    flagged = rules.two_in_three(values, **_band(3), counts_outside=True)
    assert flagged.tolist() == [[1, 1, 0]]


def test_two_in_three_with_no_limits_flags_nothing():
    values = _row(1, 2, 3)
    missing = np.full(values.shape, np.nan)
    band = dict(centre=np.zeros(values.shape), lower=missing, upper=missing)
    assert not rules.two_in_three(values, **band, lower_2sigma=missing, upper_2sigma=missing).any()


def test_two_in_three_on_two_points():
    assert rules.two_in_three(_row(2.5, 2.5), **_band(2)).tolist() == [[0, 0]]


def test_outside_limits_is_strict():
    values = _row(3.0, 3.01, -3.0, -3.01)
    assert rules.outside_limits(values, np.full((1, 4), -3.0), np.full((1, 4), 3.0)).tolist() == [
        [0, 1, 0, -1]
    ]


@pytest.mark.parametrize("length", [6, 7, 8])
def test_rules_are_independent_per_series(length):
    values = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 7, 6, 5, 4, 3, 2]], dtype=float)
    both = rules.trend(values, length)
    assert both[0].tolist() == rules.trend(values[:1], length)[0].tolist()
    assert both[1].tolist() == rules.trend(values[1:], length)[0].tolist()
