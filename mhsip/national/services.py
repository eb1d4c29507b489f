"""Writes of national statistics: importing published files and matching provider names.

An import runs in one transaction (nothing half-written), keeps every good row, reports every
bad one by file, row and field, and can be run again on the same or a corrected file: a figure
is identified by its period, provider name and measure, so a second run changes only what
changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mhsip.auditing.services import record_event
from mhsip.imports.models import ImportKind, ImportRun
from mhsip.national.models import MatchMethod, PublishedFigure, PublishedProvider
from mhsip.national.published import PublishedFile, read_published_file
from mhsip.organisations.models import Organisation, OrganisationKind
from mhsip.tabular import Problem, Problems

#: Endings that the same trust is published with or without, longest first.
NAME_SUFFIXES = ("NHS FOUNDATION TRUST", "FOUNDATION TRUST", "NHS TRUST")


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes


def files_at(path: Path) -> list[UploadedFile]:
    """The published files at `path`: the file itself, or every .csv in the directory."""
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    else:
        found = [path]
    return [UploadedFile(p.name, p.read_bytes()) for p in found]


def national_import(
    *,
    files: Iterable[UploadedFile],
    by=None,
    source: str = "",
    all_or_nothing: bool = False,
    progress=None,
) -> ImportRun:
    """Import published files; returns the finished ImportRun with counts and problems.

    `by` is the person importing (None from the command line). With `all_or_nothing`, nothing
    is kept if any row is rejected.
    """
    files = list(files)
    run = ImportRun.objects.create(
        kind=ImportKind.NATIONAL,
        source=(source or ", ".join(f.name for f in files))[:500],
        started_by=by if getattr(by, "is_authenticated", False) else None,
        all_or_nothing=all_or_nothing,
    )
    run.mark_running(rows_total=0)
    problems = Problems()
    parsed: list[PublishedFile] = []
    for index, upload in enumerate(files, start=1):
        read = read_published_file(upload.name, upload.data)
        problems.extend(read.problems)
        problems.rejected_rows += read.problems.rejected_rows
        parsed.append(read)
        if progress is not None:
            progress(index, len(files))
    rows_total = sum(len(p.rows) + p.problems.rejected_rows for p in parsed)
    run.mark_progress(0, rows_total)
    if not files:
        problems.add(Problem(source or "(nothing)", None, None, "no .csv files were found"))
    if all_or_nothing and problems.rejected_rows:
        run.mark_finished({}, problems, refused=True)
        _audit(run, by)
        return run
    try:
        with transaction.atomic():
            counts = _save(parsed, run)
            _audit(run, by, counts)
    except Exception as error:
        run.mark_failed(f"{type(error).__name__}: {error}")
        raise
    run.mark_finished(counts, problems)
    return run


def _save(parsed: list[PublishedFile], run: ImportRun) -> dict[str, int]:
    names = {row.provider_name for f in parsed for row in f.rows}
    providers = {p.name: p for p in PublishedProvider.objects.filter(name__in=names)}
    new = [PublishedProvider(name=name) for name in sorted(names - set(providers))]
    PublishedProvider.objects.bulk_create(new)
    providers = {p.name: p for p in PublishedProvider.objects.filter(name__in=names)}
    matched = match_by_name([providers[p.name] for p in new])

    periods = {row.period for f in parsed for row in f.rows}
    existing = {
        (f.period, f.provider_id, f.measure): f
        for f in PublishedFigure.objects.filter(period__in=periods, provider__name__in=names)
    }
    added, changed, unchanged = [], [], 0
    for published in parsed:
        for row in published.rows:
            provider = providers[row.provider_name]
            figure = existing.get((row.period, provider.pk, row.measure.value))
            if figure is None:
                added.append(
                    PublishedFigure(
                        period=row.period,
                        provider=provider,
                        measure=row.measure.value,
                        label=row.label,
                        value=row.value,
                        suppressed=row.suppressed,
                        source_file=published.name,
                        import_run=run,
                    )
                )
            elif (figure.value, figure.suppressed, figure.label) != (
                row.value,
                row.suppressed,
                row.label,
            ):
                figure.value, figure.suppressed, figure.label = (
                    row.value,
                    row.suppressed,
                    row.label,
                )
                figure.source_file, figure.import_run = published.name, run
                changed.append(figure)
            else:
                unchanged += 1
    PublishedFigure.objects.bulk_create(added, batch_size=1000)
    PublishedFigure.objects.bulk_update(
        changed, ["value", "suppressed", "label", "source_file", "import_run"], batch_size=1000
    )
    return {
        "figures added": len(added),
        "figures changed": len(changed),
        "figures unchanged": unchanged,
        "providers new": len(new),
        "providers matched by name": matched,
    }


def _audit(run: ImportRun, by, counts: dict[str, int] | None = None) -> None:
    record_event(
        by=by,
        action="national_statistics.import",
        target=run,
        summary=f"National statistics imported from {run.source}"[:300],
        detail={"counts": counts or {}, "status": run.status},
    )


# --- Matching published names to our providers -----------------------------------------------


def comparable_name(name: str) -> str:
    """A provider name for comparison: upper case, '&' as AND, punctuation and the NHS trust
    endings dropped, so "Tees, Esk and Wear Valleys NHS Foundation Trust" and "TEES ESK AND WEAR
    VALLEYS NHS TRUST" compare equal."""
    text = name.upper().replace("&", " AND ")
    text = re.sub(r"[^A-Z0-9 ]+", " ", text)
    text = " ".join(text.split())
    for suffix in NAME_SUFFIXES:
        if text.endswith(" " + suffix):
            text = text[: -len(suffix) - 1]
            break
    return text


def match_by_name(published: Iterable[PublishedProvider]) -> int:
    """Match each unmatched published name to the one provider whose name compares equal (none
    when two do: a person then matches it by hand). Returns how many were matched."""
    by_name: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(kind=OrganisationKind.PROVIDER):
        by_name.setdefault(comparable_name(organisation.name), []).append(organisation)
    matched = []
    now = timezone.now()
    for provider in published:
        if provider.organisation_id is not None:
            continue
        candidates = by_name.get(comparable_name(provider.name), [])
        if len(candidates) == 1:
            provider.organisation = candidates[0]
            provider.matched_by = MatchMethod.NAME
            provider.matched_at = now
            matched.append(provider)
    PublishedProvider.objects.bulk_update(matched, ["organisation", "matched_by", "matched_at"])
    return len(matched)


@transaction.atomic
def published_provider_match(
    *, by, provider: PublishedProvider, organisation: Organisation | None
) -> PublishedProvider:
    """Match (or, with None, unmatch) a published name to one of our providers, by hand."""
    if organisation is not None and organisation.kind != OrganisationKind.PROVIDER:
        raise ValueError("a published name can only be matched to a provider")
    provider.organisation = organisation
    provider.matched_by = MatchMethod.MANUAL if organisation else ""
    provider.matched_at = timezone.now() if organisation else None
    provider.save(update_fields=["organisation", "matched_by", "matched_at"])
    record_event(
        by=by,
        action="published_provider.match",
        target=provider,
        organisation=organisation,
        summary=(
            f"{provider.name} matched to {organisation.name}"
            if organisation
            else f"{provider.name} unmatched"
        )[:300],
    )
    return provider
