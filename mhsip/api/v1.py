"""The JSON API, version 1: measures, SPC results and use-of-force records, as the pages show them.

Every call carries `Authorization: Bearer <token>` and acts as the token's person, through the
same checks as the pages: `mhsip.authorization` decides what they see, the dashboards'
`resolve_target` whether figures are exact or suppressed, and patient-level records come only
from wards where they have PATIENT_DATA_VIEW, each page of them audited as the record pages are.

The OpenAPI description is at `openapi.json`. Django Ninja's interactive docs page is switched
off: it loads Swagger UI from a CDN, which our Content-Security-Policy (`script-src 'self'`)
blocks. See docs/api.md.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import numpy as np
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.security import HttpBearer

from mhsip.api.services import api_token_authenticate
from mhsip.authorization.checks import has_permission, organisations_where, wards_where
from mhsip.authorization.permissions import Permission
from mhsip.dashboards import presenters
from mhsip.dashboards.queries import Level, computed_measures, data_range, measure_rows
from mhsip.incidents.models import UseOfForceRecord
from mhsip.incidents.queries import records_visible_to
from mhsip.incidents.services import record_viewed, records_listed
from mhsip.measures import load_catalogue, periods
from mhsip.organisations.models import Organisation, Ward
from mhsip.patients.presenters import make_age_band

SEE_FIGURES = (Permission.AGGREGATE_VIEW, Permission.SUPPRESSED_AGGREGATE_VIEW)
#: Records per page: one page is one audit event, so pages are large but bounded.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class BearerToken(HttpBearer):
    """`Authorization: Bearer mhsip_…`: the call acts as the token's person."""

    def authenticate(self, request: HttpRequest, token: str):
        found = api_token_authenticate(token)
        if found is None:
            return None
        # Everything below (permission checks, audit events) reads request.user, as pages do.
        request.user = found.user
        return found


class MhsipApi(NinjaAPI):
    """Django Ninja's API, mounted inside the `api` app's namespace (`api:api-v1:...`), which
    Ninja's own reverse of its root (for the OpenAPI paths) does not know about."""

    def get_root_path(self, path_params: dict[str, Any]) -> str:
        return reverse(f"api:{self.urls_namespace}:api-root", kwargs=path_params)


