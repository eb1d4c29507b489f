"""The per-group inequality table: each group's rate and its rate ratio against a reference group.

    group_table(groups, events, denominators, reference="White", multiplier=1000) -> GroupTable

For each group: the rate (events / denominator x multiplier) with its exact Poisson interval, and the
rate ratio against the reference group with the exact conditional interval (mhsip.equity.rates), and
a plain-English reading (mhsip.equity.wording). Method: docs/statistics/equity.md.

Suppression: with a rule (NHS Digital's by default), a group with fewer than `smallest_count` (5)
events is *suppressed*: its events, rate and ratio are withheld (None), so they cannot leave the
provider. A group whose events or denominator are unknown (suppressed or blank in the input) is
suppressed too, since nothing can be calculated for it. Pass `rule=None` to show every figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from mhsip.equity.rates import poisson_rate_interval, rate_ratio
from mhsip.equity.suppression import NHS_DIGITAL, SuppressionRule
from mhsip.equity.wording import (
    REFERENCE_READING,
    SUPPRESSED_READING,
    UNKNOWN_READING,
    ratio_reading,
)

#: Per-group fields, in the order of the `mhsip equity` contract.
GROUP_FIELDS = (
    "group",
    "events",
    "denominator",
    "rate",
    "rate_lower",
    "rate_upper",
    "rate_ratio",
    "ratio_lower",
    "ratio_upper",
    "suppressed",
    "reading",
)


class ReferenceGroupError(ValueError):
    """The reference group is missing, unknown or suppressed, so no ratio can be calculated."""


@dataclass(frozen=True)
class GroupRow:
    """One group's figures as they may be shown: None where withheld or not known."""

    group: str
    events: float | int | None
    denominator: float | int | None
    rate: float | None
    rate_lower: float | None
    rate_upper: float | None
    rate_ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    suppressed: bool
    reading: str
    #: Why the row is suppressed: "small" (fewer events than the rule allows), "unknown" (the input
    #: was suppressed or blank) or None. Not part of the command's output.
    because: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row in GROUP_FIELDS order (the `mhsip equity` JSON object)."""
        row = asdict(self)
        return {name: row[name] for name in GROUP_FIELDS}


@dataclass(frozen=True)
class GroupTable:
    reference: str
    multiplier: float
    level: float
    rows: tuple[GroupRow, ...]

    def to_list(self) -> list[dict[str, Any]]:
        return [row.to_dict() for row in self.rows]


def group_table(
    groups: Sequence[str],
    events: Sequence[float | None],
    denominators: Sequence[float | None],
    *,
    reference: str,
    multiplier: float = 1.0,
    level: float = 0.95,
    rule: SuppressionRule | None = NHS_DIGITAL,
) -> GroupTable:
    """Rates and rate ratios against `reference` for each group, in the order given.

    None or NaN marks an unknown value. Raises ReferenceGroupError when the reference group is not
    among the groups, is unknown, is suppressed, or has no events (a ratio against 0 is undefined);
    ValueError for repeated groups, negative events or denominators not above 0.
    """
    names = [str(g) for g in groups]
    y = _array(events)
    e = _array(denominators)
    _check(names, y, e)
    if reference not in names:
        raise ReferenceGroupError(f"there is no group {reference!r}")
    known = ~np.isnan(y) & ~np.isnan(e)
    small = known & (y < rule.smallest_count) if rule is not None else np.zeros_like(known)
    ref = names.index(reference)
    if not known[ref]:
        raise ReferenceGroupError(
            f"the reference group {reference!r} has a suppressed or blank value"
        )
    if small[ref]:
        raise ReferenceGroupError(
            f"the reference group {reference!r} is suppressed (fewer than "
            f"{rule.smallest_count} events)"
        )
    if y[ref] == 0:
        raise ReferenceGroupError(
            f"the reference group {reference!r} has no events, so no ratio can be calculated"
        )

    rate = y / e * multiplier
    rate_lower, rate_upper = poisson_rate_interval(y, e, multiplier=multiplier, level=level)
    ratios = rate_ratio(y, e, y[ref], e[ref], level=level)

    rows = []
    for i, name in enumerate(names):
        if not known[i] or small[i]:
            because = "unknown" if not known[i] else "small"
            reading = (
                UNKNOWN_READING
                if because == "unknown"
                else SUPPRESSED_READING.format(smallest=rule.smallest_count)
            )
            rows.append(
                GroupRow(
                    group=name,
                    events=None if small[i] else _value(y[i]),
                    denominator=_value(e[i]),
                    rate=None,
                    rate_lower=None,
                    rate_upper=None,
                    rate_ratio=None,
                    ratio_lower=None,
                    ratio_upper=None,
                    suppressed=True,
                    reading=reading,
                    because=because,
                )
            )
            continue
        if i == ref:
            ratio, lower, upper = 1.0, None, None
            reading = REFERENCE_READING
        else:
            ratio = float(ratios.ratio[i])
            lower, upper = float(ratios.lower[i]), float(ratios.upper[i])
            reading = ratio_reading(ratio, lower, upper, reference=reference, level=level)
            # JSON has no infinity: an upper limit that does not exist is None.
            upper = None if math.isinf(upper) else upper
        rows.append(
            GroupRow(
                group=name,
                events=_value(y[i]),
                denominator=_value(e[i]),
                rate=float(rate[i]),
                rate_lower=float(rate_lower[i]),
                rate_upper=float(rate_upper[i]),
                rate_ratio=ratio,
                ratio_lower=lower,
                ratio_upper=upper,
                suppressed=False,
                reading=reading,
            )
        )
    return GroupTable(reference=reference, multiplier=multiplier, level=level, rows=tuple(rows))


def _array(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _value(value: float) -> float | int | None:
    """None for NaN, a whole number as an int (55 events, not 55.0), otherwise a float."""
    if np.isnan(value):
        return None
    return int(value) if value == int(value) else float(value)


def _check(names: list[str], y: np.ndarray, e: np.ndarray) -> None:
    if not len(names) == len(y) == len(e):
        raise ValueError("groups, events and denominators must be the same length")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"the group {name!r} appears twice")
        seen.add(name)
    if (y < 0).any():
        raise ValueError(f"the group {names[int(np.argmax(y < 0))]!r} has negative events")
    if (e <= 0).any():
        raise ValueError(
            f"the group {names[int(np.argmax(e <= 0))]!r} has a denominator of 0 or less"
        )
