"""NHS Digital's counting rules for restrictive interventions, vectorised over many records.

mhsip counts its own records as if each period had been submitted to MHSDS at its end
(../shared/docs/mhsds.md): a stay or intervention still going on at the end of a period is sent
open, so

- **bed days** of a stay in a period: from the later of its start date and the period's first
  day to the earlier of its end date and the day after the period (dates only, so a same-day
  stay gives 0); every stay in the period's file counts once;
- an **intervention counts** in every period it overlaps: it started or ended in the period, or
  was still open at its end. One spanning a month end counts in both months, as nationally;
- **people in hospital**: distinct patients with a stay in the period's file, including those
  discharged and same-day stays;
- the unit of "restrictive interventions" is the distinct (incident, type) pair (MHS77).

Inputs are arrays of dates (`datetime64[D]`, NaT for "still open") and integer codes; outputs
are (groups x periods) matrices. Nothing loops over records in Python.
"""

from __future__ import annotations

import numpy as np

from mhsip.measures.periods import Periods

_OPEN = np.datetime64("9999-12-31")


def _open_ended(ends: np.ndarray) -> np.ndarray:
    ends = np.asarray(ends, dtype="datetime64[D]")
    return np.where(np.isnat(ends), _OPEN, ends)


def in_period(starts: np.ndarray, ends: np.ndarray, periods: Periods) -> np.ndarray:
    """(N, P) bool: the interval [start, end] (end NaT = open) touches period p.

    An interval that started on or before the period's last day and had not ended before its
    first day is in the period's file.
    """
    starts = np.asarray(starts, dtype="datetime64[D]")[:, None]
    ends = _open_ended(ends)[:, None]
    return (starts < periods.stops[None, :]) & (ends >= periods.starts[None, :])


def bed_days(
    groups: np.ndarray, starts: np.ndarray, ends: np.ndarray, periods: Periods, n_groups: int
) -> np.ndarray:
    """(G, P) occupied bed days from stays (group = the ward's index)."""
    starts = np.asarray(starts, dtype="datetime64[D]")[:, None]
    ends = _open_ended(ends)[:, None]
    first = np.maximum(starts, periods.starts[None, :])
    last = np.minimum(ends, periods.stops[None, :])
    days = np.clip((last - first).astype(np.int64), 0, None)
    return sum_by_group(groups, days, n_groups)


def sum_by_group(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """(G, P) sums of the rows of `values` (N, P) by each row's group."""
    totals = np.zeros((n_groups, values.shape[1]), dtype=values.dtype)
    np.add.at(totals, np.asarray(groups, dtype=np.intp), values)
    return totals


def distinct_by_group(
    groups: np.ndarray, keys: np.ndarray, mask: np.ndarray, n_groups: int
) -> np.ndarray:
    """(G, P) count of distinct `keys` per group among the rows `mask` marks in each period.

    Used for people (distinct patients) and for distinct incidents and (incident, type) pairs.
    """
    groups = np.asarray(groups, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    rows, cols = np.nonzero(mask)
    if len(rows) == 0:
        return np.zeros((n_groups, mask.shape[1]), dtype=np.int64)
    # One number per (group, period, key); unique ones are the distinct keys.
    n_keys = int(keys.max()) + 1
    combined = (groups[rows] * mask.shape[1] + cols) * n_keys + keys[rows]
    unique = np.unique(combined)
    cell = unique // n_keys
    counts = np.bincount(cell, minlength=n_groups * mask.shape[1])
    return counts.reshape(n_groups, mask.shape[1])


def durations_by_group(
    groups: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    periods: Periods,
    n_groups: int,
    unit_seconds: float = 60.0,
) -> dict[str, np.ndarray]:
    """Mean, median and maximum duration per group and period, in `unit_seconds` units.

    As NHS Digital's MHS98/MHS99, only "complete" interventions count: both times known and the
    end inside the period (so each is counted once, in the period it ended).
    `starts`/`ends` are datetime64 with time of day.
    """
    starts = np.asarray(starts, dtype="datetime64[s]")
    ends = np.asarray(ends, dtype="datetime64[s]")
    known = ~(np.isnat(starts) | np.isnat(ends))
    shape = (n_groups, len(periods))
    result = {name: np.full(shape, np.nan) for name in ("mean", "median", "maximum")}
    result["count"] = np.zeros(shape, dtype=np.int64)
    if not known.any():
        return result
    groups = np.asarray(groups, dtype=np.int64)[known]
    starts, ends = starts[known], ends[known]
    length = (ends - starts).astype(np.int64) / unit_seconds
    period = np.searchsorted(periods.stops, ends.astype("datetime64[D]"), side="right")
    inside = (period < len(periods)) & (ends.astype("datetime64[D]") >= periods.starts[0])
    cell = groups[inside] * len(periods) + period[inside]
    length = length[inside]
    if len(cell) == 0:
        return result
    order = np.lexsort((length, cell))
    cell, length = cell[order], length[order]
    boundaries = np.flatnonzero(np.diff(cell)) + 1
    first = np.concatenate([[0], boundaries])
    last = np.concatenate([boundaries, [len(cell)]]) - 1
    cells = cell[first]
    counts = last - first + 1
    sums = np.add.reduceat(length, first) if len(cell) else np.array([])
    middle_low = first + (counts - 1) // 2
    middle_high = first + counts // 2
    flat = {name: result[name].reshape(-1) for name in ("mean", "median", "maximum", "count")}
    flat["mean"][cells] = sums / counts
    flat["median"][cells] = (length[middle_low] + length[middle_high]) / 2
    flat["maximum"][cells] = length[last]
    flat["count"][cells] = counts
    return result
