import numpy as np

from mhsip.spc import SpcOptions, spc_chart
from mhsip.spc.narrative import describe_chart

MONTHS = [f"{2023 + i // 12}-{i % 12 + 1:02d}-01" for i in range(24)]


def _chart(values, improvement="decrease", **options):
    return spc_chart(
        values,
        dates=MONTHS[: len(values)],
        chart="xmr",
        options=SpcOptions(improvement=improvement, **options),
    ).to_dict()


def test_common_cause_says_no_real_change():
    text = describe_chart(_chart([10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 11, 10]))
    assert text[0].startswith("Common cause variation")
    assert "can be expected to vary between" in text[1]


def test_sustained_fall_is_a_sustained_reduction_and_improvement():
    values = [20, 22, 19, 21, 20, 22, 21, 20, 15, 14, 15, 14, 15, 14, 15]
    text = describe_chart(_chart(values), noun="rate")
    assert any(
        "points below the centre line since" in s and "sustained reduction" in s for s in text
    )


def test_sustained_rise_when_lower_is_better_is_the_wrong_direction():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 14, 15, 14, 15, 14, 15, 14]
    text = describe_chart(_chart(values))
    assert any("wrong direction" in s for s in text)


def test_target_sentence():
    # Lower is better and the target sits below the lower limit: it will not be met.
    chart = _chart([10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 11, 10], target=2)
    assert chart["assurance"] == "consistent_fail"
    assert describe_chart(chart)[-1].startswith("The process will not meet the target of 2.0")


def test_no_data():
    chart = spc_chart([np.nan, np.nan], chart="xmr").to_dict()
    assert describe_chart(chart) == ["There is no data to chart yet."]
