"""Read the database into the arrays the variation and inequality pages compare.

- Units (wards, or providers made of wards) x months of any rate measure: `unit_measure`, built
  on `mhsip.dashboards.queries` so the figures are the dashboards' own.
- Patients' characteristics beside their stays and interventions: `fetch_people_rows`, and
  `group_counts`, which counts by NHS Digital's rules (mhsip.measures.counting) with each stay and
  intervention tagged with its patient's group rather than its ward: people in hospital, their
  occupied bed days, people subject to restrictive intervention and interventions, per group.

Nothing here decides who may see what: the pages resolve that first (`resolve_target`), and the
presenters suppress small numbers for viewers outside the provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db.models import Q

from mhsip.dashboards.arrays import fetch_columns
from mhsip.dashboards.queries import (
    Group,
    Level,
    WardRows,
    computed_measures,
    fetch_ward_rows,
)
from mhsip.incidents.models import UseOfForceRecord
from mhsip.measures import Measure, Periods, counting
from mhsip.measures.compute import TYPE_GROUPS
from mhsip.measures.periods import PeriodKind
from mhsip.organisations.models import Ward
from mhsip.patients.models import Patient, WardStay
from mhsip.variation.characteristics import PATIENT_FIELDS, Characteristic, PatientColumns


def wards_of(group: Group) -> list[Ward]:
    """The group's wards, with their sites and providers, by provider and name."""
    wards = Ward.objects.filter(pk__in=group.ward_ids).select_related("site__parent__parent")
    return sorted(wards, key=lambda w: (w.provider.name, w.name))


def ward_units(wards: list[Ward]) -> list[Group]:
    return [Group(Level.WARD, w.code, w.name, (w.pk,)) for w in wards]


def provider_units(wards: list[Ward]) -> list[Group]:
    """One unit per provider, made of the given wards only (a peer group's wards)."""
    by_provider: dict[str, list[Ward]] = {}
    for ward in wards:
        by_provider.setdefault(ward.provider.code, []).append(ward)
    return [
        Group(Level.PROVIDER, code, members[0].provider.name, tuple(w.pk for w in members))
        for code, members in sorted(by_provider.items(), key=lambda kv: kv[1][0].provider.name)
    ]


@dataclass(frozen=True)
class UnitValues:
    """A measure's numerator and denominator for each unit (rows) and month (columns)."""

    units: list[Group]
    span: Periods
    numerator: np.ndarray
    denominator: np.ndarray


def unit_measure(
    units: list[Group], span: Periods, measure: Measure, rows: WardRows | None = None
) -> UnitValues:
    (values,) = computed_measures(units, span, [measure], rows=rows)
    denominator = values.denominator
    if denominator is None:
        raise ValueError(f"{measure.id} has no denominator to compare units by")
    return UnitValues(units, span, values.numerator, np.nan_to_num(denominator))


# --- Characteristics ------------------------------------------------------------------------


def intervention_types(measure: Measure) -> tuple[int, ...] | None:
    """The MHSDS type codes a measure counts (None: every type)."""
    if not (measure.intervention_groups or measure.intervention_types):
        return None
    codes = {int(code) for code in measure.intervention_types}
    for group in measure.intervention_groups:
        codes.update(TYPE_GROUPS[group])
    return tuple(sorted(codes))


@dataclass(frozen=True)
class PeopleRows:
    """Stays and interventions of some wards (as `WardRows`), and their patients."""

    stays: dict[str, np.ndarray]
    interventions: dict[str, np.ndarray]
    patients: PatientColumns


