"""Ward pages: what the ward is, and its use-of-force records."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mhsip.authorization.checks import has_permission
from mhsip.authorization.decorators import require_patient_data_access, require_permission
from mhsip.authorization.permissions import Permission
from mhsip.incidents.queries import records_visible_to
from mhsip.incidents.services import records_listed
from mhsip.organisations.models import Ward
from mhsip.organisations.queries import ward_by_code

#: Records per page of a ward's list: a month or two on a busy ward.
RECORDS_PER_PAGE = 25


def get_ward(code: str) -> Ward:
    ward = ward_by_code(code)
    if ward is None:
        raise Http404("There is no ward with this code.")
    return ward


@require_GET
@require_patient_data_access
def ward_detail(request: HttpRequest, code: str) -> HttpResponse:
    ward = get_ward(code)
    require_permission(request.user, Permission.PATIENT_DATA_VIEW, ward=ward)
    records = records_visible_to(request.user).filter(ward=ward).prefetch_related("interventions")
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    records_listed(by=request.user, ward=ward, page=page.number)
    user = request.user
    return render(
        request,
        "organisations/ward_detail.html",
        {
            "ward": ward,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "may_record": has_permission(user, Permission.USE_OF_FORCE_RECORD_CREATE, ward=ward),
            "may_enter_bed_days": has_permission(user, Permission.BED_DAYS_ENTER, ward=ward),
        },
    )
