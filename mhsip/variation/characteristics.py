"""The characteristics inequalities are broken down by, and how a patient falls into a group.

Each characteristic turns columns of patients (`PatientColumns`) into one group label per patient,
on a given day (age changes; the rest does not). Groups are listed in a fixed order: the known
groups in the order of the NHS code list, then "Not stated" and "Not known", which are never
the reference group (a gap between people whose ethnicity is recorded and people whose is not
says something about recording, not about them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from mhsip.patients.characteristics import (
    ETHNIC_GROUP,
    NOT_KNOWN,
    NOT_STATED,
    Ethnicity,
    GenderIdentity,
    Religion,
    Sex,
    SexualOrientation,
)

NOT_KNOWN_LABEL = "Not known"
NOT_STATED_LABEL = "Not stated"
UNKNOWN_GROUPS = frozenset({NOT_KNOWN_LABEL, NOT_STATED_LABEL})

#: Age bands of NHS Digital's Mental Health Act statistics (and MHSDS's broad bands), with 18 to
#: 34 split at 25 because younger adults are restrained most.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "Under 18"),
    (18, 24, "18 to 24"),
    (25, 34, "25 to 34"),
    (35, 49, "35 to 49"),
    (50, 64, "50 to 64"),
    (65, None, "65 and over"),
)


@dataclass(frozen=True)
class PatientColumns:
    """Patients as columns (one entry per patient, in `ids` order), as the database gave them."""

    ids: np.ndarray  # int64, sorted
    values: dict[str, np.ndarray]  # field name -> object array of codes
    year_of_birth: np.ndarray  # float, NaN where not known
    date_of_birth: np.ndarray  # datetime64[D], NaT where not known


@dataclass(frozen=True)
class Characteristic:
    key: str
    name: str
    #: Every group, in the order to show them.
    groups: tuple[str, ...]
    #: (patients, the day their age is taken on) -> one label per patient
    label: Callable[[PatientColumns, date], np.ndarray]
    #: Depends on the day (age): groups are taken at the end of each period.
    changes: bool = False

    def indices(self, patients: PatientColumns, on: date) -> np.ndarray:
        """Each patient's group as an index into `groups`."""
        labels = self.label(patients, on)
        position = {group: i for i, group in enumerate(self.groups)}
        return np.array([position[label] for label in labels], dtype=np.int64)


def _coded(field: str, labels: dict[str, str]) -> Callable[[PatientColumns, date], np.ndarray]:
    def label(patients: PatientColumns, on: date) -> np.ndarray:
        codes = patients.values[field]
        return np.array([labels.get(code, NOT_KNOWN_LABEL) for code in codes], dtype=object)

    return label


def _choices(choices, renamed: dict[str, str] | None = None) -> dict[str, str]:
    """Code -> group label, with "not known" and "not stated" named alike everywhere."""
    labels = {}
    for code, label in choices:
        if code == NOT_KNOWN:
            labels[code] = NOT_KNOWN_LABEL
        elif code == NOT_STATED:
            labels[code] = NOT_STATED_LABEL
        else:
            labels[code] = (renamed or {}).get(code, label)
    return labels


def _ordered(labels: dict[str, str]) -> tuple[str, ...]:
    known = [label for label in dict.fromkeys(labels.values()) if label not in UNKNOWN_GROUPS]
    return (*known, NOT_STATED_LABEL, NOT_KNOWN_LABEL)


def _age_band(patients: PatientColumns, on: date) -> np.ndarray:
    day = np.datetime64(on, "D")
    born = patients.date_of_birth
    # Whole years from the date of birth; from the year of birth alone, the year's difference
    # (as Patient.age_on does).
    years = day.astype("datetime64[Y]").astype(int) + 1970
    exact = years - (born.astype("datetime64[Y]").astype(int) + 1970)
    exact = exact - (_month_day(born) > _month_day(day)).astype(int)
    age = np.where(~np.isnat(born), exact, years - patients.year_of_birth)
    labels = np.full(len(age), NOT_KNOWN_LABEL, dtype=object)
    for low, high, label in AGE_BANDS:
        inside = (age >= low) if high is None else (age >= low) & (age <= high)
        labels[np.nan_to_num(inside, nan=False).astype(bool)] = label
    return labels


def _month_day(days: np.ndarray) -> np.ndarray:
    """Month x 32 + day of the month: compares birthdays within a year, leap years or not."""
    months = days.astype("datetime64[M]")
    month = (months - days.astype("datetime64[Y]")).astype(int)
    return month * 32 + (days - months).astype(int)


_ETHNIC_GROUPS = {
    code: (NOT_STATED_LABEL if group == "Not stated" else group)
    for code, group in ETHNIC_GROUP.items()
}
_ETHNICITIES = _choices(Ethnicity.choices, {"Z": NOT_STATED_LABEL})
_SEXES = _choices(Sex.choices)
_GENDERS = _choices(GenderIdentity.choices)
_RELIGIONS = _choices(Religion.choices)
_ORIENTATIONS = _choices(SexualOrientation.choices)


def _yes_no(yes: str, no: str) -> dict[str, str]:
    return {"yes": yes, "no": no, NOT_STATED: NOT_STATED_LABEL, NOT_KNOWN: NOT_KNOWN_LABEL}


_DISABILITY = _yes_no("Disabled", "Not disabled")
_LEARNING_DISABILITY = _yes_no("Has a learning disability", "No learning disability")
_AUTISM = _yes_no("Autistic", "Not autistic")

CHARACTERISTICS: dict[str, Characteristic] = {
    c.key: c
    for c in [
        Characteristic(
            "ethnic_group",
            "Ethnicity (5 groups)",
            _ordered(_ETHNIC_GROUPS),
            _coded("ethnicity", _ETHNIC_GROUPS),
        ),
        Characteristic(
            "ethnicity",
            "Ethnicity (NHS categories)",
            _ordered(_ETHNICITIES),
            _coded("ethnicity", _ETHNICITIES),
        ),
        Characteristic(
            "age_band",
            "Age",
            (*(label for _, _, label in AGE_BANDS), NOT_KNOWN_LABEL),
            _age_band,
            changes=True,
        ),
        Characteristic("sex", "Sex", _ordered(_SEXES), _coded("sex", _SEXES)),
        Characteristic(
            "gender_identity",
            "Gender identity",
            _ordered(_GENDERS),
            _coded("gender_identity", _GENDERS),
        ),
        Characteristic(
            "religion", "Religion or belief", _ordered(_RELIGIONS), _coded("religion", _RELIGIONS)
        ),
        Characteristic(
            "sexual_orientation",
            "Sexual orientation",
            _ordered(_ORIENTATIONS),
            _coded("sexual_orientation", _ORIENTATIONS),
        ),
        Characteristic(
            "disability", "Disability", _ordered(_DISABILITY), _coded("disability", _DISABILITY)
        ),
        Characteristic(
            "learning_disability",
            "Learning disability",
            _ordered(_LEARNING_DISABILITY),
            _coded("learning_disability", _LEARNING_DISABILITY),
        ),
        Characteristic("autism", "Autism", _ordered(_AUTISM), _coded("autism", _AUTISM)),
    ]
}

#: The patient fields the characteristics read.
PATIENT_FIELDS = (
    "ethnicity",
    "sex",
    "gender_identity",
    "religion",
    "sexual_orientation",
    "disability",
    "learning_disability",
    "autism",
)
