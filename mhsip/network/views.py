"""Network pages: thin views over `queries`, `presenters` and `services`. Every page shows
aggregates or improvement work only, never patient-level data, and every figure is suppressed
unless the viewer may see it exactly anyway."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.improvement.forms import show_errors
from mhsip.improvement.models import ChangeIdea, PdsaCycle
from mhsip.network import presenters, queries, services
from mhsip.network.forms import (
    CaseStudyForm,
    DecisionForm,
    JoinForm,
    LibraryFilterForm,
    ReturnForm,
)
from mhsip.network.models import CaseStudy, CaseStudyStatus, JoinRequest
from mhsip.organisations.models import Organisation, OrganisationKind
from mhsip.web.forms import form_errors


@login_required
@require_GET
def network_index(request: HttpRequest) -> HttpResponse:
    mine = queries.networks_of(request.user)
    others = Organisation.objects.filter(kind=OrganisationKind.NETWORK).exclude(
        pk__in=[n.pk for n in mine]
    )
    to_approve = [
        case_study
        for case_study in queries.case_studies_to_approve(request.user)
        if case_study.author_id != request.user.pk
    ]
    waiting = {case_study.pk for case_study in to_approve}
    return render(
        request,
        "network/index.html",
        {
            "networks": mine,
            "others": others,
            "requests": queries.requests_by(request.user)[:20],
            "to_write": queries.finished_ramps_to_write(request.user),
            "in_progress": [
                case_study
                for case_study in queries.case_studies_in_progress(request.user)
                if case_study.pk not in waiting
            ],
            "to_approve": to_approve,
        },
    )


def _network_context(request: HttpRequest, network: Organisation, current: str) -> dict:
    return {
        "network": network,
        "current": current,
        "may_manage": queries.may_manage(request.user, network),
        "pending_count": queries.pending_requests(network).count()
        if queries.may_manage(request.user, network)
        else 0,
    }


@login_required
@require_GET
def network_home(request: HttpRequest, code: str) -> HttpResponse:
    network = queries.network_for_member(request.user, code)
    home = presenters.make_network_home(request.user, network, request.GET)
    return render(
        request,
        "network/home.html",
        {**_network_context(request, network, "home"), "home": home, "page": home.funnel},
    )


# --- Joining ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    network = queries.network_by_code(code)
    providers = list(queries.providers_user_may_put_forward(request.user).exclude(parent=network))
    form = JoinForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next((p for p in providers if str(p.pk) == data.get("organisation")), None)
        try:
            services.join_request_create(
                by=request.user,
                network=network,
                kind=data["kind"],
                role=data.get("role", ""),
                organisation=organisation,
                message=data.get("message", ""),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Your request to join {network} has been sent.")
            return redirect("network:index")
    return render(
        request,
        "network/join.html",
        {"network": network, "form": form, "errors": form_errors(form)},
    )


def _managed_network(request: HttpRequest, code: str) -> Organisation:
    network = queries.network_by_code(code)
    require_permission(request.user, Permission.NETWORK_MANAGE, organisation=network)
    return network


@login_required
@require_GET
def requests_list(request: HttpRequest, code: str) -> HttpResponse:
    network = _managed_network(request, code)
    return render(
        request,
        "network/requests.html",
        {
            **_network_context(request, network, "requests"),
            "pending": list(queries.pending_requests(network)),
            "decided": queries.decided_requests(network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    network = _managed_network(request, code)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("organisation__parent", "requested_by"),
        pk=pk,
        network=network,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("decision") == "approve"
        try:
            services.join_request_decide(
                by=request.user,
                request=join_request,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            verb = "approved" if approve else "declined"
            messages.success(request, f"Request from {join_request.who} {verb}.")
            return redirect("network:requests", code=network.code)
    return render(
        request,
        "network/request_decide.html",
        {
            **_network_context(request, network, "requests"),
            "join_request": join_request,
            "form": form,
            "errors": form_errors(form),
        },
    )


@login_required
@require_GET
def members(request: HttpRequest, code: str) -> HttpResponse:
    network = queries.network_for_member(request.user, code)
    return render(
        request,
        "network/members.html",
        {
            **_network_context(request, network, "members"),
            "providers": queries.member_providers(network),
            "memberships": queries.network_memberships(network),
        },
    )


# --- The learning library -----------------------------------------------------------------------


@login_required
@require_GET
def library(request: HttpRequest, code: str) -> HttpResponse:
    network = queries.network_for_member(request.user, code)
    published = queries.published_in(network)
    ideas = ChangeIdea.objects.filter(pk__in=published.values("change__change_idea")).order_by(
        "title"
    )
    form = LibraryFilterForm(request.GET or None, ideas=ideas)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.search_library(
        network,
        text=filters.get("q") or "",
        change_idea=filters.get("change_idea"),
        ward_type=filters.get("ward_type") or "",
        result=filters.get("result") or "",
    )
    return render(
        request,
        "network/library.html",
        {
            **_network_context(request, network, "library"),
            "form": form,
            "case_studies": list(found),
            "total": published.count(),
            "filtered": any(filters.values()),
        },
    )


@login_required
@require_GET
def what_worked_where(request: HttpRequest, code: str) -> HttpResponse:
    network = queries.network_for_member(request.user, code)
    return render(
        request,
        "network/what_worked_where.html",
        {
            **_network_context(request, network, "what-worked-where"),
            "ideas": presenters.what_worked_where(network),
        },
    )


# --- Case studies -------------------------------------------------------------------------------


@login_required
@require_http_methods(["POST"])
def case_study_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a case study from a finished ramp (any of its cycles)."""
    cycle = get_object_or_404(PdsaCycle.objects.select_related("project__ward__site"), pk=pk)
    require_permission(request.user, Permission.CASE_STUDY_WRITE, ward=cycle.project.ward)
    try:
        case_study = services.case_study_start(by=request.user, cycle=cycle)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("network:index")
    return redirect("network:case-study-edit", pk=case_study.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = queries.case_study_for(request.user, pk)
    require_permission(request.user, Permission.CASE_STUDY_WRITE, ward=case_study.ward)
    if case_study.status not in services.EDITABLE:
        return redirect("network:case-study", pk=pk)
    initial = {name: getattr(case_study, name) for name in CaseStudy.TEXT_FIELDS}
    form = CaseStudyForm(request.POST or None, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_update(by=request.user, case_study=case_study, **form.cleaned_data)
            if request.POST.get("action") == "submit":
                services.case_study_submit(by=request.user, case_study=case_study)
        except services.IdentifyingText as refused:
            problems = refused.problems
        except ValidationError as error:
            show_errors(form, error)
        else:
            if case_study.status == CaseStudyStatus.SUBMITTED:
                messages.success(request, "Sent to your provider for approval.")
            else:
                messages.success(request, "Draft saved.")
            return redirect("network:case-study", pk=pk)
    return render(
        request,
        "network/case_study_form.html",
        {
            "case_study": case_study,
            "form": form,
            "errors": form_errors(form),
            "problems": problems,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = queries.case_study_for(request.user, pk)
    may_approve = (
        case_study.status == CaseStudyStatus.SUBMITTED
        and services.may_approve(request.user, case_study)
        and case_study.author_id != request.user.pk
    )
    form = ReturnForm(request.POST or None)
    problems = []
    if request.method == "POST":
        if not may_approve:
            raise PermissionDenied("You cannot approve or return this case study.")
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.case_study_approve(by=request.user, case_study=case_study)
                messages.success(request, f"Published to {case_study.network}.")
                return redirect("network:case-study", pk=pk)
            if action == "return" and form.is_valid():
                services.case_study_return(
                    by=request.user, case_study=case_study, note=form.cleaned_data["note"]
                )
                messages.success(request, "Returned to the team with your note.")
                return redirect("network:index")
        except services.IdentifyingText as refused:
            problems = refused.problems
        except ValidationError as error:
            show_errors(form, error)
    elif case_study.status == CaseStudyStatus.SUBMITTED and may_approve:
        problems = services.identifying_text(case_study)
    return render(
        request,
        "network/case_study.html",
        {
            "case_study": case_study,
            "may_edit": case_study.status in services.EDITABLE
            and services.may_write(request.user, case_study),
            "may_approve": may_approve,
            "form": form,
            "errors": form_errors(form),
            "problems": problems,
            "paragraphs": {
                name: [p for p in (getattr(case_study, name) or "").split("\n\n") if p.strip()]
                for name in CaseStudy.TEXT_FIELDS
            },
        },
    )
