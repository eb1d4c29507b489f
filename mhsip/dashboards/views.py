"""Dashboard pages: thin views over `presenters`; every figure goes through `resolve_target`,
which decides whether the viewer sees exact or suppressed figures, or nothing."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from mhsip.authorization.checks import has_permission, organisations_where, wards_where
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.charts.render import chart_svg_with_icons, render_png
from mhsip.charts.spc import build_spc_chart_spec
from mhsip.dashboards import presenters
from mhsip.dashboards.forms import TeamValuesForm, WardAimForm
from mhsip.dashboards.models import TeamEnteredValue, WardAim
from mhsip.dashboards.services import team_values_enter, ward_aim_update
from mhsip.measures import load_catalogue
from mhsip.organisations.models import OrganisationKind
from mhsip.web.forms import form_errors

SEE_FIGURES = (Permission.AGGREGATE_VIEW, Permission.SUPPRESSED_AGGREGATE_VIEW)


@login_required
@require_GET
def dashboard_index(request: HttpRequest) -> HttpResponse:
    wards, organisations = set(), set()
    for permission in SEE_FIGURES:
        wards |= set(wards_where(request.user, permission).select_related("site__parent"))
        organisations |= set(organisations_where(request.user, permission))
    providers = sorted(
        (o for o in organisations if o.kind == OrganisationKind.PROVIDER), key=lambda o: o.name
    )
    networks = sorted(
        (o for o in organisations if o.kind == OrganisationKind.NETWORK), key=lambda o: o.name
    )
    return render(
        request,
        "dashboards/index.html",
        {
            "wards": sorted(wards, key=lambda w: (w.provider.name, w.name)),
            "providers": providers,
            "networks": networks,
        },
    )


@login_required
@require_GET
def dashboard_summary(request: HttpRequest, level: str, code: str) -> HttpResponse:
    target = presenters.resolve_target(request.user, level, code)
    summary = presenters.cached_summary(target)
    return render(
        request,
        "dashboards/summary.html",
        {
            "summary": summary,
            "target": target,
            "may_set_aim": _may(request, Permission.AIM_MANAGE, target),
            "may_enter_values": _may(request, Permission.MEASURE_VALUES_ENTER, target),
            "main_measure": presenters.MAIN_MEASURE,
        },
    )


def _may(request: HttpRequest, permission: Permission, target: presenters.Target) -> bool:
    """Ward-level actions (setting the aim, entering figures) for a ward's dashboard only."""
    return target.ward is not None and has_permission(request.user, permission, ward=target.ward)


def _page(request: HttpRequest, level: str, code: str, measure: str) -> presenters.MeasurePage:
    target = presenters.resolve_target(request.user, level, code)
    period = "week" if request.GET.get("period") == "week" else "month"
    span = presenters.dashboard_span(kind=period)
    return presenters.make_measure_page(target, measure, request.GET.get("limits"), span)


def _spec(page: presenters.MeasurePage, **size) -> dict:
    return build_spc_chart_spec(
        page.chart,
        title=f"{page.measure.name}: {page.target.name}",
        y_title=page.measure.name if len(page.measure.name) < 60 else None,
        annotations=page.annotations,
        **size,
    )


@login_required
@require_GET
def measure_detail(request: HttpRequest, level: str, code: str, measure: str) -> HttpResponse:
    page = _page(request, level, code, measure)
    spec = _spec(page, width=720, height=320)
    may_set_aim = _may(request, Permission.AIM_MANAGE, page.target)
    return render(
        request,
        "dashboards/measure.html",
        {
            "page": page,
            "target": page.target,
            "spec": spec,
            "rows": list(zip(page.span.labels, page.chart["points"], strict=True)),
            "limits_choices": [
                (presenters.Limits.BASELINE, "From the baseline"),
                (presenters.Limits.JOINED, "Recalculated when the ward joined"),
                (presenters.Limits.ALL, "One set for all months"),
            ],
            "may_set_aim": may_set_aim,
            "period_choices": [("month", "Months"), ("week", "Weeks")],
        },
    )


