"""Is the gap closing? The change in a rate ratio between two periods, with its interval.

Given a group's and the reference group's events and exposure in an earlier and a later period,
the ratio of the later rate ratio to the earlier one, RR_later / RR_earlier, with the 95%
interval on the log scale: log(RR_later / RR_earlier) ± z √(1/a₁ + 1/b₁ + 1/a₂ + 1/b₂), where
a and b are the group's and the reference's events (Altman DG, Bland JM. Interaction revisited:
the difference between two estimates. BMJ 2003;326:219). Below 1 the gap narrowed (for a group
with a higher rate than the reference), above 1 it widened; as everywhere in mhsip, a change is
called real only when its whole interval lies on one side of 1.

Pure numpy and scipy: no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from mhsip.equity.wording import format_ratio


@dataclass(frozen=True)
class GapChange:
    earlier: float  # the rate ratio in the earlier period
    later: float  # ... and in the later one
    change: float  # later / earlier
    lower: float
    upper: float

    @property
    def real(self) -> bool:
        return self.lower > 1 or self.upper < 1


def gap_change(
    earlier: tuple[float, float, float, float],
    later: tuple[float, float, float, float],
    *,
    level: float = 0.95,
) -> GapChange | None:
    """`earlier` and `later` are (group events, group exposure, reference events, reference
    exposure). None when any of the four counts is 0 (the log interval needs events on every
    side) or any exposure is not above 0.

    >>> change = gap_change((60, 1000, 100, 5000), (30, 1000, 100, 5000))
    >>> round(change.earlier, 2), round(change.later, 2), round(change.change, 2)
    (3.0, 1.5, 0.5)
    """
    a1, e1, b1, f1 = (float(v) for v in earlier)
    a2, e2, b2, f2 = (float(v) for v in later)
    if min(a1, b1, a2, b2) <= 0 or min(e1, f1, e2, f2) <= 0:
        return None
    before = (a1 / e1) / (b1 / f1)
    after = (a2 / e2) / (b2 / f2)
    change = after / before
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    spread = z * math.sqrt(1 / a1 + 1 / b1 + 1 / a2 + 1 / b2)
    return GapChange(before, after, change, change * math.exp(-spread), change * math.exp(spread))


def gap_reading(change: GapChange, *, group: str, reference: str, level: float = 0.95) -> str:
    """One sentence on whether the group's gap from the reference changed.

    >>> gap_reading(GapChange(3.0, 1.5, 0.5, 0.3, 0.83), group="Black", reference="White")
    'Black: 3.00 times the rate of White at first, 1.50 times later; the ratio changed 0.50-fold (95% CI 0.30 to 0.83): a real change, closer to White than chance alone would explain.'
    """
    percent = f"{level * 100:g}%"
    text = (
        f"{group}: {format_ratio(change.earlier)} times the rate of {reference} at first, "
        f"{format_ratio(change.later)} times later; the ratio changed "
        f"{format_ratio(change.change)}-fold "
        f"({percent} CI {format_ratio(change.lower)} to {format_ratio(change.upper)}): "
    )
    if not change.real:
        return text + "the interval includes no change, so this could be chance."
    # Closer means the later ratio is nearer 1 on the log scale than the earlier one.
    closer = abs(math.log(change.later)) < abs(math.log(change.earlier))
    direction = "closer to" if closer else "further from"
    return text + f"a real change, {direction} {reference} than chance alone would explain."
