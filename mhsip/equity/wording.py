"""Plain-English readings of a rate ratio, for people who do not read confidence intervals.

The one rule: a difference is called real only when its whole interval lies on one side of 1 (no
difference). An interval that includes 1 is always read as "could be chance", however large the
ratio, because with few events a large ratio is easily produced by chance.
"""

from __future__ import annotations

import math

#: Decimal places for ratios in readings; more are used when fewer would print a limit as "1.00"
#: although it is not 1, which would make "a real difference" read as if it included 1.
RATIO_DECIMALS = 2
_MOST_DECIMALS = 6


def format_ratio(value: float, *, decimals: int = RATIO_DECIMALS) -> str:
    """A ratio to `decimals` places, or more if it would otherwise print as exactly 1.

    >>> format_ratio(3.4389), format_ratio(1.0004), format_ratio(0.99996)
    ('3.44', '1.0004', '0.99996')
    """
    places = decimals
    while places < _MOST_DECIMALS and value != 1 and round(value, places) == 1:
        places += 1
    return f"{value:.{places}f}"


def ratio_reading(
    ratio: float, lower: float, upper: float, *, reference: str, level: float = 0.95
) -> str:
    """One sentence: the ratio, its interval, and whether the difference is real or could be chance.

    >>> ratio_reading(3.44, 3.33, 3.55, reference="White")
    '3.44 times the rate of White (95% CI 3.33 to 3.55): a real difference, higher than chance alone would explain.'
    >>> ratio_reading(1.2, 0.9, 1.6, reference="White")
    '1.20 times the rate of White (95% CI 0.90 to 1.60): the interval includes no difference, so this could be chance.'
    """
    percent = f"{level * 100:g}%"
    high = "no upper limit" if math.isinf(upper) else format_ratio(upper)
    interval = f"({percent} CI {format_ratio(lower)} to {high})"
    if lower > 1:
        verdict = "a real difference, higher than chance alone would explain."
    elif upper < 1:
        verdict = "a real difference, lower than chance alone would explain."
    else:
        verdict = "the interval includes no difference, so this could be chance."
    return f"{format_ratio(ratio)} times the rate of {reference} {interval}: {verdict}"


REFERENCE_READING = "The reference group: other groups' rates are compared with this one."
SUPPRESSED_READING = (
    "Fewer than {smallest} events: figures withheld so that no one can be identified."
)
UNKNOWN_READING = "Not known: the input's events or denominator were suppressed or blank."
