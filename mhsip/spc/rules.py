"""Making Data Count's special-cause rules, one function per rule, vectorised over series.

Every function takes (S, m) arrays for one phase, with missing points as NaN, and returns an int8
array of the same shape: +1 where a point belongs to a pattern that is high or increasing, -1
where it is low or decreasing, 0 elsewhere. A missing point belongs to no pattern and breaks runs,
trends and windows (see docs/statistics/deviations.md). Definitions: NHSRplotthedots 0.2.2
`R/ptd_calculate_point_type.R` and ../shared/docs/spc.md.
"""

from __future__ import annotations

import numpy as np


def _sign(difference_above: np.ndarray, difference_below: np.ndarray) -> np.ndarray:
    # Comparisons are False for NaN, so a missing value gets 0 without a separate pass.
    above = np.greater(difference_above, difference_below).view(np.int8)
    return above - np.less(difference_above, difference_below).view(np.int8)


def side_of_centre(values: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """+1 above the centre line, -1 below, 0 on it or missing."""
    return _sign(values, centre)


def in_long_run(mask: np.ndarray, length: int) -> np.ndarray:
    """Where `mask` is true for `length` or more consecutive columns, every column of that run.

    A point is in such a run when some window of `length` columns that holds it is all true:
    window sums come from one cumulative sum, and "some window holds it" from a second, so the
    cost is a few passes over small integers whatever the data.

    >>> in_long_run(np.array([[1, 1, 1, 0, 1, 1]], dtype=bool), 3).astype(int).tolist()
    [[1, 1, 1, 0, 0, 0]]
    """
    rows, width = mask.shape
    covered = np.zeros(mask.shape, dtype=bool)
    if width < length:
        return covered
    totals = np.zeros((rows, width + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=totals[:, 1:])
    full = (totals[:, length:] - totals[:, :-length]) == length  # window starting at each column
    starts = np.zeros((rows, full.shape[1] + 1), dtype=np.int32)
    np.cumsum(full, axis=1, out=starts[:, 1:])
    column = np.arange(width)
    last_start = np.minimum(column, full.shape[1] - 1) + 1
    first_start = np.maximum(column - length + 1, 0)
    return (starts[:, last_start] - starts[:, first_start]) > 0


def outside_limits(values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """A point strictly above the upper or below the lower 3-sigma limit."""
    return np.greater(values, upper).view(np.int8) - np.less(values, lower).view(np.int8)


def shift(values: np.ndarray, centre: np.ndarray, length: int) -> np.ndarray:
    """`length` or more consecutive points on the same side of the centre line, every one flagged.

    A point exactly on the centre line breaks the run.
    """
    side = side_of_centre(values, centre)
    above = in_long_run(side > 0, length)
    below = in_long_run(side < 0, length)
    return above.view(np.int8) - below.view(np.int8)


def trend(values: np.ndarray, length: int) -> np.ndarray:
    """`length` or more points each higher (or each lower) than the one before, every one flagged.

    A tie breaks the trend. A point that ends one trend and starts another in the opposite
    direction takes the direction of the trend it ends.
    """
    flags = np.zeros(values.shape, dtype=np.int8)
    if values.shape[1] < 2:
        return flags
    steps = _sign(values[:, 1:], values[:, :-1])
    rising = in_long_run(steps > 0, length - 1)
    falling = in_long_run(steps < 0, length - 1)
    in_trend = rising.view(np.int8) - falling.view(np.int8)
    # A step joins point i to point i + 1: both points belong to a trend the step is part of.
    flags[:, 1:] = in_trend
    starting = flags[:, :-1] == 0
    flags[:, :-1] = np.where(starting, in_trend, flags[:, :-1])
    return flags


def two_in_three(
    values: np.ndarray,
    centre: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    lower_2sigma: np.ndarray,
    upper_2sigma: np.ndarray,
    *,
    counts_outside: bool = False,
) -> np.ndarray:
    """Two of three consecutive points beyond the same 2-sigma line, all three on that side.

    Only the points beyond the 2-sigma line are flagged. Points beyond the 3-sigma limits do not
    count unless `counts_outside` (NHS England's November 2023 MDC change).
    """
    close = (values > upper_2sigma) | (values < lower_2sigma)
    if not counts_outside:
        close &= ~((values > upper) | (values < lower))
    side = side_of_centre(values, centre)
    flags = np.zeros(values.shape, dtype=np.int8)
    if values.shape[1] < 3:
        return flags
    window_close = close[:, :-2].astype(np.int8) + close[:, 1:-1] + close[:, 2:]
    same_side = (
        (side[:, :-2] == side[:, 1:-1]) & (side[:, 1:-1] == side[:, 2:]) & (side[:, 2:] != 0)
    )
    window = (window_close >= 2) & same_side
    in_window = np.zeros(values.shape, dtype=bool)
    for offset in range(3):
        in_window[:, offset : offset + window.shape[1]] |= window
    return np.where(close & in_window, side, 0).astype(np.int8)
