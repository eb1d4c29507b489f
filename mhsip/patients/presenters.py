"""How patients are shown on pages: by alias and age band, never by anything identifying."""

from __future__ import annotations

from datetime import date

#: Age bands (lower bound, label), as NHS England's MHSDS publications group ages.
AGE_BANDS = [
    (0, "Under 18"),
    (18, "18 to 24"),
    (25, "25 to 34"),
    (35, "35 to 44"),
    (45, "45 to 54"),
    (55, "55 to 64"),
    (65, "65 or over"),
]


def age_band(age: int | None) -> str:
    if age is None:
        return "Not known"
    label = AGE_BANDS[0][1]
    for lower, band in AGE_BANDS:
        if age >= lower:
            label = band
    return label


def make_age_band(patient, on: date) -> str:
    return age_band(patient.age_on(on))
