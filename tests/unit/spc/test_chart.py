"""The pipeline: phases, fixed limits, exclusions, missing data, icons and validation."""

import math

import numpy as np
import pytest

from mhsip.spc import ChartType, PointType, SpcOptions, spc_chart

STEADY = [10, 12, 9, 11, 10, 13, 9, 10, 12, 11, 10, 9, 11, 12, 10]


def test_two_points_give_limits_from_one_moving_range():
    result = spc_chart([3, 5], chart="xmr")
    assert result.upper[0, 0] == pytest.approx(4 + 2.66 * 2)
    assert result.to_dict()["variation"] == "common_cause"


def test_all_equal_values_flag_nothing_and_have_no_useful_points():
    result = spc_chart([7] * 10, chart="xmr")
    assert not result.special_cause.any()
    assert result.phases[0].runs.useful_points[0] == 0
    assert result.to_dict()["phases"][0]["longest_run"] is None


def test_all_zero_counts_on_a_u_chart():
    result = spc_chart([0] * 6, denominators=[100] * 6, chart="u")
    assert result.centre[0].tolist() == [0] * 6
    assert result.upper[0].tolist() == [0] * 6
    assert not result.special_cause.any()


def test_missing_values_are_gaps_left_out_of_every_calculation():
    with_gap = spc_chart([1, 2, np.nan, 3, 4, 5], chart="xmr")
    assert with_gap.to_dict()["points"][2]["point_type"] is None
    assert with_gap.to_dict()["points"][2]["value"] is None
    # Ranges touching the gap are dropped: 1, 1, 1 remain (2->3 is not a range).
    assert with_gap.upper[0, 0] == pytest.approx(3 + 2.66 * 1)


def test_zero_denominator_makes_a_missing_point():
    result = spc_chart([1, 2, 3], denominators=[10, 0, 10], chart="u")
    assert math.isnan(result.values[0, 1])
    assert result.centre[0, 0] == pytest.approx(4 / 20)


def test_xmr_with_denominator_charts_the_ratio_times_the_multiplier():
    result = spc_chart(
        [2, 4, 3],
        denominators=[1000, 2000, 1000],
        chart="xmr",
        options=SpcOptions(multiplier=1000),
    )
    assert result.values[0].tolist() == pytest.approx([2, 2, 3])


def test_rebase_makes_phases_with_their_own_limits():
    after = [v - 5 for v in STEADY]
    both = spc_chart(STEADY + after, chart="xmr", rebase=[len(STEADY)])
    alone = spc_chart(after, chart="xmr")
    np.testing.assert_allclose(both.upper[0, len(STEADY) :], alone.upper[0])
    assert [p.start for p in both.phases] == [0, len(STEADY)]
    assert both.phase.tolist() == [0] * len(STEADY) + [1] * len(after)


def test_rebase_by_date():
    dates = np.arange("2024-01", "2025-03", dtype="datetime64[M]").astype("datetime64[D]")
    result = spc_chart(list(range(14)), dates=dates, rebase=[np.datetime64("2024-07-01")])
    assert result.to_dict()["phases"][1]["start"] == "2024-07-01"


def test_rebase_date_not_in_the_chart_is_an_error():
    dates = np.array(["2024-01-01", "2024-02-01"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="not one of the chart's dates"):
        spc_chart([1, 2], dates=dates, rebase=[np.datetime64("2023-01-01")])


def test_fix_after_extends_the_limits_of_the_first_points():
    values = STEADY[:12] + [30, 31, 32]
    fixed = spc_chart(values, options=SpcOptions(fix_after=12))
    baseline = spc_chart(values[:12])
    assert fixed.upper[0].tolist() == pytest.approx([baseline.upper[0, 0]] * 15)
    assert fixed.to_dict()["points"][-1]["outside_limits"]


def test_fix_after_below_twelve_is_refused():
    with pytest.raises(ValueError, match="at least 12"):
        SpcOptions(fix_after=5)


def test_excluded_points_are_shown_but_not_used():
    values = STEADY[:8] + [100] + STEADY[8:]
    with_exclusion = spc_chart(values, exclude=[8])
    without_point = spc_chart(STEADY)
    assert with_exclusion.upper[0, 0] == pytest.approx(without_point.upper[0, 0])
    point = with_exclusion.to_dict()["points"][8]
    assert point["excluded"] and point["value"] == 100 and point["point_type"] is None
    assert (
        with_exclusion.phases[0].runs.useful_points[0]
        == without_point.phases[0].runs.useful_points[0]
    )


def test_trial_limit_warning_on_short_phases():
    assert spc_chart(STEADY[:12]).phases[0].warnings
    assert not spc_chart(STEADY[:13]).phases[0].warnings


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("decrease", "special_cause_improvement"),
        ("increase", "special_cause_concern"),
        ("neutral", "special_cause_neutral_low"),
    ],
)
def test_variation_is_the_last_points_type(improvement, expected):
    values = STEADY + [0]
    result = spc_chart(values, options=SpcOptions(improvement=improvement))
    assert result.to_dict()["variation"] == expected


