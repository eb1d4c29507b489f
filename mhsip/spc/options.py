"""Chart types, improvement directions and the validated options of an SPC calculation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from mhsip.spc.constants import (
    DEFAULT_SHIFT_LENGTH,
    DEFAULT_TREND_LENGTH,
    MIN_FIX_AFTER,
)


class ChartType(StrEnum):
    """The charts mhsip draws; names follow qicharts2 (`pp` is Laney's p', `up` Laney's u')."""

    XMR = "xmr"
    RUN = "run"
    MR = "mr"
    P = "p"
    PP = "pp"
    U = "u"
    UP = "up"
    C = "c"
    T = "t"
    G = "g"

    @property
    def needs_denominator(self) -> bool:
        return self in {ChartType.P, ChartType.PP, ChartType.U, ChartType.UP}

    @property
    def accepts_denominator(self) -> bool:
        """xmr, mr and run chart value / denominator x multiplier when a denominator is given."""
        return self.needs_denominator or self in {ChartType.XMR, ChartType.MR, ChartType.RUN}

    @property
    def min_points(self) -> int:
        """Fewest points with a value a phase needs for its centre line and limits to exist."""
        uses_moving_ranges = {ChartType.XMR, ChartType.MR, ChartType.T, ChartType.PP, ChartType.UP}
        return 2 if self in uses_moving_ranges else 1


class ImprovementDirection(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"

    @property
    def sign(self) -> int:
        return {"increase": 1, "decrease": -1, "neutral": 0}[self.value]


@dataclass(frozen=True, kw_only=True)
class SpcOptions:
    """Everything that changes how a chart is calculated, checked when it is made.

    Defaults reproduce NHSRplotthedots 0.2.2 (XmR) and qicharts2 0.8.1 (other charts).
    """

    improvement: ImprovementDirection = ImprovementDirection.INCREASE
    #: A target value, or None. Gives the assurance icon (not with a neutral direction).
    target: float | None = None
    #: Limits from the first N points of each phase, extended over the rest of it.
    fix_after: int | None = None
    #: Drop moving ranges at or above 3.267 x mean MR before the limits (MDC's Excel tool does not).
    screen_outliers: bool = True
    shift_length: int = DEFAULT_SHIFT_LENGTH
    trend_length: int = DEFAULT_TREND_LENGTH
    #: NHS England's November 2023 MDC change: points beyond the 3-sigma limits also count towards
    #: "two of three beyond 2 sigma". NHSRplotthedots 0.2.2 does not count them (the default).
    two_in_three_counts_outside: bool = False
    #: Values (and, with a denominator, value / denominator) are multiplied by this.
    multiplier: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "improvement", ImprovementDirection(self.improvement))
        if self.target is not None and not math.isfinite(self.target):
            raise ValueError(f"target must be a finite number, not {self.target!r}")
        if self.fix_after is not None and self.fix_after < MIN_FIX_AFTER:
            raise ValueError(
                f"fix_after must be at least {MIN_FIX_AFTER} points (the MDC baseline is the "
                f"first 12-20 points), not {self.fix_after}"
            )
        for name in ("shift_length", "trend_length"):
            length = getattr(self, name)
            if not 3 <= length <= 15:
                raise ValueError(f"{name} must be between 3 and 15 points, not {length}")
        if not (math.isfinite(self.multiplier) and self.multiplier > 0):
            raise ValueError(f"multiplier must be a positive number, not {self.multiplier!r}")
