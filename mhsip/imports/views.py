"""The import pages: history, one import's progress and problems, the incident-export mapping
(upload, columns, coded values) and the bed-days upload. Thin: queries read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.imports import presenters, queries, services
from mhsip.imports.forms import ColumnsForm, IncidentUploadForm, UploadForm, ValuesForm
from mhsip.imports.models import ImportKind, IncidentLayout
from mhsip.tabular.reader import UnreadableFile, read_table
from mhsip.web.forms import form_errors

#: Seconds between reloads of a running import's page (a meta refresh: CSP allows no inline JS).
REFRESH_SECONDS = 2


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _show(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        target = next((n for n in (field, f"column_{field}") if n in form.fields), None)
        for problem in problems:
            form.add_error(target, problem)


@login_required
@require_GET
def import_history(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.DATA_IMPORT)
    return render(
        request,
        "imports/history.html",
        {"runs": queries.runs_for(request.user)[:200]},
    )


@login_required
@require_GET
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = queries.run_for(request.user, pk)
    return render(
        request,
        "imports/run.html",
        {"run": run, "refresh": None if run.is_over else REFRESH_SECONDS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incidents_upload(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.DATA_IMPORT)
    form = IncidentUploadForm(
        _data(request),
        _files(request),
        providers=queries.import_providers(request.user),
        mappings=queries.mappings_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.import_file_store(
                by=request.user,
                provider=form.cleaned_data["provider"],
                kind=ImportKind.INCIDENTS,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _show(form, error)
        else:
            mapping = form.cleaned_data.get("mapping")
            if mapping is not None:
                return redirect(
                    f"{_url('imports:incident-values', stored.pk)}?mapping={mapping.pk}"
                )
            return redirect("imports:incident-columns", stored.pk)
    return render(
        request,
        "imports/incidents_upload.html",
        {"form": form, "errors": form_errors(form)},
    )


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])


def _mapping_from_query(request: HttpRequest, import_file):
    pk = request.GET.get("mapping") or request.POST.get("mapping")
    if not pk or not str(pk).isdigit():
        return None
    return queries.mappings_for(request.user).filter(pk=pk, provider=import_file.provider).first()


def _table(import_file):
    data = import_file.file.read()
    import_file.file.close()
    return data, read_table(data, name=import_file.name)


@login_required
@require_http_methods(["GET", "POST"])
def incident_columns(request: HttpRequest, pk: int) -> HttpResponse:
    import_file = queries.import_file_for(request.user, pk, ImportKind.INCIDENTS)
    mapping = _mapping_from_query(request, import_file)
    try:
        data, table = _table(import_file)
    except UnreadableFile as error:
        return render(request, "imports/unreadable.html", {"problem": error.problem}, status=422)
    initial = {"name": "", "source": "", "layout": IncidentLayout.INCIDENT}
    columns = presenters.guess_columns(table.headers)
    if mapping is not None:
        initial = {"name": mapping.name, "source": mapping.source, "layout": mapping.layout}
        columns = mapping.columns
    initial.update({f"column_{k}": v for k, v in columns.items() if v in table.headers})
    form = ColumnsForm(_data(request), headers=table.headers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = services.mapping_save(
                by=request.user,
                provider=import_file.provider,
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                columns=form.columns(),
                layout=form.cleaned_data["layout"],
                mapping=mapping,
            )
        except ValidationError as error:
            _show(form, error)
        else:
            messages.success(request, f"The columns of “{mapping.name}” have been saved.")
            return redirect(
                f"{_url('imports:incident-values', import_file.pk)}?mapping={mapping.pk}"
            )
    return render(
        request,
        "imports/incident_columns.html",
        {
            "import_file": import_file,
            "mapping": mapping,
            "form": form,
            "errors": form_errors(form),
            "columns": presenters.columns_with_examples(read_table(data, name=import_file.name)),
            "column_fields": [form[f"column_{f.key}"] for f in _fields()],
        },
    )


def _fields():
    from mhsip.imports.incident_fields import FIELDS

    return FIELDS


@login_required
@require_http_methods(["GET", "POST"])
def incident_values(request: HttpRequest, pk: int) -> HttpResponse:
    import_file = queries.import_file_for(request.user, pk, ImportKind.INCIDENTS)
    mapping = _mapping_from_query(request, import_file)
    if mapping is None:
        return redirect("imports:incident-columns", import_file.pk)
    try:
        data, table = _table(import_file)
    except UnreadableFile as error:
        return render(request, "imports/unreadable.html", {"problem": error.problem}, status=422)
    found = presenters.coded_values(table, mapping.columns)
    headers = read_table(data, name=import_file.name).headers
    missing = [
        (target.label, mapping.columns[target.key])
        for target in _fields()
        if target.key in mapping.columns and mapping.columns[target.key] not in headers
    ]
    form = ValuesForm(_data(request), found=found, initial=presenters.initial_codes(mapping, found))
    if request.method == "POST" and form.is_valid():
        mapping = services.mapping_values_save(
            by=request.user, mapping=mapping, values=form.values()
        )
        if "import" in request.POST:
            run = services.import_start(
                by=request.user,
                import_file=import_file,
                mapping=mapping,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            )
            return redirect("imports:run", run.pk)
        messages.success(request, f"The codes of “{mapping.name}” have been saved.")
        return redirect(f"{_url('imports:incident-values', import_file.pk)}?mapping={mapping.pk}")
    return render(
        request,
        "imports/incident_values.html",
        {
            "import_file": import_file,
            "mapping": mapping,
            "form": form,
            "errors": form_errors(form),
            "unmapped": presenters.unmapped(mapping, found),
            "missing_columns": missing,
            "repeats": presenters.repeated_references(
                read_table(data, name=import_file.name), mapping.columns
            ),
            "per_intervention": mapping.layout == IncidentLayout.INTERVENTION,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bed_days_upload(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.DATA_IMPORT)
    form = UploadForm(
        _data(request), _files(request), providers=queries.import_providers(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.import_file_store(
                by=request.user,
                provider=form.cleaned_data["provider"],
                kind=ImportKind.BED_DAYS,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _show(form, error)
        else:
            run = services.import_start(
                by=request.user,
                import_file=stored,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            )
            return redirect("imports:run", run.pk)
    return render(
        request, "imports/bed_days_upload.html", {"form": form, "errors": form_errors(form)}
    )
