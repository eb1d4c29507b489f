"""The audit log: who saw or changed what, for a provider's responsible person."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mhsip.auditing import services as audit
from mhsip.auditing.forms import AuditLogFilterForm
from mhsip.auditing.presenters import describe_action, make_person
from mhsip.auditing.queries import audit_events_for, filter_audit_events
from mhsip.authorization.checks import organisations_where, wards_where
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.organisations.models import OrganisationKind
from mhsip.web.forms import form_errors

#: Enough to scan by eye on a tablet; the download has everything.
EVENTS_PER_PAGE = 50
CSV_COLUMNS = [
    "when",
    "username",
    "person",
    "action",
    "what happened",
    "object type",
    "object id",
    "summary",
    "ward code",
    "ward",
    "provider code",
]


def _filtered(request: HttpRequest):
    require_permission(request.user, Permission.AUDIT_LOG_VIEW)
    events = audit_events_for(request.user)
    form = AuditLogFilterForm(
        request.GET or None,
        events=events,
        wards=wards_where(request.user, Permission.AUDIT_LOG_VIEW),
    )
    return filter_audit_events(events, **form.filters()), form


def page_numbers(page: Page, *, around: int = 2) -> list[int | None]:
    """The page numbers to link to: the first, the last and those near this one; None for a gap."""
    last = page.paginator.num_pages
    wanted = {1, last} | set(range(page.number - around, page.number + around + 1))
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@never_cache
@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    events, form = _filtered(request)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "auditing/audit_log.html",
        {
            "form": form,
            "errors": form_errors(form) if form.is_bound else [],
            "page": page,
            "page_numbers": page_numbers(page),
            "events": [(event, describe_action(event.action)) for event in page.object_list],
            "query": query.urlencode(),
            "providers": organisations_where(request.user, Permission.AUDIT_LOG_VIEW).filter(
                kind=OrganisationKind.PROVIDER
            ),
        },
    )


class _Echo:
    """A file-like object that hands back what is written, for streaming csv.writer rows."""

    def write(self, value: str) -> str:
        return value


def _csv_safe(value) -> str:
    """Stop spreadsheet programs running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@never_cache
@login_required
@require_GET
def audit_log_download(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered events as CSV. Downloading is itself written to each provider's log."""
    events, form = _filtered(request)
    filters = {name: str(value) for name, value in form.filters().items() if value}
    count = events.count()
    with transaction.atomic():
        for provider in organisations_where(request.user, Permission.AUDIT_LOG_VIEW).filter(
            kind=OrganisationKind.PROVIDER
        ):
            audit.record_event(
                by=request.user,
                action="audit_log.export",
                organisation=provider,
                summary=f"Downloaded {count} audit events",
                detail={"filters": filters, "events": count},
            )

    def rows():
        writer = csv.writer(_Echo())
        yield writer.writerow(CSV_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                _csv_safe(value)
                for value in [
                    timezone.localtime(event.at).isoformat(timespec="seconds"),
                    event.actor.username if event.actor else "",
                    make_person(event.actor),
                    event.action,
                    describe_action(event.action),
                    event.object_type,
                    event.object_id,
                    event.summary,
                    event.ward.code if event.ward else "",
                    event.ward.name if event.ward else "",
                    event.provider.code if event.provider else "",
                ]
            )

    filename = f"mhsip-audit-log-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        rows(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
