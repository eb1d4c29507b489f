"""Assemble the monthly board report for a ward, provider or network.

Everything the report shows comes from the dashboards (`make_summary`, the same charts, icons,
aim tracker and suppression) for a span that ends with the report's month, plus the changes the
wards are testing from `mhsip.improvement` and the narrative the team wrote. Nothing here is
patient-level: the dashboards' figures are aggregates, suppressed for anyone outside the
provider (`Target.exact`), and improvement work holds no patient data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.core.cache import cache
from django.utils import timezone

from mhsip.charts.render import chart_svg_with_icons
from mhsip.dashboards.presenters import (
    HISTORY_MONTHS,
    MAIN_MEASURE,
    Summary,
    SummaryRow,
    Target,
    data_version,
    make_summary,
)
from mhsip.dashboards.queries import Level
from mhsip.improvement.models import ChangeStatus, PdsaCycle, ProjectChange, ProjectStatus
from mhsip.improvement.queries import annotations_for
from mhsip.measures import Periods
from mhsip.measures.periods import month_periods
from mhsip.reports.models import BoardReportNarrative
from mhsip.reports.pdf import render_pdf
from mhsip.spc.narrative import describe_chart

#: The charts a board looks at first (the programme's aim was about restraint, seclusion and
#: rapid tranquillisation: domain.md §3), in the order the report shows them.
KEY_MEASURES = (
    MAIN_MEASURE,
    "physical_restraint",
    "prone_restraint",
    "seclusion",
    "rapid_tranquillisation",
)
#: How far back the report looks for PDSA cycles: a board meets monthly, but a cycle that
#: ended last quarter is still what the team is learning from.
CYCLE_LOOKBACK_DAYS = 92
#: Months a board can pick from on the report page.
MONTHS_OFFERED = 24


def last_complete_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def months_offered(today: date | None = None) -> list[date]:
    """The last MONTHS_OFFERED complete months, newest first."""
    months, month = [], last_complete_month(today)
    for _ in range(MONTHS_OFFERED):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months


def parse_month(text: str | None, today: date | None = None) -> date | None:
    """'2026-03' -> 1 March 2026, if it is one of the months offered; None otherwise."""
    if not text:
        return last_complete_month(today)
    try:
        month = date.fromisoformat(f"{text}-01")
    except ValueError:
        return None
    return month if month in months_offered(today) else None


def report_span(month: date) -> Periods:
    """The dashboards' span (HISTORY_MONTHS months), ending with the report's month."""
    first = (np.datetime64(month, "M") - (HISTORY_MONTHS - 1)).astype("datetime64[D]").item()
    return month_periods(first, month)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass
class ChartPage:
    row: SummaryRow
    svg: str
    reading: list[str]


@dataclass
class CycleLine:
    ward: str
    project: str
    change: str
    stage: str
    started: date
    ended: date | None
    question: str
    learning: str
    decision: str


@dataclass
class ChangeLine:
    ward: str
    project: str
    change: str
    status: str
    adopted_on: date | None


@dataclass
class BoardReport:
    target: Target
    month: date
    summary: Summary
    charts: list[ChartPage]
    changes: list[ChangeLine]
    cycles: list[CycleLine]
    narrative: BoardReportNarrative | None
    generated_at: Any = field(default_factory=timezone.now)

    @property
    def month_words(self) -> str:
        return f"{self.month:%B %Y}"


def narrative_for(target: Target, month: date) -> BoardReportNarrative | None:
    about = {"ward": target.ward} if target.ward else {"organisation": target.organisation}
    return (
        BoardReportNarrative.objects.filter(month=month, **about)
        .select_related("updated_by")
        .first()
    )


def make_board_report(target: Target, month: date) -> BoardReport:
    span = report_span(month)
    summary = make_summary(target, span)
    rows = {row.measure.id: row for rows in summary.rows_by_type.values() for row in rows}
    charts = []
    for measure_id in KEY_MEASURES:
        row = rows.get(measure_id)
        if row is None:
            continue
        annotations = []
        if target.level is Level.WARD and target.ward is not None:
            annotations = annotations_for(
                target.ward, measure_id, span.starts[0].item(), month_end(month)
            )
        svg = chart_svg_with_icons(
            row.chart,
            title=row.measure.name,
            annotations=annotations,
            width=640,
            height=260,
        )
        charts.append(ChartPage(row, svg, describe_chart(row.chart, noun="rate")))
    changes, cycles = improvement_work(target, month)
    return BoardReport(
        target=target,
        month=month,
        summary=summary,
        charts=charts,
        changes=changes,
        cycles=cycles,
        narrative=narrative_for(target, month),
    )


#: Seconds a rendered board report is kept; a change to the data or narrative makes a new key.
PDF_CACHE_SECONDS = 600


def board_report_pdf(target: Target, month: date) -> bytes:
    """The board report as PDF, the same for everyone who sees the same figures (exact or
    suppressed) and kept until the data, the improvement work or the narrative changes: a board
    pack is downloaded by many people. Raises PdfUnavailable on a server without Pango."""
    narrative = narrative_for(target, month)
    about = ":".join(
        [
            str(target.level),
            target.code,
            str(target.exact),
            f"{month:%Y-%m}",
            f"{timezone.localdate():%Y-%m-%d}",
            data_version(target.group.ward_ids),
            improvement_version(target.group.ward_ids),
            str(narrative.updated_at if narrative else ""),
        ]
    )
    key = "board-report-pdf:" + hashlib.sha256(about.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        report = make_board_report(target, month)
        pdf = render_pdf("reports/board_report_pdf.html", {"report": report})
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def improvement_version(ward_ids: tuple[int, ...]) -> str:
    """Changes whenever the improvement work a report shows changes (the dashboards' data
    version leaves it out: their figures do not depend on it)."""
    from django.db.models import Count, Max

    cycles = PdsaCycle.objects.filter(project__ward__in=ward_ids).aggregate(
        n=Count("id"), m=Max("updated_at")
    )
    changes = ProjectChange.objects.filter(project__ward__in=ward_ids).values_list(
        "id", "status", "adopted_on", "project__status"
    )
    return f"{cycles['n']}:{cycles['m']}:{sorted(changes, key=lambda c: c[0])}"


def improvement_work(target: Target, month: date) -> tuple[list[ChangeLine], list[CycleLine]]:
    """The changes the target's wards are testing or adopted, and their PDSA cycles that were
    going on in the CYCLE_LOOKBACK_DAYS up to the end of the report's month."""
    last = month_end(month)
    first = last - timedelta(days=CYCLE_LOOKBACK_DAYS)
    ward_ids = target.group.ward_ids
    changes = [
        ChangeLine(
            ward=change.project.ward.name,
            project=change.project.title,
            change=str(change.change_idea),
            status=change.get_status_display(),
            adopted_on=change.adopted_on,
        )
        for change in ProjectChange.objects.filter(
            project__ward__in=ward_ids,
            project__status=ProjectStatus.ACTIVE,
            status__in=[ChangeStatus.TESTING, ChangeStatus.ADOPTED],
        )
        .select_related("project__ward", "change_idea")
        .order_by("project__ward__name", "project__title", "id")
        if change.adopted_on is None or change.adopted_on <= last
    ]
    cycles = []
    for cycle in (
        PdsaCycle.objects.filter(project__ward__in=ward_ids, planned_start__lte=last)
        .select_related("project__ward", "change__change_idea")
        .order_by("project__ward__name", "planned_start", "id")
    ):
        ended = cycle.ended_on or cycle.planned_end
        if ended < first:
            continue
        cycles.append(
            CycleLine(
                ward=cycle.project.ward.name,
                project=cycle.project.title,
                change=str(cycle.change),
                stage=cycle.get_stage_display(),
                started=cycle.date,
                ended=cycle.ended_on,
                question=cycle.question,
                learning=cycle.learning or cycle.result,
                decision=cycle.get_decision_display() if cycle.decision else "",
            )
        )
    return changes, cycles
