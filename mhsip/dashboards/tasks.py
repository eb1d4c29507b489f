"""Background work for the dashboards: compute the summaries again after the data changes.

A provider's or network's summary reads every stay and record of its wards (about a second for
30 wards and 50,000 interventions), so it is cached (`presenters.cached_summary`). When a record,
intervention, stay, bed-day figure, team-entered value or aim is saved or deleted, the signals
below note its ward and, once the transaction commits, queue one `warm_dashboards` task for
all the wards it touched. The task runs in `mhsip db_worker`, not in anyone's request, and fills
the shared cache for each ward and the providers and networks above it, in both the exact and
the suppressed form, so the next person to open those dashboards finds them ready.

Writes in bulk (imports, the demo) send no signals; their dashboards are computed on first view.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from mhsip.dashboards.queries import Level, fetch_ward_rows
from mhsip.organisations.models import OrganisationKind, Ward

_pending = threading.local()


@task()
def warm_dashboards(ward_ids: list[int]) -> int:
    """Compute and cache the summaries of these wards and of every provider and network above
    them. Returns how many summaries were computed (those already cached are skipped)."""
    from django.core.cache import cache

    from mhsip.dashboards.presenters import (
        SUMMARY_CACHE_SECONDS,
        dashboard_span,
        make_summary,
        summary_cache_key,
        target_for,
    )

    span = dashboard_span()
    missing = []
    for level, code in dashboards_above(ward_ids):
        for exact in (True, False):
            target = target_for(level, code, exact=exact)
            if target is not None:
                key = summary_cache_key(target, span)
                if cache.get(key) is None:
                    missing.append((target, key))
    if not missing:
        return 0
    # One reading of every ward involved (the network's, usually) serves every summary.
    rows = fetch_ward_rows(sorted({w for target, _ in missing for w in target.group.ward_ids}))
    for target, key in missing:
        cache.set(key, make_summary(target, span, rows), SUMMARY_CACHE_SECONDS)
    computed = len(missing)
    return computed


def dashboards_above(ward_ids: list[int]) -> list[tuple[Level, str]]:
    """The ward dashboards of these wards, then their providers' and networks' (each once)."""
    found: dict[tuple[Level, str], None] = {}
    wards = Ward.objects.filter(pk__in=ward_ids).select_related("site__parent__parent")
    for ward in wards:
        found[(Level.WARD, ward.code)] = None
    for ward in wards:
        for organisation in ward.site.ancestors_and_self():
            if organisation.kind == OrganisationKind.PROVIDER:
                found[(Level.PROVIDER, organisation.code)] = None
            elif organisation.kind == OrganisationKind.NETWORK:
                found[(Level.NETWORK, organisation.code)] = None
    return list(found)


def note_changed_ward(ward_id: int | None) -> None:
    """Queue the ward's dashboards to be computed again when the current transaction commits."""
    if ward_id is None or not settings.MHSIP_WARM_DASHBOARDS:
        return
    wards = getattr(_pending, "wards", None)
    if wards is None:
        wards = _pending.wards = set()
        transaction.on_commit(_enqueue)
    wards.add(ward_id)


def _enqueue() -> None:
    wards = getattr(_pending, "wards", None) or set()
    _pending.wards = None
    if wards:
        warm_dashboards.enqueue(sorted(wards))


def _ward_of(instance) -> int | None:
    if hasattr(instance, "record_id") and not hasattr(instance, "ward_id"):
        return instance.record.ward_id  # an intervention belongs to its record's ward
    return getattr(instance, "ward_id", None)


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    note_changed_ward(_ward_of(instance))


def connect_signals() -> None:
    from mhsip.dashboards.models import TeamEnteredValue, WardAim
    from mhsip.incidents.models import Intervention, UseOfForceRecord
    from mhsip.patients.models import MonthlyBedDays, WardStay

    for model in (
        UseOfForceRecord,
        Intervention,
        WardStay,
        MonthlyBedDays,
        TeamEnteredValue,
        WardAim,
    ):
        uid = f"warm-dashboards-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
