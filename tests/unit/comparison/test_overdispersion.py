import numpy as np
import pytest

from mhsip.comparison import between_unit_variance, dispersion_ratio, winsorise


def test_winsorise_pulls_the_extremes_in_to_the_10th_and_90th_percentiles():
    # Five z-scores: the 10th percentile is -3 + 0.4 x 2 = -2.2 and the 90th 1 + 0.6 x 4 = 3.4
    # (linear interpolation between order statistics, R's type 7).
    z = np.array([-3.0, -1.0, 0.0, 1.0, 5.0])
    assert winsorise(z).tolist() == pytest.approx([-2.2, -1.0, 0.0, 1.0, 3.4])


def test_dispersion_ratio_is_the_mean_winsorised_square():
    z = np.array([-3.0, -1.0, 0.0, 1.0, 5.0])
    # (2.2^2 + 1 + 0 + 1 + 3.4^2) / 5 = 18.4 / 5
    assert dispersion_ratio(z) == pytest.approx(3.68)


def test_between_unit_variance_by_hand():
    # I = 5, phi = 3.68: I phi - (I - 1) = 14.4. Equal variances 1: sum w - sum w^2 / sum w = 4.
    assert between_unit_variance(3.68, np.ones(5)) == pytest.approx(3.6)
    # w = 2, 1, 0.5, 0.25, 4: 7.75 - 21.3125 / 7.75 = 5.
    variances = np.array([0.5, 1, 2, 4, 0.25])
    assert between_unit_variance(3.68, variances) == pytest.approx(2.88)


def test_no_between_unit_variance_when_units_vary_no_more_than_chance():
    assert between_unit_variance(0.8, np.ones(10)) == 0
    assert between_unit_variance(0.9, np.ones(10)) == 0  # 10 x 0.9 = 9 = I - 1
