"""Read the database into the pure measures core, for wards, providers or a network.

`measure_rows` is what `mhsip measures` prints and what the dashboards chart: one row per
organisation x measure x period, computed by `mhsip.measures` from plain arrays built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from django.db.models import Min
from django.utils import timezone

from mhsip.incidents.models import Intervention, RecordStatus, UseOfForceRecord
from mhsip.measures import (
    Measure,
    MeasureValues,
    Periods,
    RecordsData,
    compute_measures,
    load_catalogue,
    periods,
)
from mhsip.organisations.models import Organisation, OrganisationKind, Ward
from mhsip.patients.models import MonthlyBedDays, WardStay


class Level(StrEnum):
    WARD = "ward"
    PROVIDER = "provider"
    NETWORK = "network"


@dataclass(frozen=True)
class Group:
    """A column of the computation: a ward, a provider or a network, and its wards."""

    level: Level
    code: str
    name: str
    ward_ids: tuple[int, ...]


def groups_for(level: Level, organisation: str | None = None) -> list[Group]:
    """The wards, providers or networks at `level`, under the organisation with code `organisation`
    (or that organisation itself), each with its wards."""
    wards = Ward.objects.select_related("site__parent__parent")
    if organisation:
        scope = _scope(organisation)
        if isinstance(scope, Ward):
            wards = wards.filter(pk=scope.pk)
        else:
            wards = wards.filter(
                pk__in=[w.pk for w in wards if scope in w.site.ancestors_and_self()]
            )
    by_key: dict[str, list[Ward]] = {}
    names: dict[str, str] = {}
    for ward in wards:
        if level is Level.WARD:
            key, name = ward.code, ward.name
        else:
            kind = (
                OrganisationKind.PROVIDER if level is Level.PROVIDER else OrganisationKind.NETWORK
            )
            owner = next((o for o in ward.site.ancestors_and_self() if o.kind == kind), None)
            if owner is None:
                continue
            key, name = owner.code, owner.name
        by_key.setdefault(key, []).append(ward)
        names[key] = name
    return [
        Group(level, key, names[key], tuple(w.pk for w in members))
        for key, members in sorted(by_key.items())
    ]


def _scope(code: str) -> Ward | Organisation:
    ward = Ward.objects.filter(code=code).first()
    if ward is not None:
        return ward
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        raise LookupError(f"no ward or organisation has the code {code!r}")
    return found


def data_range(groups: list[Group]) -> tuple[date, date]:
    """From the first stay or record of these wards to today."""
    ward_ids = [w for g in groups for w in g.ward_ids]
    firsts = [
        WardStay.objects.filter(ward__in=ward_ids).aggregate(first=Min("started_at"))["first"],
        UseOfForceRecord.objects.filter(ward__in=ward_ids).aggregate(first=Min("started_at"))[
            "first"
        ],
    ]
    firsts = [timezone.localtime(f).date() for f in firsts if f is not None]
    today = timezone.localdate()
    return (min(firsts) if firsts else today), today


def _dates(values: list[Any], unit: str) -> np.ndarray:
    """Aware datetimes to naive local datetime64 (the ward's clock, as MHSDS dates are local)."""
    return np.array(
        [
            np.datetime64(timezone.localtime(v).replace(tzinfo=None), unit)
            if v is not None
            else np.datetime64("NaT")
            for v in values
        ],
        dtype=f"datetime64[{unit}]",
    )


def records_data(groups: list[Group], span: Periods) -> RecordsData:
    """Every stay, intervention and record of the groups' wards as plain arrays."""
    group_of = {ward: index for index, g in enumerate(groups) for ward in g.ward_ids}
    wards = list(group_of)
    stays = list(
        WardStay.objects.filter(ward__in=wards).values_list(
            "ward_id", "patient_id", "started_at", "ended_at"
        )
    )
    interventions = list(
        Intervention.objects.filter(record__ward__in=wards).values_list(
            "record__ward_id",
            "record_id",
            "record__patient_id",
            "type_code",
            "started_at",
            "ended_at",
            "record__started_at",
            "record__ended_at",
        )
    )
    records = list(
        UseOfForceRecord.objects.filter(ward__in=wards).values_list(
            "ward_id",
            "started_at",
            "ended_at",
            "status",
            "review_offered",
            "patient_injured",
            "staff_injured",
            "others_injured",
            "completed_at",
        )
    )
    entered = None
    bed_days = MonthlyBedDays.objects.filter(ward__in=wards).values_list(
        "ward_id", "month", "occupied_bed_days"
    )
    if span.kind == "month" and bed_days:
        entered = np.full((len(groups), len(span)), np.nan)
        index = {label: i for i, label in enumerate(span.labels)}
        for ward, month, days in bed_days:
            column = index.get(month.strftime("%Y-%m"))
            if column is not None:
                row = group_of[ward]
                entered[row, column] = np.nansum([entered[row, column], days])

    def column(rows: list[tuple], i: int) -> list[Any]:
        return [row[i] for row in rows]

    return RecordsData(
        n_groups=len(groups),
        stay_group=np.array([group_of[w] for w in column(stays, 0)], dtype=np.int64),
        stay_patient=np.array(column(stays, 1), dtype=np.int64),
        stay_start=_dates(column(stays, 2), "D"),
        stay_end=_dates(column(stays, 3), "D"),
        intervention_group=np.array(
            [group_of[w] for w in column(interventions, 0)], dtype=np.int64
        ),
        intervention_record=np.array(column(interventions, 1), dtype=np.int64),
        intervention_patient=np.array(column(interventions, 2), dtype=np.int64),
        intervention_type=np.array([int(t) for t in column(interventions, 3)], dtype=np.int64),
        # An intervention without its own times takes its incident's.
        intervention_start=_dates([r[4] or r[6] for r in interventions], "s"),
        intervention_end=_dates([r[5] or (r[7] if not r[4] else None) for r in interventions], "s"),
        record_group=np.array([group_of[w] for w in column(records, 0)], dtype=np.int64),
        record_start=_dates(column(records, 1), "s"),
        record_end=_dates(column(records, 2), "s"),
        record_complete=np.array([s == RecordStatus.COMPLETE for s in column(records, 3)], bool),
        record_review_offered=np.array([r == "yes" for r in column(records, 4)], bool),
        record_injury=np.array(["yes" in (r[5], r[6], r[7]) for r in records], bool),
        record_completed_at=_dates(column(records, 8), "s"),
        entered_bed_days=entered,
    )


def computed_measures(
    groups: list[Group],
    span: Periods,
    measures: list[Measure] | None = None,
) -> list[MeasureValues]:
    catalogue = measures or list(load_catalogue().values())
    return compute_measures(records_data(groups, span), span, catalogue)


def measure_rows(
    level: Level | str,
    *,
    organisation: str | None = None,
    first: date | None = None,
    last: date | None = None,
    period: str = "month",
) -> list[dict[str, Any]]:
    """One row per organisation x measure x period, with the `mhsip measures` fields."""
    level = Level(level)
    groups = groups_for(level, organisation)
    if not groups:
        return []
    start, end = data_range(groups)
    span = periods(period, first or start, last or end)
    rows = []
    for result in computed_measures(groups, span):
        measure = result.measure
        measure_id = measure.measure_id
        if level is Level.WARD and measure.ward_measure_id:
            measure_id = measure.ward_measure_id
        for g, group in enumerate(groups):
            for p, label in enumerate(span.labels):
                rows.append(
                    {
                        "level": level.value,
                        "organisation": group.code,
                        "period": label,
                        "measure": measure.id,
                        "measure_id": measure_id,
                        "numerator": _number(result.numerator[g, p]),
                        "denominator": None
                        if result.denominator is None
                        else _number(result.denominator[g, p]),
                        "value": _number(result.value[g, p]),
                    }
                )
    return rows


def _number(value: float) -> float | int | None:
    if value is None or np.isnan(value):
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 6)
