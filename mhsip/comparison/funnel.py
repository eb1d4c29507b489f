"""Funnel plots: each unit's rate against its denominator, within limits around the pooled rate.

    funnel(events, denominators, units=names, multiplier=1000) -> Funnel

The pipeline: check the inputs; pool the rate over units whose events and denominator are both
known; z-scores and the over-dispersion estimates (φ, τ²) from those units; exact limits at 95% and
99.8% at each unit's own denominator (mhsip.comparison.limits), widened for over-dispersion when
asked; flag each unit against the 99.8% limits. Units with an unknown (suppressed or blank) value
are kept, with flag `unknown`, so nothing is silently dropped. Method: docs/statistics/funnel.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mhsip.comparison.limits import exact_limits
from mhsip.comparison.overdispersion import (
    WINSORISE_FRACTION,
    Overdispersion,
    between_unit_variance,
    dispersion_ratio,
    variance_function,
)

#: Spiegelhalter's two funnels: 95% ("alert", about 2 SD) and 99.8% ("alarm", about 3 SD).
LEVEL_95 = 0.95
LEVEL_998 = 0.998

#: Per-unit fields, in the order of the `mhsip funnel` contract.
UNIT_FIELDS = (
    "unit",
    "events",
    "denominator",
    "rate",
    "centre",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "z",
    "flag",
)


class Flag:
    HIGH = "high"
    LOW = "low"
    IN_RANGE = "in_range"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Funnel:
    """A funnel plot's numbers. Rates, limits and the centre are per `multiplier` units of
    denominator (a proportion times `multiplier`: 100 gives percentages); NaN where unknown."""

    units: tuple[str, ...]
    events: np.ndarray
    denominators: np.ndarray
    rate: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray
    lower_998: np.ndarray
    upper_998: np.ndarray
    #: The unit's z-score under the model the limits use: (rate - centre) / its standard error,
    #: divided by √φ (multiplicative) or with τ² added to the variance (additive) when applied.
    z: np.ndarray
    flag: tuple[str, ...]
    centre: float
    multiplier: float
    proportion: bool
    overdispersion: Overdispersion
    #: φ from the winsorised z-scores, reported whether or not the limits use it (None with fewer
    #: than 2 known units). φ well above 1 says the units differ by more than chance.
    phi: float | None
    #: τ², on the scale of the rates shown (per multiplier, squared).
    tau2: float | None
    known_units: int = field(default=0)

    def limits(self, denominators: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        """The funnel's lower and upper limits at any denominators, for drawing its curves."""
        return _limits(
            self.centre / self.multiplier,
            np.asarray(denominators, dtype=float),
            level=level,
            proportion=self.proportion,
            overdispersion=self.overdispersion,
            phi=self.phi,
            tau2=None if self.tau2 is None else self.tau2 / self.multiplier**2,
        )

    def rows(self) -> list[dict[str, Any]]:
        """One dict per unit, in UNIT_FIELDS order, with None for unknown numbers."""
        return [
            {
                "unit": self.units[i],
                "events": _number(self.events[i], whole=True),
                "denominator": _number(self.denominators[i], whole=True),
                "rate": _number(self.rate[i]),
                "centre": self.centre,
                "lower_95": _number(self.lower_95[i]),
                "upper_95": _number(self.upper_95[i]),
                "lower_998": _number(self.lower_998[i]),
                "upper_998": _number(self.upper_998[i]),
                "z": _number(self.z[i]),
                "flag": self.flag[i],
            }
            for i in range(len(self.units))
        ]

    def to_dict(self) -> dict[str, Any]:
        """The `mhsip funnel` JSON document."""
        return {
            "method": "binomial" if self.proportion else "poisson",
            "multiplier": self.multiplier,
            "centre": self.centre,
            "overdispersion": self.overdispersion.value,
            "phi": self.phi,
            "tau2": self.tau2,
            "units": self.rows(),
        }


