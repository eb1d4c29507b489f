"""Reporting periods: calendar months (the default, as MHSDS) or weeks starting on Monday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np


class PeriodKind(StrEnum):
    MONTH = "month"
    WEEK = "week"


@dataclass(frozen=True)
class Periods:
    """Consecutive periods: `starts[i]` is the first day, `stops[i]` the day after the last."""

    kind: PeriodKind
    starts: np.ndarray  # datetime64[D]
    stops: np.ndarray  # datetime64[D]

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def labels(self) -> list[str]:
        """YYYY-MM for months; the Monday's date (YYYY-MM-DD) for weeks."""
        if self.kind is PeriodKind.MONTH:
            return [str(s)[:7] for s in self.starts.astype("datetime64[M]")]
        return [str(s) for s in self.starts]

    @property
    def days(self) -> np.ndarray:
        return (self.stops - self.starts).astype(int)


def month_periods(first: date, last: date) -> Periods:
    """Every calendar month from the one holding `first` to the one holding `last`."""
    months = np.arange(
        np.datetime64(first, "M"), np.datetime64(last, "M") + 1, dtype="datetime64[M]"
    )
    return Periods(
        PeriodKind.MONTH, months.astype("datetime64[D]"), (months + 1).astype("datetime64[D]")
    )


def week_periods(first: date, last: date) -> Periods:
    """Every Monday-to-Sunday week from the one holding `first` to the one holding `last`."""
    first_day = np.datetime64(first, "D")
    # 1970-01-01 was a Thursday: counting days from the Monday before it gives the weekday.
    monday = first_day - ((first_day - np.datetime64("1969-12-29")).astype(int) % 7)
    last_day = np.datetime64(last, "D")
    starts = np.arange(monday, last_day + 1, 7, dtype="datetime64[D]")
    return Periods(PeriodKind.WEEK, starts, starts + 7)


def periods(kind: PeriodKind | str, first: date, last: date) -> Periods:
    return (
        month_periods(first, last)
        if PeriodKind(kind) is PeriodKind.MONTH
        else week_periods(first, last)
    )
