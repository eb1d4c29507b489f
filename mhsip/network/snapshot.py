""" "Did it work?" as the network sees it: the verdict and chart of a change, suppressed
(network members are outside the provider that owns the data), as stored in a case study at
publication and as shown in "what worked where"."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mhsip.charts.spc import build_spc_chart_spec
from mhsip.improvement.effects import ChangeJudgement, NotAdopted, did_it_work
from mhsip.improvement.models import ChangeStatus, ProjectChange
from mhsip.measures.effect import Verdict
from mhsip.network.models import Result

logger = logging.getLogger(__name__)

#: The verdict in the library's three words.
RESULTS = {
    Verdict.WORKED: Result.WORKED,
    Verdict.WORSENED: Result.NOT_SHOWN,
    Verdict.NOT_CLEAR: Result.NOT_SHOWN,
    Verdict.TOO_EARLY: Result.NOT_ENOUGH_DATA,
}


@dataclass(frozen=True)
class Evidence:
    """What a ward found about a change, as the network may see it."""

    result: Result
    headline: str
    summary: str
    measure_name: str = ""
    ratio: float | None = None
    ratio_lower: float | None = None
    ratio_upper: float | None = None
    judgement: ChangeJudgement | None = None


def result_of(judgement: ChangeJudgement) -> Result:
    effect = judgement.effect
    if effect.points_before == 0 or effect.points_after == 0:
        return Result.NOT_ENOUGH_DATA
    return RESULTS[effect.verdict]


def evidence_for(change: ProjectChange) -> Evidence:
    """The suppressed "did it work?" of an adopted change; for any other, what its status says."""
    if change.status != ChangeStatus.ADOPTED:
        words = {
            ChangeStatus.ABANDONED: "Abandoned: the team stopped testing it, so there is no "
            "before and after to judge.",
            ChangeStatus.TESTING: "Still being tested.",
            ChangeStatus.NOT_TESTED: "Not tested yet.",
        }[ChangeStatus(change.status)]
        result = (
            Result.NOT_SHOWN
            if change.status == ChangeStatus.ABANDONED
            else (Result.NOT_ENOUGH_DATA)
        )
        return Evidence(result, change.get_status_display(), words)
    try:
        judgement = did_it_work(change, exact=False)
    except NotAdopted:  # adopted without a date: nothing to split the measures at
        return Evidence(Result.NOT_ENOUGH_DATA, "No date of adoption", "No date to judge from.")
    effect = judgement.effect
    shown = not judgement.suppressed
    return Evidence(
        result=result_of(judgement),
        headline=judgement.headline,
        summary=judgement.summary,
        measure_name=judgement.measure.name,
        ratio=effect.ratio if shown else None,
        ratio_lower=effect.ratio_lower if shown else None,
        ratio_upper=effect.ratio_upper if shown else None,
        judgement=judgement,
    )


def take_snapshot(change: ProjectChange) -> dict[str, Any]:
    """The case study's snapshot fields, worked out now."""
    evidence = evidence_for(change)
    fields: dict[str, Any] = {
        "result": evidence.result,
        "verdict": evidence.judgement.effect.verdict if evidence.judgement else change.status,
        "verdict_headline": evidence.headline,
        "verdict_summary": evidence.summary,
        "measure_name": evidence.measure_name,
        "rate_ratio": evidence.ratio,
        "ratio_lower": evidence.ratio_lower,
        "ratio_upper": evidence.ratio_upper,
        "chart_spec": None,
        "chart_svg": "",
        "snapshot_at": timezone.now(),
    }
    judgement = evidence.judgement
    if judgement is not None:
        ward = change.project.ward
        spec = build_spc_chart_spec(
            judgement.chart,
            title=f"{judgement.measure.name}: {ward.name}",
            annotations=judgement.annotations,
            width=680,
            height=300,
        )
        fields["chart_spec"] = spec
        fields["chart_svg"] = _svg(spec)
    return fields


def _svg(spec: dict[str, Any]) -> str:
    """The chart as SVG; the page still draws the stored spec if rendering is unavailable."""
    from mhsip.charts.render import render_svg

    try:
        return render_svg(spec)
    except Exception:  # noqa: BLE001 - a missing renderer must not stop publication
        logger.exception("could not render a case study's chart to SVG")
        return ""
