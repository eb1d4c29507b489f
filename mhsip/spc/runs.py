"""Anhøj's runs analysis: the longest run and the number of crossings of the centre line.

Points on the centre line, missing points and excluded points are not useful and are dropped
first (qicharts2 `runs.analysis`). Signals: longest run > round(log2(n)) + 3 (Schilling 2012) or
crossings < the 5% quantile of Binomial(n - 1, 0.5) (Chen 2010), n the number of useful points.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

from mhsip.spc.constants import RUNS_CROSSINGS_QUANTILE, RUNS_LONGEST_OFFSET
from mhsip.spc.rules import side_of_centre


@dataclass(frozen=True)
class RunsAnalysis:
    """Per series (S,): NaN limits and counts where a phase has no useful points."""

    useful_points: np.ndarray
    longest_run: np.ndarray
    longest_run_max: np.ndarray
    crossings: np.ndarray
    crossings_min: np.ndarray
    signal: np.ndarray


@lru_cache(maxsize=64)
def _crossings_min_table(largest_n: int) -> np.ndarray:
    """qbinom(0.05, n - 1, 0.5) for n = 0 .. largest_n (index n); NaN for n = 0."""
    n = np.arange(largest_n + 1)
    table = stats.binom.ppf(RUNS_CROSSINGS_QUANTILE, np.maximum(n - 1, 0), 0.5)
    table[0] = np.nan
    return table


def longest_run_max(useful_points: np.ndarray) -> np.ndarray:
    n = np.asarray(useful_points, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(n > 0, np.round(np.log2(np.maximum(n, 1))) + RUNS_LONGEST_OFFSET, np.nan)


def crossings_min(useful_points: np.ndarray) -> np.ndarray:
    n = np.asarray(useful_points, dtype=np.int64)
    return _crossings_min_table(int(n.max(initial=0)))[n]


def runs_analysis(sides: np.ndarray) -> RunsAnalysis:
    """`sides` is (S, m) of +1 / -1 for useful points above / below the centre line, 0 otherwise.

    Works on whole matrices: dropping the non-useful points is done by carrying each useful point's
    side forward over them, so runs and crossings can be counted without compressing each row.
    """
    rows, width = sides.shape
    useful = sides != 0
    n_useful = useful.sum(axis=1)
    position = np.arange(width, dtype=np.int32)
    last_above = np.maximum.accumulate(np.where(sides > 0, position, np.int32(-1)), axis=1)
    last_below = np.maximum.accumulate(np.where(sides < 0, position, np.int32(-1)), axis=1)
    # The side of the latest useful point at or before each column; 0 before the first one.
    carried = side_of_centre(last_above, last_below)
    crossings = ((carried[:, 1:] != carried[:, :-1]) & (carried[:, :-1] != 0)).sum(axis=1)

    run_starts = np.ones(sides.shape, dtype=bool)
    run_starts[:, 1:] = carried[:, 1:] != carried[:, :-1]
    useful_so_far = np.cumsum(useful, axis=1, dtype=np.int32)
    before_run = np.maximum.accumulate(
        np.where(run_starts, useful_so_far - useful, np.int32(0)), axis=1
    )
    longest = (useful_so_far - before_run).max(axis=1, initial=0)

    has_points = n_useful > 0
    longest_max = longest_run_max(n_useful)
    min_crossings = crossings_min(n_useful)
    signal = has_points & ((longest > longest_max) | (crossings < min_crossings))
    return RunsAnalysis(
        useful_points=n_useful,
        longest_run=np.where(has_points, longest, np.nan),
        longest_run_max=longest_max,
        crossings=np.where(has_points, crossings, np.nan),
        crossings_min=min_crossings,
        signal=signal,
    )
