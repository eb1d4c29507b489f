"""National statistics pages: the benchmark (anyone who sees figures), importing the published
files and matching their provider names (people who import data or run a network)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from mhsip.authorization.checks import has_permission, organisations_where
from mhsip.authorization.permissions import Permission
from mhsip.imports.models import ImportKind, ImportRun
from mhsip.national import presenters
from mhsip.national.models import PublishedProvider
from mhsip.national.queries import published_providers
from mhsip.national.services import UploadedFile, national_import, published_provider_match
from mhsip.organisations.models import Organisation, OrganisationKind

SEE_FIGURES = (Permission.AGGREGATE_VIEW, Permission.SUPPRESSED_AGGREGATE_VIEW)
#: Who may import the published files and match their names: the national figures are public,
#: so a provider's data importers and a network's leads may both keep them up to date.
MANAGE_NATIONAL = (Permission.DATA_IMPORT, Permission.NETWORK_MANAGE)
#: The published files are about 40 KB each; a year of them is 36 files.
MAX_FILES = 60
MAX_FILE_BYTES = 5 * 1024 * 1024


def may_see_benchmark(user) -> bool:
    return any(has_permission(user, p) for p in SEE_FIGURES)


def may_manage_national(user) -> bool:
    return any(has_permission(user, p) for p in MANAGE_NATIONAL)


def _matchable_providers(user) -> list[Organisation]:
    """The providers a person may match a published name to: those they import for or whose
    network they lead."""
    found: set[Organisation] = set()
    for permission in MANAGE_NATIONAL:
        found |= set(organisations_where(user, permission).filter(kind=OrganisationKind.PROVIDER))
    return sorted(found, key=lambda o: o.name)


@login_required
@require_GET
def benchmark(request: HttpRequest) -> HttpResponse:
    if not may_see_benchmark(request.user):
        raise PermissionDenied("You have no role that shows figures.")
    page = presenters.make_benchmark_page(request.user, request.GET)
    return render(
        request,
        "national/benchmark.html",
        {
            "page": page,
            "overdispersion_choices": presenters.OVERDISPERSION_CHOICES,
            "may_manage": may_manage_national(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_files(request: HttpRequest) -> HttpResponse:
    if not may_manage_national(request.user):
        raise PermissionDenied("You cannot import national statistics.")
    errors = []
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        if not uploads:
            errors.append("Choose one or more of NHS England's published .csv files")
        elif len(uploads) > MAX_FILES:
            errors.append(f"Choose at most {MAX_FILES} files at once")
        elif any(u.size > MAX_FILE_BYTES for u in uploads):
            errors.append("Each file must be smaller than 5 MB: these files are about 40 KB")
        if not errors:
            run = national_import(
                files=[UploadedFile(u.name, u.read()) for u in uploads],
                by=request.user,
                all_or_nothing=request.POST.get("all_or_nothing") == "yes",
            )
            return redirect(f"{reverse('national:import')}?run={run.pk}")
    runs = ImportRun.objects.filter(kind=ImportKind.NATIONAL)
    shown = None
    wanted = request.GET.get("run", "")
    if wanted.isdigit():
        shown = runs.filter(pk=int(wanted)).first()
    return render(
        request,
        "national/import.html",
        {"errors": errors, "run": shown, "runs": runs[:10]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def providers(request: HttpRequest) -> HttpResponse:
    """Published provider names and the organisations they are matched to; matching by hand."""
    if not (may_see_benchmark(request.user) or may_manage_national(request.user)):
        raise PermissionDenied("You have no role that shows figures.")
    may_match = may_manage_national(request.user)
    choices = _matchable_providers(request.user) if may_match else []
    if request.method == "POST":
        if not may_match:
            raise PermissionDenied("You cannot match published provider names.")
        published = get_object_or_404(PublishedProvider, pk=request.POST.get("published") or 0)
        wanted = request.POST.get("organisation", "")
        allowed = {str(o.pk): o for o in choices}
        current = published.organisation
        if wanted == "" and current is not None and str(current.pk) not in allowed:
            raise PermissionDenied("Only someone for that provider can undo this match.")
        if wanted and wanted not in allowed:
            raise PermissionDenied("You cannot match a name to that provider.")
        published_provider_match(
            by=request.user, provider=published, organisation=allowed.get(wanted)
        )
        messages.success(request, f"Saved: {published.name}")
        return redirect(request.get_full_path())
    search = request.GET.get("q", "").strip()[:100]
    unmatched = request.GET.get("unmatched") == "yes"
    found = list(published_providers(search, unmatched)[:200])
    return render(
        request,
        "national/providers.html",
        {
            "providers": found,
            "search": search,
            "unmatched": unmatched,
            "may_match": may_match,
            "choices": choices,
        },
    )
