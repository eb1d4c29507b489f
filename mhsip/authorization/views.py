"""Who may see what: the access matrix for everyone, and each person's own access."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mhsip.accounts.two_factor import confirmed_devices, may_set_up_second_factor
from mhsip.authorization.checks import has_permission
from mhsip.authorization.permissions import Permission
from mhsip.authorization.presenters import granted_on, make_access_matrix, make_my_access
from mhsip.organisations.models import Membership


@login_required
@require_GET
def access_matrix(request: HttpRequest) -> HttpResponse:
    roles, rows = make_access_matrix()
    return render(
        request,
        "authorization/access_matrix.html",
        {"roles": [(role, granted_on(role)) for role in roles], "rows": rows},
    )


@login_required
@require_GET
def my_access(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("ward", "organisation")
        .order_by("role", "id")
    )
    return render(
        request,
        "authorization/my_access.html",
        {
            "memberships": make_my_access(memberships),
            "may_set_up_second_factor": may_set_up_second_factor(request.user),
            "second_factor_set_up": confirmed_devices(request.user).exists(),
            "may_read_audit_log": has_permission(request.user, Permission.AUDIT_LOG_VIEW),
        },
    )
