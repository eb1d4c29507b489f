"""A chart read out in plain English, the way an improvement coach would read it to a ward team.

Works on the JSON object of a chart (`SpcResult.to_dict()`), so pages, reports, e-mails and the
command line say the same thing about the same chart.
"""

from __future__ import annotations

from datetime import date
from typing import Any

IMPROVING = {"special_cause_improvement"}
CONCERNING = {"special_cause_concern"}


def _when(label: str) -> str:
    try:
        return date.fromisoformat(label).strftime("%B %Y")
    except ValueError:
        return label


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def _run_back_from_end(points: list[dict[str, Any]], flag: str) -> list[dict[str, Any]]:
    """The flagged points ending at the last judged point (empty when it is not flagged)."""
    judged = [p for p in points if p["point_type"] is not None]
    run: list[dict[str, Any]] = []
    for point in reversed(judged):
        if not point[flag]:
            break
        run.append(point)
    return list(reversed(run))


def describe_chart(chart: dict[str, Any], *, noun: str = "value") -> list[str]:
    """Sentences about the latest phase: what the latest point says, any sustained run or
    trend, the runs analysis, and the target."""
    phases = chart["phases"]
    points = [p for p in chart["points"] if p["phase"] == len(phases) - 1]
    judged = [p for p in points if p["point_type"] is not None]
    if not judged:
        return ["There is no data to chart yet."]
    last = judged[-1]
    sentences = []
    direction = chart.get("improvement")
    good = {"increase": "higher", "decrease": "lower"}.get(direction)

    shift = _run_back_from_end(points, "shift")
    trend = _run_back_from_end(points, "trend")
    if last["outside_limits"]:
        side = "above the upper" if last["value"] > (last["upper"] or 0) else "below the lower"
        kind = _meaning(last["point_type"])
        sentences.append(
            f"The latest {noun} ({_number(last['value'])} in {_when(last['date'])}) is {side} "
            f"limit: {kind}."
        )
    if len(shift) >= 2 and shift[0]["centre"] is not None:
        side = "above" if shift[-1]["value"] > shift[-1]["centre"] else "below"
        meaning = {"lower": "a sustained reduction", "higher": "a sustained increase"}
        if good is None:
            what = "a sustained shift"
        elif (side == "below") == (good == "lower"):
            what = f"{meaning[good]}, an improvement"
        else:
            what = "a sustained change in the wrong direction"
        sentences.append(
            f"{len(shift)} points {side} the centre line since {_when(shift[0]['date'])}: {what}."
        )
    elif len(trend) >= 2:
        rising = trend[-1]["value"] > trend[0]["value"]
        sentences.append(
            f"{len(trend)} points in a row {'rising' if rising else 'falling'} since "
            f"{_when(trend[0]['date'])}: {_meaning(last['point_type'])}."
        )
    elif last["special_cause"] and not last["outside_limits"]:
        sentences.append(f"The latest {noun} is unusual: {_meaning(last['point_type'])}.")
    elif not last["outside_limits"]:
        sentences.append(
            f"Common cause variation: nothing in the latest {noun} "
            f"({_number(last['value'])} in {_when(last['date'])}) suggests a real change."
        )

    centre = last["centre"]
    if last["lower"] is not None and last["upper"] is not None:
        sentences.append(
            f"Since {_when(phases[-1]['start'])} the {noun} has averaged {_number(centre)} and "
            f"can be expected to vary between {_number(last['lower'])} and "
            f"{_number(last['upper'])} while nothing changes."
        )
    elif centre is not None:
        sentences.append(f"Since {_when(phases[-1]['start'])} the median is {_number(centre)}.")
    if phases[-1].get("runs_signal"):
        sentences.append(
            "The runs analysis also signals non-random variation (an unusually long run or too "
            "few crossings of the centre line)."
        )
    assurance = chart.get("assurance")
    target = chart.get("target")
    if assurance and target is not None:
        sentences.append(
            {
                "consistent_pass": f"The process will consistently meet the target of "
                f"{_number(target)}.",
                "consistent_fail": f"The process will not meet the target of {_number(target)} "
                "without a change to the system.",
                "inconsistent": f"The target of {_number(target)} lies within the limits: it "
                "will sometimes be met and sometimes not.",
            }[assurance]
        )
    return sentences


def _meaning(point_type: str | None) -> str:
    return {
        "special_cause_improvement": "a special cause of improvement",
        "special_cause_concern": "a special cause of concern",
        "special_cause_neutral_high": "a special cause (higher than expected)",
        "special_cause_neutral_low": "a special cause (lower than expected)",
    }.get(point_type or "", "common cause variation")
