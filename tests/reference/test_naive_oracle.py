"""The vectorised engine against the naive, loop-by-loop reimplementation in naive_spc.py."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsip.spc import spc_chart
from tests.reference import naive_spc

CODES = {
    "common_cause": 0,
    "special_cause_improvement": 1,
    "special_cause_concern": 2,
    "special_cause_neutral_high": 3,
    "special_cause_neutral_low": 4,
}

# Small integers make ties, points on the centre line and repeated values common: the edge
# cases of every rule.
series = st.lists(st.integers(0, 12).map(float), min_size=3, max_size=40)
directions = st.sampled_from(["increase", "decrease", "neutral"])


def _check(result, ys, lines, improvement):
    got = result.to_dict()["points"]
    expected_types = naive_spc.point_types(ys, lines, improvement)
    assert [p["point_type"] for p in got] == expected_types
    outside, shift, trend, two = naive_spc.rule_flags(ys, lines)
    assert result.outside_limits[0].tolist() == outside
    assert result.shift[0].tolist() == shift
    assert result.trend[0].tolist() == trend
    assert result.two_in_three[0].tolist() == two
    runs = naive_spc.runs(ys, lines[0][0])
    phase = result.phases[0].runs
    if runs is None:
        assert phase.useful_points[0] == 0
    else:
        assert phase.longest_run[0] == runs["longest"]
        assert phase.longest_run_max[0] == runs["longest_max"]
        assert phase.crossings[0] == runs["crossings"]
        assert phase.crossings_min[0] == runs["crossings_min"]


@settings(max_examples=300, deadline=None)
@given(ys=series, improvement=directions)
def test_xmr_matches_naive(ys, improvement):
    lines = naive_spc.xmr_lines(ys)
    result = spc_chart(ys, chart="xmr", options=_options(improvement))
    expected = np.array([[np.nan if v is None else v for v in line] for line in lines])
    np.testing.assert_allclose(result.centre[0], expected[:, 0])
    np.testing.assert_allclose(result.lower[0], expected[:, 1], equal_nan=True)
    np.testing.assert_allclose(result.upper_2sigma[0], expected[:, 4], equal_nan=True)
    if np.isnan(expected[0, 1]):
        lines = [(line[0], None, None, None, None) for line in lines]
    _check(result, ys, lines, improvement)


@settings(max_examples=200, deadline=None)
@given(ys=series, improvement=directions)
def test_run_chart_matches_naive(ys, improvement):
    lines = naive_spc.run_lines(ys)
    result = spc_chart(ys, chart="run", options=_options(improvement))
    np.testing.assert_allclose(result.centre[0], [line[0] for line in lines])
    _check(result, ys, lines, improvement)


@settings(max_examples=200, deadline=None)
@given(ys=series.filter(lambda ys: sum(ys) > 0), improvement=directions)
def test_c_chart_matches_naive(ys, improvement):
    lines = naive_spc.c_lines(ys)
    result = spc_chart(ys, chart="c", options=_options(improvement))
    np.testing.assert_allclose(result.upper[0], [line[2] for line in lines])
    np.testing.assert_allclose(result.lower_2sigma[0], [line[3] for line in lines])
    _check(result, ys, lines, improvement)


pairs = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 400)), min_size=3, max_size=36
).filter(lambda ps: sum(c for c, _ in ps) > 0)


@settings(max_examples=200, deadline=None)
@given(ps=pairs, improvement=directions)
def test_u_chart_matches_naive(ps, improvement):
    counts = [float(c) for c, _ in ps]
    days = [float(d) for _, d in ps]
    lines = naive_spc.u_lines(counts, days)
    result = spc_chart(counts, denominators=days, chart="u", options=_options(improvement))
    np.testing.assert_allclose(result.lower[0], [line[1] for line in lines], atol=1e-15)
    np.testing.assert_allclose(result.upper[0], [line[2] for line in lines])
    rates = [c / d for c, d in zip(counts, days, strict=True)]
    _check(result, rates, lines, improvement)


@settings(max_examples=200, deadline=None)
@given(ps=pairs.filter(lambda ps: all(c <= d for c, d in ps)), improvement=directions)
def test_p_chart_matches_naive(ps, improvement):
    counts = [float(c) for c, _ in ps]
    totals = [float(d) for _, d in ps]
    lines = naive_spc.p_lines(counts, totals)
    result = spc_chart(counts, denominators=totals, chart="p", options=_options(improvement))
    np.testing.assert_allclose(result.upper[0], [line[2] for line in lines])
    np.testing.assert_allclose(result.lower[0], [line[1] for line in lines], atol=1e-15)
    proportions = [c / d for c, d in zip(counts, totals, strict=True)]
    _check(result, proportions, lines, improvement)


def _options(improvement):
    from mhsip.spc import SpcOptions

    return SpcOptions(improvement=improvement)
