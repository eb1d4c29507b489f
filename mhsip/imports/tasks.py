"""The background task that runs an import queued from the page (`mhsip db_worker` works the
queue; tests and single-process demos run it at once)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(run_id: int) -> str:
    """Run the import; returns its status (the ImportRun holds the rest)."""
    from mhsip.imports.models import ImportRun
    from mhsip.imports.services import run_import

    run = ImportRun.objects.select_related("organisation", "started_by").get(pk=run_id)
    return run_import(run).status
