"""The page for importing an MHSDS extract, its progress and results, and past imports."""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mhsip.authorization.checks import organisations_where, wards_where
from mhsip.authorization.permissions import Permission
from mhsip.extracts.exporting import export_extract
from mhsip.extracts.forms import ExtractExportForm, ExtractUploadForm
from mhsip.extracts.services import start_import
from mhsip.extracts.tasks import run_mhsds_import
from mhsip.imports.models import ImportKind, ImportRun
from mhsip.mhsds.tables import TABLES
from mhsip.organisations.models import Organisation, OrganisationKind
from mhsip.web.forms import form_errors

TABLE_FILES = {t.file_name for t in TABLES}


def _providers(request: HttpRequest):
    providers = organisations_where(request.user, Permission.DATA_IMPORT).filter(
        kind=OrganisationKind.PROVIDER
    )
    if not providers.exists():
        raise PermissionDenied("You do not have permission to import MHSDS extracts.")
    return providers


def _runs_for(request: HttpRequest, providers):
    runs = ImportRun.objects.filter(kind=ImportKind.MHSDS)
    return runs.filter(organisation__in=providers) | runs.filter(started_by=request.user)


def _save_upload(files, directory: Path) -> list[str]:
    """Keep the table CSVs (given one by one or in a .zip); the names of what was given."""
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for upload in files:
        names.append(upload.name)
        if upload.name.lower().endswith(".zip"):
            with zipfile.ZipFile(upload) as archive:
                for member in archive.infolist():
                    base = Path(member.filename).name
                    if base in TABLE_FILES and not member.is_dir():
                        (directory / base).write_bytes(archive.read(member))
        elif Path(upload.name).name in TABLE_FILES:
            with (directory / Path(upload.name).name).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
    return names


@login_required
@require_http_methods(["GET", "POST"])
def extract_import(request: HttpRequest) -> HttpResponse:
    providers = _providers(request)
    form = ExtractUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["files"]
        run = start_import(
            source=", ".join(f.name for f in files),
            by=request.user,
            all_or_nothing=form.cleaned_data["all_or_nothing"],
            organisation=providers.first() if providers.count() == 1 else None,
        )
        directory = Path(settings.MEDIA_ROOT) / "imports" / "mhsds" / str(run.pk)
        try:
            _save_upload(files, directory)
        except zipfile.BadZipFile:
            run.mark_failed("The .zip file could not be opened.")
        else:
            run.parameters = {
                "directory": str(directory),
                "allowed_providers": sorted(providers.values_list("code", flat=True)),
            }
            run.save(update_fields=["parameters"])
            run_mhsds_import.enqueue(run.pk)
        return redirect("extracts:import-detail", run.pk)
    return render(
        request,
        "extracts/import.html",
        {
            "form": form,
            "errors": form_errors(form),
            "runs": _runs_for(request, providers).select_related("organisation")[:20],
        },
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    providers = _providers(request)
    run = _runs_for(request, providers).filter(pk=pk).first()
    if run is None:
        raise Http404("No such MHSDS import")
    return render(request, "extracts/import_detail.html", {"run": run})


@login_required
@require_http_methods(["GET", "POST"])
def extract_export(request: HttpRequest) -> HttpResponse:
    """A provider's month of mhsip's own records as an MHSDS extract (a zip of the 8 CSVs):
    patient-level, so only the wards the person may see patients' data on, and audited."""
    wards = wards_where(request.user, Permission.PATIENT_DATA_VIEW)
    providers = Organisation.objects.filter(
        kind=OrganisationKind.PROVIDER, pk__in=wards.values("site__parent")
    ).order_by("code")
    if not providers.exists():
        raise PermissionDenied("You do not have permission to see patients' data.")
    form = ExtractExportForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        provider, month = form.cleaned_data["provider"], form.cleaned_data["month"]
        export = export_extract(
            provider, month, by=request.user, wards=wards.filter(site__parent=provider)
        )
        response = HttpResponse(export.zip_bytes(), content_type="application/zip")
        name = f"mhsds-{provider.code}-{export.month:%Y-%m}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "extracts/export.html", {"form": form, "errors": form_errors(form)})
