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


def run_lengths(signs: np.ndarray) -> np.ndarray:
    """Length of the run of equal non-zero signs that each element belongs to (0 for a zero).

    >>> run_lengths(np.array([[1, 1, -1, 0, -1, -1, -1]])).tolist()
    [[2, 2, 1, 0, 3, 3, 3]]
    """
    rows, width = signs.shape
    if width == 0:
        return np.zeros(signs.shape, dtype=np.int64)
    # Positions fit in 32 bits; half the memory traffic of int64 on 100,000-series matrices.
    position = np.arange(width, dtype=np.int32)
    starts = np.ones(signs.shape, dtype=bool)
    starts[:, 1:] = signs[:, 1:] != signs[:, :-1]
    ends = np.ones(signs.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    start = np.maximum.accumulate(np.where(starts, position, np.int32(0)), axis=1)
    end = np.minimum.accumulate(np.where(ends, position, np.int32(width))[:, ::-1], axis=1)
    length = end[:, ::-1] - start + 1
    length[signs == 0] = 0
    return length


def outside_limits(values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """A point strictly above the upper or below the lower 3-sigma limit."""
    return np.greater(values, upper).view(np.int8) - np.less(values, lower).view(np.int8)


def shift(values: np.ndarray, centre: np.ndarray, length: int) -> np.ndarray:
    """`length` or more consecutive points on the same side of the centre line, every one flagged.

    A point exactly on the centre line breaks the run.
    """
    side = side_of_centre(values, centre)
    return np.where(run_lengths(side) >= length, side, 0).astype(np.int8)


def trend(values: np.ndarray, length: int) -> np.ndarray:
    """`length` or more points each higher (or each lower) than the one before, every one flagged.

    A tie breaks the trend. A point that ends one trend and starts another in the opposite
    direction takes the direction of the trend it ends.
    """
    flags = np.zeros(values.shape, dtype=np.int8)
    if values.shape[1] < 2:
        return flags
    steps = _sign(values[:, 1:], values[:, :-1])
    in_trend = np.where(run_lengths(steps) >= length - 1, steps, 0).astype(np.int8)
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
