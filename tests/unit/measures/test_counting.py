"""The counting rules on examples worked by hand (../shared/docs/mhsds.md §3-4)."""

from datetime import date

import numpy as np

from mhsip.measures import counting
from mhsip.measures.periods import month_periods, week_periods

NAT = np.datetime64("NaT")
JAN_TO_MAR = month_periods(date(2024, 1, 1), date(2024, 3, 31))


def d(text):
    return np.datetime64(text, "D")


def _bed_days(starts, ends, periods=JAN_TO_MAR):
    return counting.bed_days(
        np.zeros(len(starts), int),
        np.array(starts, "datetime64[D]"),
        np.array(ends, "datetime64[D]"),
        periods,
        1,
    )[0].tolist()


def test_stay_crossing_a_month_end_counts_days_in_each_month():
    # 30 Jan to 3 Feb: nights of 30 and 31 Jan, then 1 and 2 Feb.
    assert _bed_days(["2024-01-30"], ["2024-02-03"]) == [2, 2, 0]


def test_open_stay_counts_to_the_end_of_each_month():
    assert _bed_days(["2024-01-20"], [NAT]) == [12, 29, 31]  # 2024 is a leap year


def test_same_day_stay_gives_no_bed_days():
    assert _bed_days(["2024-02-10"], ["2024-02-10"]) == [0, 0, 0]


def test_stay_before_or_after_the_periods_gives_nothing():
    assert _bed_days(["2023-05-01", "2024-04-02"], ["2023-12-31", NAT]) == [0, 0, 0]


def test_discharge_on_the_first_of_a_month_counts_up_to_it():
    assert _bed_days(["2024-01-15"], ["2024-02-01"]) == [17, 0, 0]


def test_weeks_start_on_monday():
    weeks = week_periods(date(2024, 1, 3), date(2024, 1, 16))
    assert weeks.labels == ["2024-01-01", "2024-01-08", "2024-01-15"]
    assert _bed_days(["2024-01-06"], ["2024-01-09"], weeks) == [2, 1, 0]


def test_intervention_spanning_a_month_end_counts_in_both_months():
    starts = np.array(["2024-01-31"], "datetime64[D]")
    ends = np.array(["2024-02-01"], "datetime64[D]")
    assert counting.in_period(starts, ends, JAN_TO_MAR)[0].tolist() == [True, True, False]


def test_open_intervention_counts_in_every_month_from_its_start():
    starts = np.array(["2024-02-20"], "datetime64[D]")
    assert counting.in_period(starts, np.array([NAT]), JAN_TO_MAR)[0].tolist() == [
        False,
        True,
        True,
    ]


def test_distinct_counts_per_group_and_period():
    groups = np.array([0, 0, 0, 1])
    people = np.array([7, 7, 8, 7])
    mask = np.array([[True, False], [True, True], [False, True], [True, True]])
    assert counting.distinct_by_group(groups, people, mask, 2).tolist() == [[1, 2], [1, 1]]


def test_durations_count_in_the_month_they_end():
    starts = np.array(["2024-01-31T23:52", "2024-02-10T10:00", "2024-02-11T10:00"], "datetime64[s]")
    ends = np.array(["2024-02-01T00:14", "2024-02-10T10:10", "2024-02-11T10:40"], "datetime64[s]")
    result = counting.durations_by_group(np.zeros(3, int), starts, ends, JAN_TO_MAR, 1)
    assert result["count"][0].tolist() == [0, 3, 0]
    assert result["mean"][0, 1] == (22 + 10 + 40) / 3
    assert result["median"][0, 1] == 22
    assert result["maximum"][0, 1] == 40
    assert np.isnan(result["mean"][0, 0])


def test_durations_outside_every_period_give_no_values():
    starts = np.array(["2023-05-01T10:00"], "datetime64[s]")
    ends = np.array(["2023-05-01T10:20"], "datetime64[s]")
    result = counting.durations_by_group(np.zeros(1, int), starts, ends, JAN_TO_MAR, 1)
    assert result["count"][0].tolist() == [0, 0, 0]
    assert np.isnan(result["mean"]).all()
