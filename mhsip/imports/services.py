"""Writes for imports: save a mapping, keep an uploaded file, start an import and run it.

Every start is checked against DATA_IMPORT on the provider the data belongs to. The run itself
(`run_import`) needs no request: the page queues it as a background task, the command line runs
it at once; either way it ends by deleting the uploaded copy of the file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from mhsip.auditing import services as audit
from mhsip.authorization.decorators import require_permission
from mhsip.authorization.permissions import Permission
from mhsip.imports.incident_fields import CODE_LISTS, FIELD_BY_KEY, REQUIRED
from mhsip.imports.models import (
    ImportFile,
    ImportKind,
    ImportRun,
    IncidentLayout,
    IncidentMapping,
)
from mhsip.organisations.models import Organisation

logger = logging.getLogger(__name__)

#: The account that imports run from the command line are recorded as (records need an author;
#: it cannot sign in).
COMMAND_LINE_USERNAME = "mhsip-import"


def command_line_account():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=COMMAND_LINE_USERNAME,
        defaults={
            "first_name": "Command-line",
            "last_name": "import",
            "is_active": False,
            "job_title": "mhsip import (run by the trust's data team)",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def mapping_save(
    *,
    by,
    provider: Organisation,
    name: str,
    source: str,
    columns: dict[str, str],
    layout: str = IncidentLayout.INCIDENT,
    values: dict[str, dict[str, str]] | None = None,
    mapping: IncidentMapping | None = None,
) -> IncidentMapping:
    """Create or change a provider's named mapping. Columns left blank are dropped.

    `layout` says whether the export has one row per incident or one per restrictive
    intervention (whose rows sharing a reference are combined)."""
    require_permission(by, Permission.DATA_IMPORT, organisation=provider)
    name, source = name.strip(), source.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the mapping a name, so you can choose it next month"
    if not source:
        errors["source"] = "Enter the incident system the export comes from"
    columns = {k: v for k, v in columns.items() if v and k in FIELD_BY_KEY}
    for key in REQUIRED:
        if key not in columns:
            errors[key] = f"Choose the column that holds the {FIELD_BY_KEY[key].label.lower()}"
    clash = IncidentMapping.objects.filter(provider=provider, name__iexact=name)
    if mapping is not None:
        clash = clash.exclude(pk=mapping.pk)
    if name and clash.exists():
        errors["name"] = f"{provider.name} already has a mapping called “{name}”"
    if layout not in IncidentLayout.values:
        errors["layout"] = "Choose whether the export has one row per incident or per intervention"
    if errors:
        raise ValidationError(errors)
    if values is not None:
        values = {
            code_list: {value: code for value, code in found.items() if code}
            for code_list, found in values.items()
            if code_list in CODE_LISTS
        }
    with transaction.atomic():
        created = mapping is None
        if created:
            mapping = IncidentMapping(provider=provider, created_by=by)
        mapping.name, mapping.source, mapping.columns = name, source, columns
        mapping.layout = layout
        if values is not None:
            mapping.values = values
        mapping.save()
        audit.record_event(
            by=by,
            action=f"import_mapping.{'create' if created else 'update'}",
            target=mapping,
            organisation=provider,
            summary=f"Incident import mapping “{mapping.name}” "
            f"({mapping.get_layout_display().lower()})",
        )
    return mapping


def mapping_values_save(
    *, by, mapping: IncidentMapping, values: dict[str, dict[str, str]]
) -> IncidentMapping:
    """Add or change the codes of coded values (values not mentioned keep their codes)."""
    require_permission(by, Permission.DATA_IMPORT, organisation=mapping.provider)
    merged = {k: dict(v) for k, v in mapping.values.items()}
    for code_list, found in values.items():
        if code_list not in CODE_LISTS:
            continue
        allowed = {value for value, _ in CODE_LISTS[code_list].options()}
        target = merged.setdefault(code_list, {})
        for value, code in found.items():
            if code and code in allowed:
                target[value] = code
            else:
                target.pop(value, None)
    with transaction.atomic():
        mapping.values = merged
        mapping.save(update_fields=["values", "updated_at"])
        audit.record_event(
            by=by,
            action="import_mapping.update",
            target=mapping,
            organisation=mapping.provider,
            summary=f"Codes of incident import mapping “{mapping.name}”",
        )
    return mapping


def import_file_store(
    *, by, provider: Organisation, kind: ImportKind, upload: UploadedFile
) -> ImportFile:
    require_permission(by, Permission.DATA_IMPORT, organisation=provider)
    if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise ValidationError({"file": "Choose a CSV (.csv) or Excel (.xlsx) file"})
    return ImportFile.objects.create(
        kind=kind, provider=provider, name=Path(upload.name).name[:255], file=upload, uploaded_by=by
    )


def import_start(
    *,
    by,
    import_file: ImportFile,
    mapping: IncidentMapping | None = None,
    all_or_nothing: bool = False,
) -> ImportRun:
    """Record the run and queue it (the page). The task deletes the file when it has run."""
    require_permission(by, Permission.DATA_IMPORT, organisation=import_file.provider)
    if import_file.kind == ImportKind.INCIDENTS and (
        mapping is None or mapping.provider_id != import_file.provider_id
    ):
        raise ValidationError({"mapping": "Choose a mapping of this provider"})
    run = ImportRun.objects.create(
        kind=import_file.kind,
        source=import_file.name,
        organisation=import_file.provider,
        started_by=by,
        all_or_nothing=all_or_nothing,
        parameters={
            "file": import_file.pk,
            **({"mapping": mapping.pk} if mapping is not None else {}),
        },
    )
    from mhsip.imports.tasks import run_import_task

    run_import_task.enqueue(run.pk)
    return run


def run_import(
    run: ImportRun,
    *,
    path: Path | None = None,
    by=None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportRun:
    """Run an import: from the stored upload (the page's runs) or from `path` (command line).

    An unexpected error marks the run failed, saying why, and writes nothing (the writes are in
    one transaction); the stored file is deleted either way.
    """
    from mhsip.imports.bed_days import import_bed_days
    from mhsip.imports.incidents import import_incidents

    import_file = None
    if path is None:
        import_file = ImportFile.objects.get(pk=run.parameters["file"])
    by = by or run.started_by or command_line_account()
    try:
        source: Any = path if path is not None else import_file.file.read()
        if import_file is not None:
            import_file.file.close()
        if run.kind == ImportKind.INCIDENTS:
            mapping = IncidentMapping.objects.select_related("provider").get(
                pk=run.parameters["mapping"]
            )
            import_incidents(
                run=run, source=source, mapping=mapping, by=by, on_progress=on_progress
            )
        elif run.kind == ImportKind.BED_DAYS:
            import_bed_days(
                run=run, source=source, provider=run.organisation, by=by, on_progress=on_progress
            )
        else:
            raise ValueError(f"mhsip.imports does not run {run.get_kind_display()} imports")
    except Exception as error:  # the run must end, saying why, whatever went wrong
        logger.exception("Import %s failed", run.pk)
        run.mark_failed(f"{error.__class__.__name__}: {error}")
        audit.record_event(
            by=by,
            action=f"import.{run.kind}",
            target=run,
            organisation=run.organisation,
            summary=f"Import of {run.source} stopped by an error",
            detail={"error": run.error},
        )
    finally:
        if import_file is not None:
            import_file.discard()
    run.refresh_from_db()
    return run