@login_required
@require_GET
def measure_download(
    request: HttpRequest, level: str, code: str, measure: str, fmt: str
) -> HttpResponse:
    page = _page(request, level, code, measure)
    filename = f"{page.target.code}-{page.measure.id}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        writer.writerows(presenters.chart_csv_rows(page))
        return response
    if fmt == "svg":
        svg = chart_svg_with_icons(
            page.chart,
            title=f"{page.measure.name}: {page.target.name}",
            annotations=page.annotations,
        )
        response = HttpResponse(svg, content_type="image/svg+xml")
    else:
        png = render_png(_spec(page, width=900, height=360))
        response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def ward_aim_edit(request: HttpRequest, code: str) -> HttpResponse:
    target = presenters.resolve_target(request.user, "ward", code)
    require_permission(request.user, Permission.AIM_MANAGE, ward=target.ward)
    span = presenters.dashboard_span()
    settings = presenters.target_aim_settings(target, span)
    months = [(label, date.fromisoformat(label + "-01").strftime("%B %Y")) for label in span.labels]
    aim = WardAim.objects.filter(ward=target.ward).first()
    initial = {
        "baseline_start": span.labels[settings.baseline.start],
        "baseline_end": span.labels[min(settings.baseline.stop, len(span)) - 1],
        "reduction_percent": settings.reduction_percent,
        "joined_programme_on": aim.joined_programme_on if aim else None,
        "aim_by": aim.aim_by if aim else None,
    }
    form = WardAimForm(request.POST or None, initial=initial, months=months)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ward_aim_update(
                by=request.user,
                ward=target.ward,
                baseline_start=date.fromisoformat(data["baseline_start"] + "-01"),
                baseline_end=date.fromisoformat(data["baseline_end"] + "-01"),
                reduction_percent=data["reduction_percent"],
                joined_programme_on=data["joined_programme_on"],
                aim_by=data["aim_by"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            url = reverse("dashboards:measure", args=["ward", code, presenters.MAIN_MEASURE])
            return redirect(url)
    return render(
        request,
        "dashboards/aim_form.html",
        {
            "form": form,
            "target": target,
            "errors": form_errors(form),
        },
    )


@login_required
def team_values(request: HttpRequest, code: str) -> HttpResponse:
    """Enter one month's values of the measures whose data lives outside mhsip."""
    target = presenters.resolve_target(request.user, "ward", code)
    require_permission(request.user, Permission.MEASURE_VALUES_ENTER, ward=target.ward)
    measures = [m for m in load_catalogue().values() if m.is_team_entered]
    span = presenters.dashboard_span()
    labels = list(reversed(span.labels[-12:]))
    months = [(label, date.fromisoformat(label + "-01").strftime("%B %Y")) for label in labels]
    month = request.POST.get("month") or request.GET.get("month") or labels[0]
    if month not in labels:
        month = labels[0]
    saved = {
        v.measure: v
        for v in TeamEnteredValue.objects.filter(
            ward=target.ward, month=date.fromisoformat(month + "-01")
        )
    }
    initial = {"month": month}
    for measure_id, value in saved.items():
        initial[f"{measure_id}__numerator"] = value.numerator
        initial[f"{measure_id}__denominator"] = value.denominator
    form = TeamValuesForm(request.POST or None, initial=initial, months=months, measures=measures)
    if request.method == "POST" and form.is_valid():
        try:
            team_values_enter(
                by=request.user,
                ward=target.ward,
                month=date.fromisoformat(form.cleaned_data["month"] + "-01"),
                values=form.values(),
            )
        except ValidationError as error:
            for measure_id, messages in error.message_dict.items():
                form.add_error(f"{measure_id}__numerator", messages)
        else:
            return redirect(
                reverse("dashboards:summary", args=["ward", code]) + "#process-measures"
            )
    return render(
        request,
        "dashboards/team_values.html",
        {
            "form": form,
            "target": target,
            "errors": form_errors(form),
            "measure_fields": [
                (
                    m,
                    form[f"{m.id}__numerator"],
                    form[f"{m.id}__denominator"] if f"{m.id}__denominator" in form.fields else None,
                )
                for m in measures
            ],
        },
    )
