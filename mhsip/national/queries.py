"""Reads of national statistics. Published figures are public: no scoping by organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from mhsip.authorization.checks import organisations_where
from mhsip.authorization.permissions import Permission
from mhsip.national.models import PublishedFigure, PublishedProvider
from mhsip.national.published import PublishedMeasure
from mhsip.organisations.models import OrganisationKind


def months_published(measure: PublishedMeasure = PublishedMeasure.PEOPLE_RESTRAINED) -> list[date]:
    return sorted(
        set(PublishedFigure.objects.filter(measure=measure).values_list("period", flat=True))
    )


@dataclass(frozen=True)
class ProviderMonth:
    """One published provider's figures for one month, as published (None: no row)."""

    provider_id: int
    name: str
    organisation_id: int | None
    people_restrained: int | None
    restrained_suppressed: bool
    restrained_row: bool
    bed_days: int | None
    bed_days_suppressed: bool
    bed_days_row: bool


def provider_months(periods: list[date]) -> dict[date, list[ProviderMonth]]:
    """Every provider with an MHS76 or bed-days row in each month, with both figures."""
    wanted = [PublishedMeasure.PEOPLE_RESTRAINED, PublishedMeasure.BED_DAYS]
    figures = PublishedFigure.objects.filter(period__in=periods, measure__in=wanted).values_list(
        "period",
        "provider_id",
        "provider__name",
        "provider__organisation_id",
        "measure",
        "value",
        "suppressed",
    )
    found: dict[tuple[date, int], dict] = {}
    for period, provider, name, organisation, measure, value, suppressed in figures:
        row = found.setdefault(
            (period, provider), {"name": name, "organisation": organisation, "figures": {}}
        )
        row["figures"][measure] = (value, suppressed)
    months: dict[date, list[ProviderMonth]] = {p: [] for p in periods}
    for (period, provider), row in found.items():
        restrained = row["figures"].get(PublishedMeasure.PEOPLE_RESTRAINED.value)
        beds = row["figures"].get(PublishedMeasure.BED_DAYS.value)
        months[period].append(
            ProviderMonth(
                provider_id=provider,
                name=row["name"],
                organisation_id=row["organisation"],
                people_restrained=restrained[0] if restrained else None,
                restrained_suppressed=bool(restrained and restrained[1]),
                restrained_row=restrained is not None,
                bed_days=beds[0] if beds else None,
                bed_days_suppressed=bool(beds and beds[1]),
                bed_days_row=beds is not None,
            )
        )
    for rows in months.values():
        rows.sort(key=lambda r: r.name)
    return months


def detention_totals() -> list[tuple[date, str, int, int]]:
    """(month, measure, Σ published value, suppressed rows) of the detention measures: the
    Jan–May 2022 files count people subject to the Act instead, kept apart."""
    measures = [PublishedMeasure.PEOPLE_DETAINED_END, PublishedMeasure.PEOPLE_UNDER_MHA_END]
    totals: dict[tuple[date, str], list[int]] = {}
    for period, measure, value, suppressed in PublishedFigure.objects.filter(
        measure__in=measures
    ).values_list("period", "measure", "value", "suppressed"):
        total = totals.setdefault((period, measure), [0, 0])
        if suppressed:
            total[1] += 1
        else:
            total[0] += value
    return [(p, m, t[0], t[1]) for (p, m), t in sorted(totals.items())]


def own_provider_ids(user) -> set[int]:
    """The providers whose figures the person sees in mhsip (exact or suppressed): the ones
    highlighted on the national funnel."""
    ids: set[int] = set()
    for permission in (Permission.AGGREGATE_VIEW, Permission.SUPPRESSED_AGGREGATE_VIEW):
        ids |= set(
            organisations_where(user, permission)
            .filter(kind=OrganisationKind.PROVIDER)
            .values_list("id", flat=True)
        )
    return ids


def published_providers(search: str = "", unmatched_only: bool = False) -> QuerySet:
    providers = PublishedProvider.objects.select_related("organisation")
    if search:
        providers = providers.filter(
            Q(name__icontains=search) | Q(organisation__name__icontains=search)
        )
    if unmatched_only:
        providers = providers.filter(organisation__isnull=True)
    return providers
