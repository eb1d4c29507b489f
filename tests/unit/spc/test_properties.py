"""Properties every chart must keep, whatever the data (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsip.spc import SpcOptions, spc_chart

LINES = ("centre", "lower", "upper", "lower_2sigma", "upper_2sigma")

values = st.lists(
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 2)), min_size=2, max_size=40
)


@settings(max_examples=150, deadline=None)
@given(ys=values, offset=st.floats(-1e3, 1e3).map(lambda v: round(v, 1)))
def test_shifting_the_data_shifts_the_lines_and_keeps_the_point_types(ys, offset):
    for chart in ("xmr", "run"):
        base = spc_chart(ys, chart=chart)
        moved = spc_chart([y + offset for y in ys], chart=chart)
        for line in LINES:
            np.testing.assert_allclose(
                getattr(moved, line), getattr(base, line) + offset, atol=1e-6, equal_nan=True
            )


@settings(max_examples=150, deadline=None)
@given(ys=values, scale=st.sampled_from([0.5, 2.0, 10.0, 1000.0]))
def test_scaling_the_data_scales_the_lines(ys, scale):
    base = spc_chart(ys, chart="xmr")
    scaled = spc_chart([y * scale for y in ys], chart="xmr")
    for line in LINES:
        np.testing.assert_allclose(
            getattr(scaled, line),
            getattr(base, line) * scale,
            rtol=1e-9,
            atol=1e-9,
            equal_nan=True,
        )
    assert (scaled.point_type == base.point_type).all()


def _runs(flags):
    """Lengths of maximal runs of non-zero flags of one sign."""
    lengths, current, sign = [], 0, 0
    for f in [*flags, 0]:
        if f != 0 and f == sign:
            current += 1
        else:
            if current:
                lengths.append(current)
            current, sign = (1, f) if f != 0 else (0, 0)
    return lengths


@settings(max_examples=200, deadline=None)
@given(
    ys=st.lists(st.integers(0, 6).map(float), min_size=1, max_size=50),
    shift_length=st.sampled_from([6, 7, 8]),
    trend_length=st.sampled_from([6, 7]),
)
def test_flags_never_cover_fewer_points_than_the_rule_needs(ys, shift_length, trend_length):
    options = SpcOptions(shift_length=shift_length, trend_length=trend_length)
    result = spc_chart(ys, options=options)
    assert all(n >= shift_length for n in _runs(result.shift[0].tolist()))
    trend_flags = result.trend[0].tolist()
    # A point between a rising and a falling trend carries one direction, so a run may be one
    # short on the second side; the two together still cover both trends.
    assert all(n >= trend_length - 1 for n in _runs(trend_flags))
    assert not any(trend_flags) or sum(1 for f in trend_flags if f) >= trend_length
    two = result.two_in_three[0]
    assert np.count_nonzero(two) != 1


@settings(max_examples=100, deadline=None)
@given(first=values, second=values, chart=st.sampled_from(["xmr", "run", "mr"]))
def test_phases_are_independent(first, second, chart):
    both = spc_chart(first + second, chart=chart, rebase=[len(first)])
    one = spc_chart(first, chart=chart)
    two = spc_chart(second, chart=chart)
    for name in (*LINES, "shift", "trend", "two_in_three", "outside_limits", "point_type"):
        joined = np.concatenate([getattr(one, name), getattr(two, name)], axis=1)
        np.testing.assert_array_equal(getattr(both, name), joined)


@settings(max_examples=100, deadline=None)
@given(
    counts=st.lists(st.integers(0, 40), min_size=3, max_size=30),
    grow=st.sampled_from([4.0, 100.0]),
)
def test_u_limits_narrow_as_denominators_grow(counts, grow):
    days = [100.0] * len(counts)
    small = spc_chart(counts, denominators=days, chart="u")
    large = spc_chart([c * grow for c in counts], denominators=[d * grow for d in days], chart="u")
    np.testing.assert_allclose(large.centre, small.centre)
    assert (large.upper - large.centre <= small.upper - small.centre + 1e-12).all()
