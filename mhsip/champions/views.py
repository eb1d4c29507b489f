"""Champions' pages: their alerts, what they follow, acknowledging an alert. Thin views over
`queries` and `services`; nothing here computes a chart or raises an alert (the watcher does,
in the background: `mhsip.champions.tasks`).

An alert or a ward someone may not see is a 404, so a page never confirms what it will not show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.champions import queries, services
from mhsip.champions.forms import AcknowledgeForm, FollowForm
from mhsip.champions.watch import chart_path
from mhsip.improvement.forms import show_errors
from mhsip.organisations.models import Organisation, OrganisationKind, Ward
from mhsip.web.forms import form_errors

#: Acknowledged alerts the page lists (the newest first); older ones stay in the audit log.
ACKNOWLEDGED_SHOWN = 50


def _rows(alerts) -> list[tuple]:
    return [(alert, chart_path(alert)) for alert in alerts]


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.ALERTS_FOLLOW)
    alerts = queries.alerts_for(request.user)
    return render(
        request,
        "champions/alerts.html",
        {
            "open": _rows(alerts.filter(acknowledged_at__isnull=True)),
            "acknowledged": _rows(
                alerts.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[
                    :ACKNOWLEDGED_SHOWN
                ]
            ),
            "follows": queries.follows_of(request.user),
        },
    )


@login_required
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.ALERTS_FOLLOW)
    follows = queries.follows_of(request.user)
    followed_wards = {f.ward_id for f in follows if f.ward_id}
    followed_providers = {f.provider_id for f in follows if f.provider_id}
    return render(
        request,
        "champions/following.html",
        {
            "follows": follows,
            "providers": [
                (p, p.pk in followed_providers) for p in queries.followable_providers(request.user)
            ],
            "wards": [(w, w.pk in followed_wards) for w in queries.followable_wards(request.user)],
        },
    )


def _target(level: str, code: str) -> tuple[Ward | None, Organisation | None]:
    if level == "ward":
        ward = Ward.objects.filter(code=code).first()
        if ward is not None:
            return ward, None
    else:
        provider = Organisation.objects.filter(code=code, kind=OrganisationKind.PROVIDER).first()
        if provider is not None:
            return None, provider
    raise Http404("No such ward or provider")


@login_required
@require_POST
def follow_change(request: HttpRequest, following: bool) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid():
        raise Http404("No such ward or provider")
    ward, provider = _target(form.cleaned_data["level"], form.cleaned_data["code"])
    name = (ward or provider).name
    if following:
        try:
            services.follow(by=request.user, ward=ward, provider=provider)
        except PermissionDenied:
            raise Http404("No such ward or provider") from None
        messages.success(request, f"You are following {name}. Alerts about it will appear here.")
    elif services.unfollow(by=request.user, ward=ward, provider=provider):
        messages.success(request, f"You have stopped following {name}.")
    back = form.cleaned_data["next"]
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("champions:following")


@login_required
@require_http_methods(["GET", "POST"])
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = queries.alerts_for(request.user).filter(pk=pk).first()
    if alert is None:
        raise Http404("No such alert")
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_acknowledge(by=request.user, alert=alert, note=form.cleaned_data["note"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The alert has been acknowledged, with your note.")
            return redirect("champions:alerts")
    return render(
        request,
        "champions/acknowledge.html",
        {
            "alert": alert,
            "chart_link": chart_path(alert),
            "form": form,
            "errors": form_errors(form),
        },
    )
