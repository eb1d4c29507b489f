"""Variation and equality pages: thin views over `presenters`. Every figure goes through
`resolve_target`, which decides whether the viewer sees exact or suppressed figures, or
nothing (403); pages show aggregates only, never patient-level data."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mhsip.authorization.checks import organisations_where, wards_where
from mhsip.authorization.permissions import Permission
from mhsip.dashboards.presenters import Target, resolve_target
from mhsip.organisations.models import OrganisationKind
from mhsip.variation import presenters
from mhsip.variation.forms import OptionsForm

SEE_FIGURES = (Permission.AGGREGATE_VIEW, Permission.SUPPRESSED_AGGREGATE_VIEW)


@login_required
@require_GET
def variation_index(request: HttpRequest) -> HttpResponse:
    wards, organisations = set(), set()
    for permission in SEE_FIGURES:
        wards |= set(wards_where(request.user, permission).select_related("site__parent"))
        organisations |= set(organisations_where(request.user, permission))
    return render(
        request,
        "variation/index.html",
        {
            "networks": sorted(
                (o for o in organisations if o.kind == OrganisationKind.NETWORK),
                key=lambda o: o.name,
            ),
            "providers": sorted(
                (o for o in organisations if o.kind == OrganisationKind.PROVIDER),
                key=lambda o: o.name,
            ),
            "wards": sorted(wards, key=lambda w: (w.provider.name, w.name)),
        },
    )


def _target(request: HttpRequest, level: str, code: str, *, compares_wards: bool) -> Target:
    target = resolve_target(request.user, level, code)
    if compares_wards and not presenters.funnel_available(target):
        raise Http404("Funnel plots and bright spots compare the wards of a provider or network")
    return target


def _context(target: Target, current: str, **extra) -> dict:
    return {
        "target": target,
        "current": current,
        "compares_wards": presenters.funnel_available(target),
        **extra,
    }


@login_required
@require_GET
def funnel_plot(request: HttpRequest, level: str, code: str) -> HttpResponse:
    target = _target(request, level, code, compares_wards=True)
    page = presenters.make_funnel_page(target, request.GET)
    form = OptionsForm(page.choices, asdict(page.options))
    return render(
        request, "variation/funnel.html", _context(target, "funnel", page=page, form=form)
    )


@login_required
@require_GET
def bright_spots(request: HttpRequest, level: str, code: str) -> HttpResponse:
    target = _target(request, level, code, compares_wards=True)
    page = presenters.make_bright_spots(target, request.user)
    return render(
        request, "variation/bright_spots.html", _context(target, "bright-spots", page=page)
    )


@login_required
@require_GET
def data_quality(request: HttpRequest, level: str, code: str) -> HttpResponse:
    target = _target(request, level, code, compares_wards=False)
    page = presenters.make_data_quality(target)
    return render(
        request, "variation/data_quality.html", _context(target, "data-quality", page=page)
    )


@login_required
@require_GET
def inequalities(request: HttpRequest, level: str, code: str) -> HttpResponse:
    target = _target(request, level, code, compares_wards=False)
    page = presenters.make_inequalities_page(target, request.GET)
    form = OptionsForm(page.choices, asdict(page.options))
    return render(
        request,
        "variation/inequalities.html",
        _context(target, "inequalities", page=page, form=form),
    )
