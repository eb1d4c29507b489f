"""Reports and downloads: the monthly board report, the Use of Force Act's annual statistics,
and data downloads. Thin views: `board`, `statistics` and `queries` build the content, and every
figure passes through the dashboards' `resolve_target` or the permission checks here."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from mhsip.authorization.checks import has_permission, organisations_where, wards_where
from mhsip.authorization.decorators import require_patient_data_access
from mhsip.authorization.permissions import Permission
from mhsip.dashboards import presenters
from mhsip.organisations.models import Organisation, OrganisationKind
from mhsip.reports import board, queries, services, statistics
from mhsip.reports.forms import NarrativeForm, RecordsDownloadForm
from mhsip.reports.pdf import PdfUnavailable, render_pdf
from mhsip.reports.tabular import FORMATS, table_response
from mhsip.web.forms import form_errors

SEE_FIGURES = (Permission.AGGREGATE_VIEW, Permission.SUPPRESSED_AGGREGATE_VIEW)


@login_required
@require_GET
def reports_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    wards, organisations = set(), set()
    for permission in SEE_FIGURES:
        wards |= set(wards_where(user, permission).select_related("site__parent"))
        organisations |= set(organisations_where(user, permission))
    statistics_providers = {
        o
        for permission in (Permission.AGGREGATE_VIEW, Permission.REPORT_WRITE)
        for o in organisations_where(user, permission)
        if o.kind == OrganisationKind.PROVIDER
    }
    return render(
        request,
        "reports/index.html",
        {
            "wards": sorted(wards, key=lambda w: (w.provider.name, w.name)),
            "providers": sorted(
                (o for o in organisations if o.kind == OrganisationKind.PROVIDER),
                key=lambda o: o.name,
            ),
            "networks": sorted(
                (o for o in organisations if o.kind == OrganisationKind.NETWORK),
                key=lambda o: o.name,
            ),
            "statistics_providers": sorted(statistics_providers, key=lambda o: o.name),
            "may_download_records": has_permission(user, Permission.PATIENT_DATA_VIEW),
        },
    )


# --- The monthly board report ------------------------------------------------------------------


def _report_month(request: HttpRequest) -> date:
    month = board.parse_month(request.POST.get("month") or request.GET.get("month"))
    if month is None:
        raise Http404("Reports are for one of the last 24 complete months")
    return month


def _may_write(user, target: presenters.Target) -> bool:
    about = {"ward": target.ward} if target.ward else {"organisation": target.organisation}
    return has_permission(user, Permission.REPORT_WRITE, **about)


@login_required
def board_report(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """Write the month's narrative, preview the report, and download it as PDF."""
    target = presenters.resolve_target(request.user, level, code)
    month = _report_month(request)
    may_write = _may_write(request.user, target)
    narrative = board.narrative_for(target, month)
    form = NarrativeForm(
        request.POST or None, initial={"text": narrative.text if narrative else ""}
    )
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied("You do not have permission to write the board report.")
        if form.is_valid():
            try:
                services.board_report_narrative_save(
                    by=request.user,
                    month=month,
                    text=form.cleaned_data["text"],
                    ward=target.ward,
                    organisation=target.organisation,
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                url = reverse("reports:board", args=[level, code])
                return redirect(f"{url}?month={month:%Y-%m}#preview")
    return render(
        request,
        "reports/board.html",
        {
            "target": target,
            "month": month,
            "months": board.months_offered(),
            "form": form,
            "errors": form_errors(form),
            "may_write": may_write,
            "report": board.make_board_report(target, month),
        },
    )


@login_required
@require_GET
def board_report_pdf(request: HttpRequest, level: str, code: str) -> HttpResponse:
    target = presenters.resolve_target(request.user, level, code)
    month = _report_month(request)
    try:
        pdf = board.board_report_pdf(target, month)
    except PdfUnavailable as error:
        return _no_pdf(request, error)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"board-report-{target.code}-{month:%Y-%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _no_pdf(request: HttpRequest, error: PdfUnavailable) -> HttpResponse:
    """Say plainly that this server cannot make PDFs, rather than failing with a server error."""
    return render(request, "reports/no_pdf.html", {"reason": str(error)}, status=503)


# --- The Use of Force Act's annual statistics -------------------------------------------------


def _statistics_request(request: HttpRequest, provider_code: str):
    provider = Organisation.objects.filter(
        code=provider_code, kind=OrganisationKind.PROVIDER
    ).first()
    if provider is None:
        raise Http404("No such provider")
    exact_allowed = has_permission(request.user, Permission.AGGREGATE_VIEW, organisation=provider)
    if not (
        exact_allowed
        or has_permission(request.user, Permission.REPORT_WRITE, organisation=provider)
    ):
        raise PermissionDenied("You cannot see this provider's statistics.")
    today = timezone.localdate()
    try:
        basis = statistics.YearBasis(request.GET.get("basis") or "financial")
    except ValueError:
        raise Http404("No such kind of year") from None
    latest = statistics.StatisticsYear.latest_complete(basis, today)
    years = list(range(statistics.FIRST_YEAR, today.year + 1))
    try:
        start_year = int(request.GET.get("year") or latest.start_year)
    except ValueError:
        raise Http404("No such year") from None
    if start_year not in years:
        raise Http404("No such year")
    year = statistics.StatisticsYear(basis, start_year)
    exact = exact_allowed and request.GET.get("figures") == "exact"
    return provider, year, years, exact, exact_allowed


@login_required
@require_GET
def use_of_force_statistics(request: HttpRequest, provider_code: str) -> HttpResponse:
    provider, year, years, exact, exact_allowed = _statistics_request(request, provider_code)
    result = statistics.annual_statistics(provider, year)
    return render(
        request,
        "reports/statistics.html",
        {
            "stats": result,
            "tables": [(t, t.shown(exact=exact)) for t in result.tables],
            "exact": exact,
            "exact_allowed": exact_allowed,
            "years": years,
            "bases": [(b.value, b.value.capitalize()) for b in statistics.YearBasis],
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def use_of_force_statistics_download(
    request: HttpRequest, provider_code: str, fmt: str
) -> HttpResponse:
    provider, year, _, exact, _ = _statistics_request(request, provider_code)
    result = statistics.annual_statistics(provider, year)
    suffix = "exact-not-for-publication" if exact else "published"
    filename = f"use-of-force-statistics-{provider.code}-{year.label}-{suffix}"
    if fmt == "pdf":
        try:
            pdf = render_pdf(
                "reports/statistics_pdf.html",
                {"stats": result, "tables": [(t, t.shown(exact=exact)) for t in result.tables],
                 "exact": exact},
            )  # fmt: skip
        except PdfUnavailable as error:
            return _no_pdf(request, error)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    rows = [
        [provider.code, provider.name, year.label, table.title, label, column, value]
        for table in result.tables
        for label, values in table.shown(exact=exact)
        for column, value in zip(table.columns, values, strict=True)
    ]
    header = ["Provider code", "Provider", "Year", "Table", "Category", "Count of", "Count"]
    return table_response(header, rows, file_format="csv", filename=filename)


# --- Data downloads ---------------------------------------------------------------------------


@require_patient_data_access
@require_GET
def downloads(request: HttpRequest) -> HttpResponse:
    wards = list(queries.downloadable_wards(request.user))
    form = RecordsDownloadForm(request.GET or None, wards=wards)
    return render(
        request,
        "reports/downloads.html",
        {"form": form, "errors": form_errors(form) if request.GET else [], "wards": wards},
    )


@require_patient_data_access
@require_GET
def records_download(request: HttpRequest) -> HttpResponse:
    """The use-of-force records of the wards the person may see, audited with the row count."""
    wards = list(queries.downloadable_wards(request.user))
    form = RecordsDownloadForm(request.GET, wards=wards)
    file_format = request.GET.get("format") or "csv"
    if file_format not in FORMATS:
        raise Http404("No such file format")
    if not form.is_valid():
        return render(
            request,
            "reports/downloads.html",
            {"form": form, "errors": form_errors(form), "wards": wards},
            status=400,
        )
    code = form.cleaned_data.get("ward")
    chosen = [w for w in wards if w.code == code] if code else wards
    records = queries.records_for_download(
        chosen, form.cleaned_data.get("first_day"), form.cleaned_data.get("last_day")
    )
    counts = {ward: 0 for ward in chosen}
    for record in records:
        counts[record.ward] += 1
    services.records_downloaded(by=request.user, rows_by_ward=counts, file_format=file_format)
    return table_response(
        queries.RECORD_COLUMNS,
        [queries.record_row(r) for r in records],
        file_format=file_format,
        filename=f"use-of-force-records-{timezone.localdate():%Y-%m-%d}",
        sheet="Use of force records",
    )


@login_required
@require_GET
def measures_download(request: HttpRequest, level: str, code: str, fmt: str) -> HttpResponse:
    target = presenters.resolve_target(request.user, level, code)
    suffix = "" if target.exact else "-suppressed"
    return table_response(
        queries.MEASURE_COLUMNS,
        queries.measure_table(target),
        file_format=fmt,
        filename=f"measures-{target.code}{suffix}",
        sheet="Measures",
    )
