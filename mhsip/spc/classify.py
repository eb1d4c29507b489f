"""Turn rule flags into Making Data Count's point types, variation icon and assurance icon."""

from __future__ import annotations

from enum import IntEnum, StrEnum

import numpy as np

from mhsip.spc.options import ImprovementDirection


class PointType(IntEnum):
    """MDC point types (NHSRplotthedots vocabulary); NONE for a missing or excluded point."""

    NONE = -1
    COMMON_CAUSE = 0
    SPECIAL_CAUSE_IMPROVEMENT = 1
    SPECIAL_CAUSE_CONCERN = 2
    SPECIAL_CAUSE_NEUTRAL_HIGH = 3
    SPECIAL_CAUSE_NEUTRAL_LOW = 4

    @property
    def label(self) -> str | None:
        return None if self is PointType.NONE else self.name.lower()


class Assurance(StrEnum):
    CONSISTENT_PASS = "consistent_pass"
    CONSISTENT_FAIL = "consistent_fail"
    INCONSISTENT = "inconsistent"


def special_cause_direction(*flags_by_precedence: np.ndarray) -> np.ndarray:
    """The direction of the first rule that flags each point (outside > trend > 2-of-3 > shift)."""
    direction = np.zeros(flags_by_precedence[0].shape, dtype=np.int8)
    for flags in flags_by_precedence:
        direction = np.where(direction == 0, flags, direction)
    return direction


def point_types(
    direction: np.ndarray, judged: np.ndarray, improvement: ImprovementDirection
) -> np.ndarray:
    """Point type codes (S, T) from the special-cause direction and which points were judged."""
    types = np.full(direction.shape, PointType.COMMON_CAUSE, dtype=np.int8)
    if improvement is ImprovementDirection.NEUTRAL:
        types[direction > 0] = PointType.SPECIAL_CAUSE_NEUTRAL_HIGH
        types[direction < 0] = PointType.SPECIAL_CAUSE_NEUTRAL_LOW
    else:
        good = direction * improvement.sign
        types[good > 0] = PointType.SPECIAL_CAUSE_IMPROVEMENT
        types[good < 0] = PointType.SPECIAL_CAUSE_CONCERN
    types[~judged] = PointType.NONE
    return types


def last_judged_index(judged: np.ndarray) -> np.ndarray:
    """Column of each series' last judged point, or -1 where none was judged."""
    width = judged.shape[1]
    reversed_first = np.argmax(judged[:, ::-1], axis=1)
    return np.where(judged.any(axis=1), width - 1 - reversed_first, -1)


def variation(types: np.ndarray, judged: np.ndarray) -> np.ndarray:
    """The variation icon: the point type of each series' last judged point (as MDC does)."""
    last = last_judged_index(judged)
    picked = np.take_along_axis(types, np.maximum(last, 0)[:, None], axis=1)[:, 0]
    return np.where(last >= 0, picked, PointType.NONE).astype(np.int8)


def assurance(
    target: np.ndarray | float | None,
    lower: np.ndarray,
    upper: np.ndarray,
    improvement: ImprovementDirection,
) -> np.ndarray:
    """Assurance per series (object array of `Assurance` or None) from where the target sits
    against the last point's limits, compared strictly.

    `lower` and `upper` are (S,). No assurance without a target or with a neutral direction; where
    the limits do not exist the answer is `inconsistent`, as NHSRplotthedots' case_when falls
    through (`R/ptd_calculate_assurance_type.R`).
    """
    result = np.full(lower.shape, None, dtype=object)
    if target is None or improvement is ImprovementDirection.NEUTRAL:
        return result
    target = np.broadcast_to(np.asarray(target, dtype=float), lower.shape)
    increasing = improvement is ImprovementDirection.INCREASE
    when_above, when_below = (
        (Assurance.CONSISTENT_FAIL, Assurance.CONSISTENT_PASS)
        if increasing
        else (Assurance.CONSISTENT_PASS, Assurance.CONSISTENT_FAIL)
    )
    with np.errstate(invalid="ignore"):
        above = target > upper
        below = target < lower
    result[:] = Assurance.INCONSISTENT
    result[above] = when_above
    result[below & ~above] = when_below
    result[np.isnan(target)] = None
    return result
