"""Reads for the import pages, each limited to the providers where the person may import."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from mhsip.authorization.checks import organisations_where
from mhsip.authorization.permissions import Permission
from mhsip.imports.models import ImportFile, ImportRun, IncidentMapping
from mhsip.organisations.models import Organisation, OrganisationKind


def import_providers(user) -> QuerySet[Organisation]:
    """The providers whose data `user` may import."""
    return organisations_where(user, Permission.DATA_IMPORT).filter(kind=OrganisationKind.PROVIDER)


def runs_for(user) -> QuerySet[ImportRun]:
    """Every import (of any kind) into the organisations where `user` may import, and their own."""
    return ImportRun.objects.filter(
        Q(organisation__in=organisations_where(user, Permission.DATA_IMPORT)) | Q(started_by=user)
    ).select_related("organisation", "started_by")


def run_for(user, pk: int) -> ImportRun:
    run = runs_for(user).filter(pk=pk).first()
    if run is None:
        raise Http404("No such import")
    return run


def mappings_for(user) -> QuerySet[IncidentMapping]:
    return IncidentMapping.objects.filter(provider__in=import_providers(user)).select_related(
        "provider"
    )


def import_file_for(user, pk: int, kind: str) -> ImportFile:
    found = ImportFile.objects.filter(
        pk=pk, kind=kind, provider__in=import_providers(user)
    ).select_related("provider")
    import_file = found.first()
    if import_file is None or not import_file.file:
        raise Http404("No such file: it may have been imported already")
    return import_file