def funnel(
    events: Sequence[float] | np.ndarray,
    denominators: Sequence[float] | np.ndarray,
    *,
    units: Sequence[str] | None = None,
    multiplier: float = 1.0,
    proportion: bool = False,
    overdispersion: Overdispersion | str = Overdispersion.NONE,
) -> Funnel:
    """Compare units' rates (or proportions, with `proportion=True`) on a funnel plot.

    NaN in `events` or `denominators` marks a unit whose value is unknown (suppressed or blank).
    Raises ValueError for negative events, denominators not above 0, a proportion above 1, no unit
    with both values known, or a pooled rate of 0 (or 1 for a proportion), around which there is
    no funnel to draw.
    """
    y = np.asarray(events, dtype=float)
    e = np.asarray(denominators, dtype=float)
    model = Overdispersion(overdispersion)
    names = tuple(units) if units is not None else tuple(str(i + 1) for i in range(len(y)))
    _check(y, e, names, multiplier=multiplier, proportion=proportion)

    known = ~np.isnan(y) & ~np.isnan(e)
    if not known.any():
        raise ValueError("no unit has both its events and its denominator known")
    theta = y[known].sum() / e[known].sum()
    if theta == 0:
        raise ValueError("no unit has any events, so there is no rate to compare units against")
    if proportion and theta == 1:
        raise ValueError("every unit's events equal its denominator: there is nothing to compare")

    variance = variance_function(theta, proportion=proportion)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = y / e
        standard_error = np.sqrt(variance / e)
        z_raw = (rate - theta) / standard_error
    phi = tau2 = None
    if known.sum() >= 2:
        phi = dispersion_ratio(z_raw[known], WINSORISE_FRACTION)
        tau2 = between_unit_variance(phi, standard_error[known] ** 2)
    elif model is not Overdispersion.NONE:
        raise ValueError("allowing for over-dispersion needs at least 2 units with known values")

    z = z_raw / _widening(model, standard_error, phi, tau2)
    lower_95, upper_95 = _limits(
        theta, e, level=LEVEL_95, proportion=proportion, overdispersion=model, phi=phi, tau2=tau2
    )
    lower_998, upper_998 = _limits(
        theta, e, level=LEVEL_998, proportion=proportion, overdispersion=model, phi=phi, tau2=tau2
    )
    flag = np.where(
        ~known,
        Flag.UNKNOWN,
        np.where(rate > upper_998, Flag.HIGH, np.where(rate < lower_998, Flag.LOW, Flag.IN_RANGE)),
    )

    def shown(values: np.ndarray) -> np.ndarray:
        return np.where(known, values * multiplier, np.nan)

    return Funnel(
        units=names,
        events=y,
        denominators=e,
        rate=shown(rate),
        lower_95=shown(lower_95),
        upper_95=shown(upper_95),
        lower_998=shown(lower_998),
        upper_998=shown(upper_998),
        z=np.where(known, z, np.nan),
        flag=tuple(str(f) for f in flag),
        centre=float(theta * multiplier),
        multiplier=float(multiplier),
        proportion=proportion,
        overdispersion=model,
        phi=phi,
        tau2=None if tau2 is None else tau2 * multiplier**2,
        known_units=int(known.sum()),
    )


def _check(
    y: np.ndarray, e: np.ndarray, names: tuple[str, ...], *, multiplier: float, proportion: bool
) -> None:
    if y.ndim != 1 or y.shape != e.shape or len(names) != len(y):
        raise ValueError("events, denominators and units must be 1-D and the same length")
    if not multiplier > 0:
        raise ValueError(f"the multiplier must be greater than 0, not {multiplier:g}")
    if (y < 0).any():
        raise ValueError(f"unit {names[int(np.argmax(y < 0))]!r} has negative events")
    if (e <= 0).any():
        raise ValueError(f"unit {names[int(np.argmax(e <= 0))]!r} has a denominator of 0 or less")
    if proportion and (y > e).any():
        raise ValueError(
            f"unit {names[int(np.argmax(y > e))]!r} has more events than its denominator"
        )


def _widening(
    model: Overdispersion, standard_error: np.ndarray, phi: float | None, tau2: float | None
) -> np.ndarray:
    """How much each unit's limits are widened: 1 without over-dispersion, never below 1."""
    ones = np.ones_like(standard_error)
    if model is Overdispersion.MULTIPLICATIVE and phi is not None and phi > 1:
        return ones * np.sqrt(phi)
    if model is Overdispersion.ADDITIVE and tau2:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.sqrt(1 + tau2 / standard_error**2)
    return ones


def _limits(
    theta: float,
    e: np.ndarray,
    *,
    level: float,
    proportion: bool,
    overdispersion: Overdispersion,
    phi: float | None,
    tau2: float | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact limits, their distance from the centre widened for over-dispersion (raw rates)."""
    lower, upper = exact_limits(theta, e, level=level, proportion=proportion)
    if overdispersion is Overdispersion.NONE:
        return lower, upper
    with np.errstate(invalid="ignore", divide="ignore"):
        standard_error = np.sqrt(variance_function(theta, proportion=proportion) / e)
    factor = _widening(overdispersion, standard_error, phi, tau2)
    lower = np.maximum(theta - factor * (theta - lower), 0.0)
    upper = theta + factor * (upper - theta)
    if proportion:
        upper = np.minimum(upper, 1.0)
    return lower, upper


def _number(value: float, *, whole: bool = False) -> float | int | None:
    """None for NaN; with `whole`, a whole number as an int (55 events, not 55.0)."""
    if np.isnan(value):
        return None
    return int(value) if whole and value == int(value) else float(value)
