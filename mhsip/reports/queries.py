"""Reads for the downloads: records a person may see, and measure data as the dashboards show it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone

from mhsip.authorization.checks import wards_where
from mhsip.authorization.permissions import Permission
from mhsip.dashboards.presenters import Target, shown_counts
from mhsip.dashboards.queries import computed_measures, data_range
from mhsip.equity.suppression import suppress_rate
from mhsip.incidents.codes import GROUP_OF, InterventionType
from mhsip.incidents.models import UseOfForceRecord
from mhsip.measures import periods
from mhsip.organisations.models import Ward
from mhsip.patients.characteristics import ETHNIC_GROUP
from mhsip.reports.statistics import age_group


def downloadable_wards(user) -> QuerySet[Ward]:
    return (
        wards_where(user, Permission.PATIENT_DATA_VIEW)
        .select_related("site__parent")
        .order_by("site__parent__name", "name")
    )


#: The columns of the records download, in words. No free text (it can name people) and no
#: staff names: analysts need the coded items, and the record itself holds the rest.
RECORD_COLUMNS = [
    "Record reference",
    "Provider",
    "Ward",
    "Ward code",
    "Patient pseudonym",
    "Patient's age group",
    "Patient's sex",
    "Patient's ethnic group",
    "Record status",
    "Started",
    "Ended",
    "Duration (minutes)",
    "Place",
    "Reason",
    "Types of force",
    "Kinds of force",
    "Part of the care plan",
    "Patient injured",
    "Staff injured",
    "Others injured",
    "Death or serious injury",
    "Post-incident review offered",
    "Post-incident review held",
    "Completed",
    "Record version",
]


def records_for_download(
    wards: QuerySet[Ward] | list[Ward], first: date | None, last: date | None
) -> list[UseOfForceRecord]:
    records = UseOfForceRecord.objects.filter(ward__in=wards)
    if first is not None:
        records = records.filter(started_at__gte=_start_of(first))
    if last is not None:
        records = records.filter(started_at__lt=_start_of(last + timedelta(days=1)))
    return list(
        records.select_related("ward__site__parent", "patient")
        .prefetch_related("interventions")
        .order_by("ward__name", "started_at", "id")
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def record_row(record: UseOfForceRecord) -> list[Any]:
    types = [i.get_type_code_display() for i in record.interventions.all()]
    kinds = dict.fromkeys(
        GROUP_OF[InterventionType(i.type_code)].label for i in record.interventions.all()
    )
    patient = record.patient
    started = record.started_at
    return [
        record.reference,
        record.ward.provider.name,
        record.ward.name,
        record.ward.code,
        patient.alias,
        age_group(patient.age_on(timezone.localtime(started).date()) if started else None),
        patient.get_sex_display(),
        ETHNIC_GROUP.get(patient.ethnicity, "Not known"),
        record.get_status_display(),
        started,
        record.ended_at,
        record.duration_minutes,
        record.get_place_display(),
        record.get_reason_display(),
        "; ".join(types),
        "; ".join(kinds),
        record.get_part_of_care_plan_display(),
        record.get_patient_injured_display(),
        record.get_staff_injured_display(),
        record.get_others_injured_display(),
        record.get_death_or_serious_injury_display(),
        record.get_review_offered_display(),
        record.get_review_held_display(),
        record.completed_at,
        record.version,
    ]


MEASURE_COLUMNS = [
    "Organisation code",
    "Organisation",
    "Level",
    "Month",
    "Measure",
    "Measure ID (NHS Digital)",
    "Numerator",
    "Denominator",
    "Value",
    "Figures",
]


def measure_table(target: Target) -> list[list[Any]]:
    """Every measure, every month from the first data to today, for the dashboard's target:
    the `mhsip measures` rows, suppressed as the dashboards suppress them for people outside
    the provider (counts under 5 hidden and others rounded to 5; rates hidden when their count
    is under 5 or their bed days under 100, otherwise rounded to a whole number)."""
    group = target.group
    first, last = data_range([group])
    span = periods("month", first, last)
    figures = "Exact" if target.exact else "Suppressed (NHS Digital's rules)"
    rows = []
    for result in computed_measures([group], span):
        measure = result.measure
        measure_id = measure.measure_id or ""
        if target.level == "ward" and measure.ward_measure_id:
            measure_id = measure.ward_measure_id
        numerator, denominator = shown_counts(measure, result, 0, target.exact)
        value = result.value[0]
        if not target.exact and not measure.is_statistic:
            if measure.denominator == "none":
                value = numerator
            else:
                bed_days = denominator if measure.denominator == "bed_days" else None
                value = suppress_rate(value, result.numerator[0], bed_days)
        for index, label in enumerate(span.labels):
            rows.append(
                [
                    group.code,
                    group.name,
                    str(target.level),
                    label,
                    measure.name,
                    measure_id,
                    _number(numerator[index]),
                    None if denominator is None else _number(denominator[index]),
                    _number(value[index]),
                    figures,
                ]
            )
    return rows


def _number(value: float) -> float | int | None:
    if value is None or np.isnan(value):
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 6)
