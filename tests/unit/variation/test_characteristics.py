"""Which group a patient falls into, for every characteristic."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from mhsip.variation.characteristics import (
    CHARACTERISTICS,
    NOT_KNOWN_LABEL,
    NOT_STATED_LABEL,
    PatientColumns,
)


def patients(**columns) -> PatientColumns:
    n = len(next(iter(columns.values())))
    values = {
        field: np.array(columns.get(field, ["not_known"] * n), dtype=object)
        for field in (
            "ethnicity",
            "sex",
            "gender_identity",
            "religion",
            "sexual_orientation",
            "disability",
            "learning_disability",
            "autism",
        )
    }
    return PatientColumns(
        ids=np.arange(1, n + 1),
        values=values,
        year_of_birth=np.array(columns.get("year_of_birth", [np.nan] * n), dtype=float),
        date_of_birth=np.array(columns.get("date_of_birth", [None] * n), dtype="datetime64[D]"),
    )


def labels(key: str, people: PatientColumns, on: date = date(2025, 6, 30)) -> list[str]:
    characteristic = CHARACTERISTICS[key]
    return [characteristic.groups[i] for i in characteristic.indices(people, on)]


def test_ethnicity_as_five_groups_and_as_nhs_categories():
    people = patients(ethnicity=["A", "N", "M", "F", "R", "Z", "99"])

    assert labels("ethnic_group", people) == [
        "White",
        "Black or Black British",
        "Black or Black British",
        "Mixed",
        "Other ethnic groups",
        NOT_STATED_LABEL,
        NOT_KNOWN_LABEL,
    ]
    assert labels("ethnicity", people)[:3] == [
        "White - British",
        "Black or Black British - African",
        "Black or Black British - Caribbean",
    ]


def test_every_characteristic_lists_not_known_last_and_knows_every_code():
    for characteristic in CHARACTERISTICS.values():
        assert characteristic.groups[-1] == NOT_KNOWN_LABEL
        assert len(set(characteristic.groups)) == len(characteristic.groups)


@pytest.mark.parametrize(
    ("born", "year", "band"),
    [
        ("2007-07-01", np.nan, "Under 18"),  # 17 the day before their birthday
        ("2007-06-30", np.nan, "18 to 24"),  # 18 on the day
        (None, 1990.0, "35 to 49"),  # from the year of birth alone: 2025 - 1990
        (None, 1960.0, "65 and over"),
        (None, np.nan, NOT_KNOWN_LABEL),
    ],
)
def test_age_band_on_the_day(born, year, band):
    people = patients(date_of_birth=[born], year_of_birth=[year])

    assert labels("age_band", people) == [band]


def test_yes_no_characteristics_name_their_groups():
    people = patients(
        disability=["yes", "no"], learning_disability=["yes", "not_stated"], autism=["no", "yes"]
    )

    assert labels("disability", people) == ["Disabled", "Not disabled"]
    assert labels("learning_disability", people) == ["Has a learning disability", NOT_STATED_LABEL]
    assert labels("autism", people) == ["Not autistic", "Autistic"]
