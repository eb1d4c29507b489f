"""The MHSDS import as a background task: the page stores the upload and queues it; `mhsip
db_worker` runs it (tests run it at once). The page reads the ImportRun's progress meanwhile."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django_tasks import task

from mhsip.extracts.services import import_extract
from mhsip.imports.models import ImportRun


@task()
def run_mhsds_import(run_id: int) -> str:
    run = ImportRun.objects.get(pk=run_id)
    directory = Path(run.parameters["directory"])
    by = get_user_model().objects.filter(pk=run.started_by_id).first()
    try:
        import_extract(
            directory,
            by=by,
            run=run,
            all_or_nothing=run.all_or_nothing,
            allowed_providers=set(run.parameters.get("allowed_providers", [])),
        )
    except Exception as error:
        run.mark_failed(f"The import stopped: {error}")
        raise
    finally:
        # The rows are in the database now (or refused): the upload is not kept.
        shutil.rmtree(directory, ignore_errors=True)
    return run.status