def test_variation_skips_a_missing_last_point():
    result = spc_chart(STEADY + [40, np.nan])
    assert result.to_dict()["variation"] == "special_cause_improvement"


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 100, "consistent_fail"),
        ("decrease", 100, "consistent_pass"),
        ("increase", -100, "consistent_pass"),
        ("decrease", -100, "consistent_fail"),
        ("decrease", 11, "inconsistent"),
        ("neutral", 100, None),
    ],
)
def test_assurance_from_target_against_the_last_limits(improvement, target, expected):
    options = SpcOptions(improvement=improvement, target=target)
    assert spc_chart(STEADY, options=options).to_dict()["assurance"] == expected


def test_no_target_no_assurance():
    assert spc_chart(STEADY).to_dict()["assurance"] is None


def test_assurance_uses_the_latest_phase():
    values = STEADY + [v + 100 for v in STEADY]
    options = SpcOptions(improvement="increase", target=50)
    result = spc_chart(values, rebase=[len(STEADY)], options=options)
    assert result.to_dict()["assurance"] == "consistent_pass"


def test_matrix_of_series_equals_each_series_alone():
    rng = np.random.default_rng(7)
    matrix = rng.poisson(8, size=(20, 24)).astype(float)
    together = spc_chart(matrix, chart="c")
    for row in range(20):
        alone = spc_chart(matrix[row], chart="c")
        assert together.to_dict(row) == alone.to_dict()


def test_point_type_codes_round_trip():
    assert PointType(2).label == "special_cause_concern"
    assert PointType.NONE.label is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(values=[1, 2], chart="u"), "needs a denominator"),
        (dict(values=[1, 2], chart="c", denominators=[3, 4]), "takes no denominator"),
        (dict(values=[5, 2], chart="p", denominators=[3, 4]), "cannot exceed"),
        (dict(values=[5, 0], chart="t"), "greater than zero"),
        (dict(values=[-1, 2], chart="c"), "cannot be negative"),
        (dict(values=[1, 2], chart="u", denominators=[3, -4]), "must not be negative"),
        (dict(values=[1, 2], chart="u", denominators=[3]), "same shape"),
        (dict(values=[[[1]]]), "1-D"),
        (dict(values=[1, 2], rebase=[5]), "outside the chart"),
        (dict(values=[1, 2], dates=["a"]), "one entry per point"),
    ],
)
def test_bad_input_is_refused_with_a_reason(kwargs, message):
    values = kwargs.pop("values")
    with pytest.raises(ValueError, match=message):
        spc_chart(values, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [dict(shift_length=2), dict(trend_length=16), dict(multiplier=0), dict(target=math.inf)],
)
def test_bad_options_are_refused(kwargs):
    with pytest.raises(ValueError):
        SpcOptions(**kwargs)


def test_unknown_chart_type():
    with pytest.raises(ValueError):
        spc_chart([1, 2], chart="xbar")


@pytest.mark.parametrize("chart", list(ChartType))
def test_every_chart_type_runs_on_the_same_counts(chart):
    counts = [3, 5, 4, 6, 2, 5, 4, 3, 6, 5, 4, 3]
    denominators = [10] * 12 if chart.needs_denominator else None
    result = spc_chart(counts, chart=chart, denominators=denominators).to_dict()
    assert len(result["points"]) == 12
    assert result["variation"] in {
        "common_cause",
        "special_cause_improvement",
        "special_cause_concern",
    }
