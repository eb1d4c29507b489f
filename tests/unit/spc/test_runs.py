import numpy as np
import pytest

from mhsip.spc.runs import crossings_min, longest_run_max, runs_analysis


@pytest.mark.parametrize(
    ("n", "longest", "crossings"),
    # round(log2(n)) + 3 and the exact 5% quantile of Binomial(n - 1, 0.5), worked by hand.
    [(10, 6, 2), (12, 7, 3), (14, 7, 4), (20, 7, 6), (24, 8, 8), (30, 8, 10), (60, 9, 23)],
)
def test_critical_values_match_anhoej_table(n, longest, crossings):
    assert longest_run_max(np.array([n]))[0] == longest
    assert crossings_min(np.array([n]))[0] == crossings


def test_longest_run_and_crossings_of_a_simple_sequence():
    sides = np.array([[1, 1, 1, -1, -1, 1, 0, 1, -1]], dtype=np.int8)
    runs = runs_analysis(sides)
    assert runs.useful_points[0] == 8
    assert runs.longest_run[0] == 3  # the 0 (on the centre line) is dropped, joining 1 and 1
    assert runs.crossings[0] == 3


def test_long_run_signals():
    sides = np.array([[1] * 9 + [-1] * 3], dtype=np.int8)
    runs = runs_analysis(sides)
    assert runs.longest_run[0] == 9 and runs.longest_run_max[0] == 7
    assert runs.signal[0]


def test_too_few_crossings_signal():
    sides = np.array([[1] * 6 + [-1] * 6], dtype=np.int8)  # 1 crossing, at least 3 expected
    runs = runs_analysis(sides)
    assert runs.crossings[0] == 1 and runs.crossings_min[0] == 3
    assert runs.signal[0]


def test_no_useful_points_gives_no_limits_and_no_signal():
    runs = runs_analysis(np.zeros((1, 5), dtype=np.int8))
    assert runs.useful_points[0] == 0
    assert np.isnan(runs.longest_run[0]) and np.isnan(runs.crossings_min[0])
    assert not runs.signal[0]


def test_many_series_at_once_equal_one_at_a_time():
    rng = np.random.default_rng(3)
    sides = rng.choice(np.array([-1, 0, 1], dtype=np.int8), size=(50, 30))
    together = runs_analysis(sides)
    for row in range(50):
        alone = runs_analysis(sides[row : row + 1])
        assert together.longest_run[row] == alone.longest_run[0]
        assert together.crossings[row] == alone.crossings[0]
