from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mhsip.authorization.checks import wards_where
from mhsip.authorization.permissions import Permission
from mhsip.organisations.models import Ward
from mhsip.organisations.queries import wards_visible_to


@dataclass(frozen=True)
class WardLink:
    """A ward on the home page, with what the person may do there."""

    ward: Ward
    may_view_records: bool
    may_record: bool
    may_manage_patients: bool
    may_enter_bed_days: bool


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the person's wards, each with what they can do there. Signed out: the intro."""
    if not request.user.is_authenticated:
        return render(request, "web/home.html")
    user = request.user

    def ids(permission: Permission) -> set[int]:
        return set(wards_where(user, permission).values_list("id", flat=True))

    viewable = ids(Permission.PATIENT_DATA_VIEW)
    creatable = ids(Permission.USE_OF_FORCE_RECORD_CREATE)
    manageable = ids(Permission.PATIENT_MANAGE)
    bed_days = ids(Permission.BED_DAYS_ENTER)
    wards = [
        WardLink(
            ward=ward,
            may_view_records=ward.pk in viewable,
            may_record=ward.pk in creatable,
            may_manage_patients=ward.pk in manageable,
            may_enter_bed_days=ward.pk in bed_days,
        )
        for ward in wards_visible_to(user)
    ]
    return render(request, "web/dashboard.html", {"wards": wards})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Report whether the app can reach its database, for load balancers and monitoring.

    Runs a real query, so a broken database shows as 503 rather than a page that "works" until
    someone tries to save something.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": connection.vendor}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
