"""NaN-aware row statistics that stay silent on empty rows.

numpy's nanmean and nanmedian warn on all-missing rows; a ward with no data in a phase is normal
here, so these return NaN for such rows without a warning.
"""

import numpy as np


def row_count(x: np.ndarray) -> np.ndarray:
    return np.count_nonzero(~np.isnan(x), axis=-1)


def row_mean(x: np.ndarray) -> np.ndarray:
    count = row_count(x)
    total = np.where(np.isnan(x), 0.0, x).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def row_sum(x: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(x), 0.0, x).sum(axis=-1)


def row_median(x: np.ndarray) -> np.ndarray:
    """Median of each row ignoring NaN (NaN sorts last, so the k values come first)."""
    if x.shape[-1] == 0:
        return np.full(x.shape[:-1], np.nan)
    ordered = np.sort(x, axis=-1)
    count = row_count(x)
    low = np.maximum((count - 1) // 2, 0)
    high = np.maximum(count // 2, 0)
    high = np.minimum(high, x.shape[-1] - 1)
    rows = np.arange(x.shape[0])
    middle = (ordered[rows, low] + ordered[rows, high]) / 2
    return np.where(count > 0, middle, np.nan)