api = MhsipApi(
    title="mhsip API",
    version="1",
    description=(
        "Measures, SPC results and use-of-force records of the Mental Health Safety "
        "Improvement Programme, with the same permissions as the pages. Authenticate with "
        "`Authorization: Bearer <token>`; make a token on the API tokens page."
    ),
    auth=BearerToken(),
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, error: PermissionDenied):
    return api.create_response(request, {"detail": str(error) or "Forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404):
    return api.create_response(request, {"detail": str(error) or "Not found"}, status=404)


# --- Schemas ---------------------------------------------------------------------------------


class Error(Schema):
    detail: Any


class OrganisationOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    #: "exact" inside the provider that owns the figures; "suppressed" otherwise.
    figures: Literal["exact", "suppressed"]


class WardOut(Schema):
    code: str
    name: str
    provider: str
    provider_name: str
    ward_type: str
    beds: int
    figures: Literal["exact", "suppressed"]
    #: Whether the person may list this ward's use-of-force records.
    records: bool


class MeasureRowOut(Schema):
    level: str
    organisation: str
    period: str
    measure: str
    measure_id: str | None
    numerator: float | None
    denominator: float | None
    value: float | None


class MeasuresOut(Schema):
    level: str
    code: str
    name: str
    figures: Literal["exact", "suppressed"]
    rows: list[MeasureRowOut]


class SpcPointOut(Schema):
    date: str
    value: float | None
    numerator: float | None = None
    denominator: float | None
    centre: float | None
    lower: float | None
    upper: float | None
    lower_2sigma: float | None
    upper_2sigma: float | None
    phase: int
    outside_limits: bool
    shift: bool
    trend: bool
    two_in_three: bool
    special_cause: bool
    point_type: str | None
    excluded: bool


class SpcPhaseOut(Schema):
    start: str
    centre: float | None
    points: int
    useful_points: int
    longest_run: float | None
    longest_run_max: float | None
    crossings: float | None
    crossings_min: float | None
    runs_signal: bool
    warnings: list[str]
    phase: int


class SpcOut(Schema):
    level: str
    code: str
    name: str
    measure: str
    measure_name: str
    figures: Literal["exact", "suppressed"]
    chart: str
    improvement: str
    variation: str | None
    assurance: str | None
    target: float | None
    limits: str
    limits_note: str
    narrative: list[str]
    phases: list[SpcPhaseOut]
    points: list[SpcPointOut]


class InterventionOut(Schema):
    type_code: str
    type: str
    started_at: datetime | None
    ended_at: datetime | None
    duration_minutes: int | None


class RecordOut(Schema):
    id: int
    reference: str
    ward: str
    status: str
    #: The patient's made-up name (never their real name, NHS number or hospital number).
    patient_alias: str
    patient_age_band: str | None
    place: str
    reason: str
    started_at: datetime | None
    ended_at: datetime | None
    duration_minutes: int | None
    part_of_care_plan: str
    patient_injured: str
    staff_injured: str
    others_injured: str
    death_or_serious_injury: str
    review_offered: str
    review_held: str
    staff_involved: int
    interventions: list[InterventionOut]
    version: int
    completed_at: datetime | None


class RecordPageOut(Schema):
    ward: str
    page: int
    pages: int
    count: int
    page_size: int
    records: list[RecordOut]


# --- Helpers ---------------------------------------------------------------------------------


def _figures(exact: bool) -> str:
    return "exact" if exact else "suppressed"


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    value = float(value)
    if np.isnan(value):
        return None
    return int(value) if value.is_integer() else round(value, 6)


def suppressed_measure_rows(
    target: presenters.Target, *, first: date | None, last: date | None, period: str
) -> list[dict[str, Any]]:
    """`measure_rows` for one target, as someone outside the owning provider may see them:
    counts through the dashboards' `shown_counts` (under 5 hidden, others rounded to 5, rates on
    under 100 bed days hidden) and values recomputed from what is shown."""
    group = target.group
    start, end = data_range([group])
    span = periods(period, first or start, last or end)
    rows = []
    for result in computed_measures([group], span):
        measure = result.measure
        measure_id = measure.measure_id
        if target.level is Level.WARD and measure.ward_measure_id:
            measure_id = measure.ward_measure_id
        numerator, denominator = presenters.shown_counts(measure, result, 0, exact=False)
        if measure.is_statistic:
            value = result.value[0]
        elif denominator is not None and measure.denominator != "none":
            with np.errstate(invalid="ignore", divide="ignore"):
                value = np.where(
                    denominator > 0, numerator / denominator * measure.multiplier, np.nan
                )
        else:
            value = numerator
        for p, label in enumerate(span.labels):
            rows.append(
                {
                    "level": target.level.value,
                    "organisation": group.code,
                    "period": label,
                    "measure": measure.id,
                    "measure_id": measure_id,
                    "numerator": _number(numerator[p]),
                    "denominator": None if denominator is None else _number(denominator[p]),
                    "value": _number(value[p]),
                }
            )
    return rows


def _record(record: UseOfForceRecord) -> dict[str, Any]:
    on = timezone.localtime(record.started_at).date() if record.started_at else None
    return {
        "id": record.pk,
        "reference": record.reference,
        "ward": record.ward.code,
        "status": record.status,
        "patient_alias": record.patient.alias,
        "patient_age_band": make_age_band(record.patient, on) if on else None,
        "place": record.get_place_display() if record.place else "",
        "reason": record.get_reason_display() if record.reason else "",
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "duration_minutes": record.duration_minutes,
        "part_of_care_plan": record.part_of_care_plan,
        "patient_injured": record.patient_injured,
        "staff_injured": record.staff_injured,
        "others_injured": record.others_injured,
        "death_or_serious_injury": record.death_or_serious_injury,
        "review_offered": record.review_offered,
        "review_held": record.review_held,
        "staff_involved": len(record.staff.all()),
        "interventions": [
            {
                "type_code": i.type_code,
                "type": i.get_type_code_display(),
                "started_at": i.started_at,
                "ended_at": i.ended_at,
                "duration_minutes": i.duration_minutes,
            }
            for i in record.interventions.all()
        ],
        "version": record.version,
        "completed_at": record.completed_at,
    }


# --- Endpoints -------------------------------------------------------------------------------


@api.get("/organisations", response=list[OrganisationOut], tags=["places"])
def organisations(request: HttpRequest):
    """Networks, providers and sites whose figures the person may see."""
    exact = set(organisations_where(request.user, Permission.AGGREGATE_VIEW))
    found = exact | set(organisations_where(request.user, Permission.SUPPRESSED_AGGREGATE_VIEW))
    parents = {o.parent_id for o in found if o.parent_id}
    codes = dict(Organisation.objects.filter(pk__in=parents).values_list("pk", "code"))
    return [
        {
            "code": o.code,
            "name": o.name,
            "kind": o.kind,
            "parent": codes.get(o.parent_id),
            "figures": _figures(o in exact),
        }
        for o in sorted(found, key=lambda o: (o.kind, o.name))
    ]


@api.get("/wards", response=list[WardOut], tags=["places"])
def wards(request: HttpRequest):
    """Wards whose figures the person may see, and whether they may list their records."""
    exact = set(wards_where(request.user, Permission.AGGREGATE_VIEW))
    found = exact | set(wards_where(request.user, Permission.SUPPRESSED_AGGREGATE_VIEW))
    with_records = set(wards_where(request.user, Permission.PATIENT_DATA_VIEW))
    found = Ward.objects.filter(pk__in=[w.pk for w in found]).select_related("site__parent")
    return [
        {
            "code": w.code,
            "name": w.name,
            "provider": w.provider.code,
            "provider_name": w.provider.name,
            "ward_type": w.ward_type,
            "beds": w.beds,
            "figures": _figures(w in exact),
            "records": w in with_records,
        }
        for w in sorted(found, key=lambda w: (w.provider.name, w.name))
    ]


class MeasuresQuery(Schema):
    first: date | None = None
    last: date | None = None
    period: Literal["month", "week"] = "month"


@api.get(
    "/measures/{level}/{code}",
    response={200: MeasuresOut, 403: Error, 404: Error},
    tags=["measures"],
)
def measures(
    request: HttpRequest,
    level: Literal["ward", "provider", "network"],
    code: str,
    query: Query[MeasuresQuery],
):
    """Every measure of a ward, provider or network, period by period: the rows of
    `mhsip measures`, suppressed as the dashboards suppress them outside the owning provider."""
    target = presenters.resolve_target(request.user, level, code)
    if target.exact:
        rows = measure_rows(
            target.level,
            organisation=target.code,
            first=query.first,
            last=query.last,
            period=query.period,
        )
    else:
        rows = suppressed_measure_rows(
            target, first=query.first, last=query.last, period=query.period
        )
    return {
        "level": target.level.value,
        "code": target.code,
        "name": target.name,
        "figures": _figures(target.exact),
        "rows": rows,
    }


@api.get(
    "/measures/{level}/{code}/{measure}/spc",
    response={200: SpcOut, 403: Error, 404: Error},
    tags=["measures"],
)
def spc(
    request: HttpRequest,
    level: Literal["ward", "provider", "network"],
    code: str,
    measure: str,
    limits: Literal["baseline", "joined", "all"] | None = None,
):
    """The SPC chart of one measure as its dashboard page computes it: the last 36 months, the
    same limits (baseline, joined or all), point types, variation and assurance."""
    target = presenters.resolve_target(request.user, level, code)
    if measure not in load_catalogue():
        raise Http404(f"No measure {measure!r}")
    page = presenters.make_measure_page(target, measure, limits)
    chart = page.chart
    return {
        "level": target.level.value,
        "code": target.code,
        "name": target.name,
        "measure": page.measure.id,
        "measure_name": page.measure.name,
        "figures": _figures(target.exact),
        "chart": chart["chart"],
        "improvement": chart["improvement"],
        "variation": chart["variation"],
        "assurance": chart["assurance"],
        "target": chart["target"],
        "limits": page.limits.value,
        "limits_note": page.limits_note,
        "narrative": page.narrative,
        "phases": chart["phases"],
        "points": chart["points"],
    }


@api.get(
    "/wards/{code}/records",
    response={200: RecordPageOut, 403: Error, 404: Error},
    tags=["records"],
)
def ward_records(request: HttpRequest, code: str, page: int = 1, page_size: int = PAGE_SIZE):
    """A ward's use-of-force records, most recent first, pseudonymised (the patient's made-up
    name, never an identifier; no free text or staff names). Only for wards where the person
    sees patient-level data; each page is written to the audit log."""
    ward = get_object_or_404(Ward.objects.select_related("site__parent"), code=code)
    if not has_permission(request.user, Permission.PATIENT_DATA_VIEW, ward=ward):
        raise PermissionDenied("You cannot see patient-level records on this ward.")
    size = max(1, min(page_size, MAX_PAGE_SIZE))
    records = records_visible_to(request.user).filter(ward=ward)
    records = records.prefetch_related("interventions", "staff")
    paginator = Paginator(records, size)
    try:
        shown = paginator.page(page)
    except EmptyPage:
        raise Http404(f"There is no page {page}") from None
    records_listed(by=request.user, ward=ward, page=shown.number)
    return {
        "ward": ward.code,
        "page": shown.number,
        "pages": paginator.num_pages,
        "count": paginator.count,
        "page_size": size,
        "records": [_record(r) for r in shown.object_list],
    }


@api.get("/records/{record_id}", response={200: RecordOut, 404: Error}, tags=["records"])
def record_detail(request: HttpRequest, record_id: int):
    """One use-of-force record, pseudonymised; audited as a view of the record page is. A
    record outside the person's wards is 404, as on the page."""
    record = get_object_or_404(
        records_visible_to(request.user).prefetch_related("interventions", "staff"),
        pk=record_id,
    )
    record_viewed(by=request.user, record=record)
    return _record(record)


__all__ = ["api"]
