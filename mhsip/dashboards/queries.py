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

from mhsip.dashboards.arrays import Epoch, fetch_columns, local_datetimes, lookup
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
    from mhsip.extracts.queries import first_submitted_month

    submitted = first_submitted_month(ward_ids)
    if submitted is not None:
        firsts.append(submitted)
    today = timezone.localdate()
    return (min(firsts) if firsts else today), today


@dataclass(frozen=True)
class WardRows:
    """Every stay, intervention and record of some wards as arrays keyed by ward id, converted
    once and regrouped as needed: a provider's dashboard charts the provider and each of its
    wards from the same rows."""

    stays: dict[str, np.ndarray]
    interventions: dict[str, np.ndarray]
    records: dict[str, np.ndarray]
    bed_days: list[tuple[int, date, int]]


def _ints(values: list[Any]) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def _answers(values: list[Any], wanted: str = "yes") -> np.ndarray:
    return np.asarray([v == wanted for v in values], dtype=bool)


def fetch_ward_rows(ward_ids: list[int] | tuple[int, ...]) -> WardRows:
    wards = list(ward_ids)
    ward, patient, start, end = fetch_columns(
        WardStay.objects.filter(ward__in=wards),
        "ward_id",
        "patient_id",
        Epoch("started_at"),
        Epoch("ended_at"),
    )
    stays = {
        "ward": _ints(ward),
        "patient": _ints(patient),
        "start": local_datetimes(start).astype("datetime64[D]"),
        "end": local_datetimes(end).astype("datetime64[D]"),
    }
    ward, record, patient, kind, start, end, incident_start, incident_end = fetch_columns(
        Intervention.objects.filter(record__ward__in=wards),
        "record__ward_id",
        "record_id",
        "record__patient_id",
        "type_code",
        Epoch("started_at"),
        Epoch("ended_at"),
        Epoch("record__started_at"),
        Epoch("record__ended_at"),
    )
    own_start = local_datetimes(start)
    # An intervention without its own times takes its incident's.
    no_times = np.isnat(own_start)
    interventions = {
        "ward": _ints(ward),
        "record": _ints(record),
        "patient": _ints(patient),
        "type": _ints([int(k) for k in kind]),
        "start": np.where(no_times, local_datetimes(incident_start), own_start),
        "end": np.where(no_times, local_datetimes(incident_end), local_datetimes(end)),
    }
    (ward, start, end, status, review, hurt_patient, hurt_staff, hurt_others, completed) = (
        fetch_columns(
            UseOfForceRecord.objects.filter(ward__in=wards),
            "ward_id",
            Epoch("started_at"),
            Epoch("ended_at"),
            "status",
            "review_offered",
            "patient_injured",
            "staff_injured",
            "others_injured",
            Epoch("completed_at"),
        )
    )
    records = {
        "ward": _ints(ward),
        "start": local_datetimes(start),
        "end": local_datetimes(end),
        "complete": _answers(status, RecordStatus.COMPLETE),
        "review_offered": _answers(review),
        "injury": _answers(hurt_patient) | _answers(hurt_staff) | _answers(hurt_others),
        "completed_at": local_datetimes(completed),
    }
    bed_days = list(
        MonthlyBedDays.objects.filter(ward__in=wards).values_list(
            "ward_id", "month", "occupied_bed_days"
        )
    )
    return WardRows(stays, interventions, records, bed_days)


def _select(table: dict[str, np.ndarray], group_of: dict[int, int]) -> dict[str, np.ndarray]:
    """The rows of wards in `group_of`, with a `group` column."""
    keep = np.isin(table["ward"], np.fromiter(group_of, dtype=np.int64))
    selected = {name: column[keep] for name, column in table.items()}
    selected["group"] = lookup(selected["ward"], group_of)
    return selected


def records_data(groups: list[Group], span: Periods, rows: WardRows | None = None) -> RecordsData:
    """Every stay, intervention and record of the groups' wards as plain arrays."""
    group_of = {ward: index for index, g in enumerate(groups) for ward in g.ward_ids}
    rows = rows or fetch_ward_rows(list(group_of))
    stays = _select(rows.stays, group_of)
    interventions = _select(rows.interventions, group_of)
    records = _select(rows.records, group_of)

    entered = None
    if span.kind == "month" and rows.bed_days:
        entered = np.full((len(groups), len(span)), np.nan)
        index = {label: i for i, label in enumerate(span.labels)}
        for ward, month, days in rows.bed_days:
            column = index.get(month.strftime("%Y-%m"))
            if column is not None and ward in group_of:
                row = group_of[ward]
                entered[row, column] = np.nansum([entered[row, column], days])

    return RecordsData(
        n_groups=len(groups),
        stay_group=stays["group"],
        stay_patient=stays["patient"],
        stay_start=stays["start"],
        stay_end=stays["end"],
        intervention_group=interventions["group"],
        intervention_record=interventions["record"],
        intervention_patient=interventions["patient"],
        intervention_type=interventions["type"],
        intervention_start=interventions["start"],
        intervention_end=interventions["end"],
        record_group=records["group"],
        record_start=records["start"],
        record_end=records["end"],
        record_complete=records["complete"],
        record_review_offered=records["review_offered"],
        record_injury=records["injury"],
        record_completed_at=records["completed_at"],
        entered_bed_days=entered,
        team_entered=_team_entered(groups, group_of, span),
    )


def _team_entered(
    groups: list[Group], group_of: dict[int, int], span: Periods
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Team-entered values summed over each group's wards; NaN where no ward entered any."""
    from mhsip.dashboards.models import TeamEnteredValue

    if span.kind != "month":
        return {}
    index = {label: i for i, label in enumerate(span.labels)}
    found: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    shape = (len(groups), len(span))
    for ward, measure, month, numerator, denominator in TeamEnteredValue.objects.filter(
        ward__in=list(group_of)
    ).values_list("ward_id", "measure", "month", "numerator", "denominator"):
        column = index.get(month.strftime("%Y-%m"))
        if column is None:
            continue
        numerators, denominators = found.setdefault(
            measure, (np.full(shape, np.nan), np.full(shape, np.nan))
        )
        row = group_of[ward]
        numerators[row, column] = np.nansum([numerators[row, column], numerator])
        if denominator is not None:
            denominators[row, column] = np.nansum([denominators[row, column], denominator])
    return {
        measure: (numerators, None if np.isnan(denominators).all() else denominators)
        for measure, (numerators, denominators) in found.items()
    }


def computed_measures(
    groups: list[Group],
    span: Periods,
    measures: list[Measure] | None = None,
    rows: WardRows | None = None,
) -> list[MeasureValues]:
    catalogue = measures or list(load_catalogue().values())
    results = compute_measures(records_data(groups, span, rows), span, catalogue)
    # Providers that send MHSDS extracts get NHS Digital's own figures for them.
    from mhsip.extracts.queries import substitute_mhsds_figures

    return substitute_mhsds_figures(groups, span, results)


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