def fetch_patients(ward_ids: list[int] | tuple[int, ...]) -> PatientColumns:
    """The characteristics of every patient with a stay or a record on these wards."""
    wards = list(ward_ids)
    people = Patient.objects.filter(
        Q(pk__in=WardStay.objects.filter(ward__in=wards).values("patient"))
        | Q(pk__in=UseOfForceRecord.objects.filter(ward__in=wards).values("patient"))
    ).order_by("pk")
    ids, year_of_birth, date_of_birth, *values = fetch_columns(
        people, "pk", "year_of_birth", "date_of_birth", *PATIENT_FIELDS
    )
    return PatientColumns(
        ids=np.asarray(ids, dtype=np.int64),
        values={
            name: np.asarray(column, dtype=object)
            for name, column in zip(PATIENT_FIELDS, values, strict=True)
        },
        year_of_birth=np.array(
            [np.nan if y is None else float(y) for y in year_of_birth], dtype=float
        ),
        date_of_birth=np.array(
            [
                np.datetime64("NaT") if d is None else np.datetime64(str(d)[:10])
                for d in date_of_birth
            ],
            dtype="datetime64[D]",
        ),
    )


def fetch_people_rows(ward_ids: list[int] | tuple[int, ...]) -> PeopleRows:
    rows = fetch_ward_rows(ward_ids)
    return PeopleRows(rows.stays, rows.interventions, fetch_patients(ward_ids))


@dataclass(frozen=True)
class GroupCounts:
    """Counts per group of a characteristic over one period (arrays in `groups` order)."""

    groups: tuple[str, ...]
    people_in_hospital: np.ndarray
    bed_days: np.ndarray
    #: kind (a measure id) -> people subject to that kind of intervention, per group
    people_restrained: dict[str, np.ndarray]
    #: kind -> distinct (incident, intervention type) pairs, per group (MHS77's unit)
    interventions: dict[str, np.ndarray]


def group_counts(
    rows: PeopleRows,
    characteristic: Characteristic,
    first: date,
    stop: date,
    kinds: dict[str, tuple[int, ...] | None],
) -> GroupCounts:
    """Counts by group from `first` up to (not including) `stop`, by NHS Digital's rules over
    the whole period: bed days of stays inside it, people with a stay in it, and interventions
    going on at any time in it (one spanning two months counts once here). Each person's group
    is taken on the period's last day (only age changes)."""
    span = Periods(
        PeriodKind.MONTH,
        np.array([np.datetime64(first, "D")]),
        np.array([np.datetime64(stop, "D")]),
    )
    last_day = date.fromordinal(stop.toordinal() - 1)
    group_of_patient = characteristic.indices(rows.patients, last_day)
    n = len(characteristic.groups)

    def groups_of(patients: np.ndarray) -> np.ndarray:
        if len(patients) == 0:
            return np.array([], dtype=np.int64)
        position = np.searchsorted(rows.patients.ids, patients)
        return group_of_patient[position]

    stays = rows.stays
    stay_group = groups_of(stays["patient"])
    bed_days = counting.bed_days(stay_group, stays["start"], stays["end"], span, n)[:, 0]
    in_hospital = counting.in_period(stays["start"], stays["end"], span)
    people = counting.distinct_by_group(stay_group, stays["patient"], in_hospital, n)[:, 0]

    found = rows.interventions
    group = groups_of(found["patient"])
    start = np.asarray(found["start"], dtype="datetime64[D]")
    going_on = counting.in_period(start, found["end"], span) & ~np.isnat(start)[:, None]
    pair = np.asarray(found["record"], dtype=np.int64) * 100 + found["type"]
    restrained, interventions = {}, {}
    for kind, types in kinds.items():
        mask = going_on if types is None else going_on & np.isin(found["type"], types)[:, None]
        restrained[kind] = counting.distinct_by_group(group, found["patient"], mask, n)[:, 0]
        interventions[kind] = counting.distinct_by_group(group, pair, mask, n)[:, 0]
    return GroupCounts(
        groups=characteristic.groups,
        people_in_hospital=people.astype(float),
        bed_days=bed_days.astype(float),
        people_restrained={k: v.astype(float) for k, v in restrained.items()},
        interventions={k: v.astype(float) for k, v in interventions.items()},
    )
