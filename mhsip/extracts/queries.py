"""Reading stored MHSDS submissions: which wards and providers are MHSDS-sourced, their
figures as measure arrays, and past imports.

A provider is MHSDS-sourced when it has a stored submission; its wards are too. For them,
`mhsip measures` and the dashboards show NHS Digital's figures (`substitute_mhsds_figures`),
not figures computed from mhsip's own records.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
from django.db.models import Min

from mhsip.extracts.models import Submission, SubmissionFigure
from mhsip.imports.models import ImportKind, ImportRun
from mhsip.measures import MeasureValues, Periods
from mhsip.measures.periods import PeriodKind
from mhsip.mhsds.tables import PHYSICAL_RESTRAINT_TYPES
from mhsip.organisations.models import Ward

#: Our measures NHS Digital publishes, and how each is made from a provider's or ward's
#: figures: (numerator, denominator or None). Minutes are handled apart.
MHSDS_MEASURES = {
    "restrictive_interventions": ("interventions", "bed_days"),  # MHS96 / MHS117
    "restrictive_interventions_count": ("interventions", None),  # MHS77
    "incidents_count": ("incidents", None),  # MHS136
    "people_restrained": ("people_restrained", None),  # MHS76
    "percent_restrained": ("people_restrained", "people_in_hospital"),  # MHS97
}
MINUTES_MEASURES = {"restraint_minutes_mean": "mean", "restraint_minutes_max": "max"}
#: NHS Digital publishes only these at the ward's (site's) level.
WARD_LEVEL_MEASURES = {
    "restrictive_interventions",
    "restrictive_interventions_count",
    "incidents_count",
    "people_restrained",
}


def mhsds_provider_ids() -> set[int]:
    return set(Submission.objects.values_list("provider_id", flat=True).distinct())


def first_submitted_month(ward_ids) -> date | None:
    """The first month with a stored submission for the providers of these wards."""
    providers = Ward.objects.filter(pk__in=list(ward_ids)).values_list("site__parent_id")
    return Submission.objects.filter(provider__in=providers).aggregate(first=Min("month"))["first"]


class _Series:
    """A provider's or ward's figures month by month: NaN where no file was sent."""

    def __init__(self, n: int):
        self.sent = np.zeros(n, dtype=bool)
        self.values = {
            name: np.zeros(n)
            for name in ("interventions", "incidents", "people_restrained", "bed_days")
        }
        self.values["people_in_hospital"] = np.zeros(n)
        self.minutes: list[list[float]] = [[] for _ in range(n)]

    def get(self, name: str) -> np.ndarray:
        return np.where(self.sent, self.values[name], np.nan)


def _series(provider_ids: set[int], span: Periods) -> tuple[dict[int, _Series], dict[int, _Series]]:
    """Figures by provider id and by ward id over the span's months."""
    index = {label: i for i, label in enumerate(span.labels)}
    n = len(span)
    providers: dict[int, _Series] = {}
    wards: dict[int, _Series] = {}
    submissions = Submission.objects.filter(provider__in=provider_ids)
    sent = {}
    for pk, provider, month in submissions.values_list("pk", "provider_id", "month"):
        column = index.get(month.strftime("%Y-%m"))
        if column is not None:
            sent[pk] = (provider, column)
            providers.setdefault(provider, _Series(n)).sent[column] = True
    ward_providers = dict(
        Ward.objects.filter(site__parent__in=provider_ids).values_list("pk", "site__parent_id")
    )
    for ward, provider in ward_providers.items():
        series = wards.setdefault(ward, _Series(n))
        if provider in providers:
            series.sent[:] = providers[provider].sent
    for row in SubmissionFigure.objects.filter(submission__in=list(sent)).values(
        "submission_id",
        "ward_id",
        "interventions",
        "incidents",
        "people_restrained",
        "bed_days",
        "people_in_hospital",
        "minutes_by_type",
    ):
        provider, column = sent[row["submission_id"]]
        if row["ward_id"] is None:
            series = providers[provider]
            series.minutes[column] = [
                m
                for code, values in row["minutes_by_type"].items()
                if code in PHYSICAL_RESTRAINT_TYPES
                for m in values
            ]
        else:
            series = wards.setdefault(row["ward_id"], _Series(n))
            series.sent[column] = True
        for name, values in series.values.items():
            values[column] = row[name] or 0
    return providers, wards


def _combine(parts: list[_Series], n: int) -> _Series:
    total = _Series(n)
    for part in parts:
        total.sent |= part.sent
        for name, values in total.values.items():
            values += np.where(part.sent, part.values[name], 0)
        for column in range(n):
            total.minutes[column] = total.minutes[column] + part.minutes[column]
    return total


def _minutes(series: _Series, how: str) -> np.ndarray:
    values = [(np.mean(m) if how == "mean" else np.max(m)) if m else np.nan for m in series.minutes]
    return np.where(series.sent, np.asarray(values, dtype=float), np.nan)


