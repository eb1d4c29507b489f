import numpy as np

from mhsip.equity import suppress_count, suppress_rate


def test_counts_below_five_are_hidden_and_others_rounded_to_five():
    shown = suppress_count([0, 4, 5, 7, 12.5, 13, 101])
    assert np.isnan(shown[:2]).all()
    assert shown[2:].tolist() == [5, 5, 15, 15, 100]


def test_rates_need_five_events_and_a_hundred_bed_days():
    shown = suppress_rate(
        [12.4, 30.6, 8.5, 9.49], counts=[4, 10, 10, 10], bed_days=[500, 99, 500, 500]
    )
    assert np.isnan(shown[0]) and np.isnan(shown[1])
    assert shown[2:].tolist() == [9, 9]
