"""Charts made with the real SPC engine, so the drawing code is tested on what it will be given.

Helpers are fixtures (factories, as in tests elsewhere) rather than imports, so the test modules
need nothing from each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from mhsip.spc import SpcOptions, spc_chart


@pytest.fixture(scope="session")
def calm() -> list[int]:
    """Twelve calm months, for charts whose last point is then pushed out of the limits."""
    return [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12]


@pytest.fixture(scope="session")
def months() -> Callable[..., np.ndarray]:
    def make(count: int, start: str = "2023-01") -> np.ndarray:
        first = np.datetime64(start, "M")
        return np.arange(first, first + count).astype("datetime64[D]")

    return make


@pytest.fixture(scope="session")
def make_chart(months: Callable[..., np.ndarray]) -> Callable[..., dict[str, Any]]:
    """`spc_chart(...).to_dict()` with monthly dates, as the web pages will pass it; `opts` are
    `SpcOptions` fields."""

    def make(values: Any, *, opts: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        values = np.asarray(values, dtype=float)
        kwargs.setdefault("dates", months(values.shape[-1]))
        return spc_chart(values, options=SpcOptions(**(opts or {})), **kwargs).to_dict()

    return make


@pytest.fixture
def xmr_two_phases(calm, months, make_chart) -> dict[str, Any]:
    """19 points, rebased at the 13th, with a target and "lower is better" (restraint counts)."""
    values = [*calm, 7, 6, 8, 7, 5, 6, 7]
    dates = months(len(values))
    return make_chart(
        values, dates=dates, rebase=[dates[12]], opts={"improvement": "decrease", "target": 8}
    )


@pytest.fixture
def u_chart(months, make_chart) -> dict[str, Any]:
    """A u chart whose limits change with every denominator, with a missing month."""
    counts = [4, 6, 3, 5, 7, 2, 4, 5, 6, 3, 4, 5, 6, 4]
    days = [900, 1200, 700, 1000, 1500, 0, 800, 1100, 1300, 600, 900, 1000, 1400, 800]
    dates = months(len(counts))
    return make_chart(
        counts,
        chart="u",
        denominators=days,
        dates=dates,
        rebase=[dates[7]],
        opts={"multiplier": 1000, "improvement": "decrease"},
    )