def substitute_mhsds_figures(
    groups: list, span: Periods, results: list[MeasureValues]
) -> list[MeasureValues]:
    """`results` (computed from mhsip's records) with NHS Digital's figures for MHSDS-sourced
    groups: the measures NHS Digital publishes from the stored submissions, null for the rest
    (except team-entered measures), and null for weeks (MHSDS is monthly).

    A network's figure is the sum of its providers' numerators and denominators (minutes: over
    all their complete restraints); in a network that also has wards recording in mhsip, the
    two are added, and a mean of minutes is left empty where both have values.
    """
    provider_ids = mhsds_provider_ids()
    if not provider_ids or not groups:
        return results
    ward_ids = {w for g in groups for w in g.ward_ids}
    provider_of = dict(Ward.objects.filter(pk__in=ward_ids).values_list("pk", "site__parent_id"))
    sourced = {}
    for g, group in enumerate(groups):
        providers = {provider_of[w] for w in group.ward_ids} & provider_ids
        if providers:
            own = [w for w in group.ward_ids if provider_of[w] not in provider_ids]
            sourced[g] = (providers, bool(own))
    if not sourced:
        return results
    n = len(span)
    if span.kind is PeriodKind.MONTH:
        providers, wards = _series(set().union(*(p for p, _ in sourced.values())), span)
    else:
        providers, wards = {}, {}

    out = []
    for result in results:
        numerator = result.numerator.astype(float).copy()
        denominator = None if result.denominator is None else result.denominator.astype(float)
        denominator = None if denominator is None else denominator.copy()
        value = result.value.astype(float).copy()
        measure = result.measure
        for g, (provider_set, mixed) in sourced.items():
            group = groups[g]
            level = getattr(group.level, "value", group.level)
            if level == "ward":
                series = wards.get(group.ward_ids[0]) or _Series(n)
                published = measure.id in WARD_LEVEL_MEASURES
            else:
                series = _combine([providers[p] for p in provider_set if p in providers], n)
                published = measure.id in MHSDS_MEASURES or measure.id in MINUTES_MEASURES
            if measure.is_team_entered:
                continue
            if not published:
                if not mixed:
                    numerator[g] = np.nan
                    value[g] = np.nan
                    if denominator is not None:
                        denominator[g] = np.nan
                continue
            if measure.id in MINUTES_MEASURES:
                how = MINUTES_MEASURES[measure.id]
                figure = _minutes(series, how)
                if mixed:
                    both = ~np.isnan(figure) & ~np.isnan(value[g])
                    merged = (
                        np.fmax(figure, value[g])
                        if how == "max"
                        else np.where(both, np.nan, np.where(np.isnan(figure), value[g], figure))
                    )
                    figure = merged
                numerator[g] = figure
                value[g] = figure
                continue
            top, bottom = MHSDS_MEASURES[measure.id]
            if level == "ward" and measure.id == "restrictive_interventions":
                bottom = "bed_days"  # MHSXXa, for MHS117
            top_values = series.get(top)
            bottom_values = None if bottom is None else series.get(bottom)
            if mixed:
                top_values = np.where(
                    np.isnan(top_values), numerator[g], np.nan_to_num(numerator[g]) + top_values
                )
                if bottom_values is not None and denominator is not None:
                    bottom_values = np.where(
                        np.isnan(bottom_values),
                        denominator[g],
                        np.nan_to_num(denominator[g]) + bottom_values,
                    )
            numerator[g] = top_values
            if bottom_values is None:
                value[g] = top_values
            else:
                if denominator is not None:
                    denominator[g] = bottom_values
                with np.errstate(divide="ignore", invalid="ignore"):
                    rate = top_values / bottom_values * measure.multiplier
                value[g] = np.where(bottom_values > 0, rate, np.nan)
        out.append(replace(result, numerator=numerator, denominator=denominator, value=value))
    return out


def mhsds_imports_for(provider_codes: set[str] | None):
    """Past MHSDS imports: all (provider_codes None) or those started for these providers."""
    runs = ImportRun.objects.filter(kind=ImportKind.MHSDS).select_related("organisation")
    if provider_codes is not None:
        runs = runs.filter(organisation__code__in=provider_codes)
    return runs


def submissions_version(ward_ids) -> str:
    """Changes when a submission of these wards' providers is stored, replaced or deleted, so
    cached dashboards of MHSDS-sourced wards are recomputed after an import."""
    from django.db.models import Count, Max

    providers = Ward.objects.filter(pk__in=list(ward_ids)).values_list("site__parent_id")
    found = Submission.objects.filter(provider__in=providers).aggregate(
        m=Max("id"), n=Count("id"), u=Max("imported_at")
    )
    return f"{found['m']}:{found['n']}:{found['u']}"
