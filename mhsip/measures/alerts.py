"""The champions' alert rules over SPC charts: pure functions, no Django.

Each rule reads the JSON object of a chart (`SpcResult.to_dict()`, as `mhsip spc` prints and the
dashboards draw) and says whether the **newest period** starts a new signal. A champion is told
about a signal once, when it starts, never again for each later point of the same signal:

- `concern_signal(current, previous)`: the newest point is a special cause of concern (any Making
  Data Count rule: outside the limits, a trend, two of three close to a limit, a shift), and
  none of the last `quiet` points of the chart *as it stood one period earlier* was. The rules
  look back (a shift flags all seven points once the seventh arrives), so comparing with
  today's chart would hide the very point at which a shift is recognised; comparing with the
  chart the watcher saw last period does not. A run of concerning points raises one alert, at
  its start. `quiet` (3) joins concerning points separated by one or two others into the same
  signal: "two of three close to a limit" flags only the close points, so a shifted process
  flickers between concern and common cause before seven points make a shift, and each flicker
  is not news. A series quiet for three periods that then concerns again raises a new alert.
- `improvement_lost_signal(current)`: the chart had a sustained improvement (a run flagged by
  the shift rule on the improving side of the centre line), the run has ended, and the first
  `confirm` points after it are all on the centre line or on its other side, the newest of them
  being the newest point. It is raised at that point only; the points after it are the same
  loss.
- `data_stopped_signal(has_data, labels)`: periods with no record and no bed days at the end of
  the series, after periods that had some. Its period is the first empty one, so however many
  empty months follow, it is one signal.

A signal carries no figures: alerts and digests reach people outside the provider that owns the
data, and a measure's name, a month and the rule that fired say enough to open the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

CONCERN = "special_cause_concern"
#: The MDC rules, in the order that decides a point's label (NHSRplotthedots 0.2.2
#: `R/ptd_calculate_point_type.R`: outside limits > trend > two in three > shift).
RULES = {
    "outside_limits": "outside the control limits",
    "trend": "a run of seven rising or falling points",
    "two_in_three": "two of three points close to a limit",
    "shift": "seven points in a row on one side of the centre line",
}
#: Periods without concern, before the newest point, that make its concern a new signal.
DEFAULT_QUIET = 3
#: Points after the end of an improving shift that must sit on or beyond the centre line before
#: the improvement counts as lost: one, as MDC reads a shift as over once a point crosses.
DEFAULT_CONFIRM = 1


class AlertKind(StrEnum):
    SPECIAL_CAUSE_CONCERN = "special_cause_concern"
    IMPROVEMENT_LOST = "improvement_lost"
    DATA_STOPPED = "data_stopped"

    @property
    def label(self) -> str:
        return {
            "special_cause_concern": "Special cause of concern",
            "improvement_lost": "Improvement lost",
            "data_stopped": "Data stopped arriving",
        }[self.value]


@dataclass(frozen=True)
class Signal:
    """A new signal: what kind, the period (YYYY-MM) it is about, and why, in words."""

    kind: AlertKind
    period: str
    reason: str


def month_label(label: str) -> str:
    """YYYY-MM (or a chart's YYYY-MM-DD) as the period's identity: YYYY-MM."""
    return label[:7]


def month_words(label: str) -> str:
    try:
        return date.fromisoformat(month_label(label) + "-01").strftime("%B %Y")
    except ValueError:
        return label


def _judged(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in points if p["point_type"] is not None]


def rule_that_labelled(point: dict[str, Any]) -> str | None:
    """The first rule, in MDC's order, that flags the point."""
    return next((rule for rule in RULES if point.get(rule)), None)


def concern_signal(
    current: dict[str, Any], previous: dict[str, Any] | None, *, quiet: int = DEFAULT_QUIET
) -> Signal | None:
    """A new special cause of concern at the newest point of `current`.

    `previous` is the chart as it stood one period earlier (the same series and limits plan
    without the newest period), or None when there was no earlier chart.
    """
    points = current["points"]
    if not points or points[-1]["point_type"] != CONCERN:
        return None
    newest = points[-1]
    if previous is not None:
        before = previous["points"][-quiet:]
        if any(p["point_type"] == CONCERN for p in before):
            return None  # the same signal, raised when it started
    rule = rule_that_labelled(newest)
    return Signal(
        AlertKind.SPECIAL_CAUSE_CONCERN,
        month_label(newest["date"]),
        f"{month_words(newest['date'])} is a special cause of concern: {RULES.get(rule, rule)}.",
    )


def _improving_side(point: dict[str, Any], sign: int) -> bool:
    value, centre = point["value"], point["centre"]
    if value is None or centre is None:
        return False
    return (value - centre) * sign > 0


def improvement_lost_signal(
    current: dict[str, Any], *, confirm: int = DEFAULT_CONFIRM
) -> Signal | None:
    """The newest point confirms that the last sustained improvement has been lost."""
    sign = {"increase": 1, "decrease": -1}.get(current.get("improvement"), 0)
    points = current["points"]
    if sign == 0 or not points or points[-1]["point_type"] is None:
        return None
    judged = _judged(points)
    run_end = None
    for index, point in enumerate(judged):
        if point["shift"] and _improving_side(point, sign):
            run_end = index
    if run_end is None:
        return None
    after = judged[run_end + 1 :]
    # Points still on the improving side (say, after a missing month broke the flagged run)
    # carry the improvement on; the first on or beyond the centre line ends it.
    lost_at = next((i for i, p in enumerate(after) if not _improving_side(p, sign)), None)
    if lost_at is None:
        return None
    confirming = after[lost_at : lost_at + confirm]
    if len(confirming) < confirm or any(_improving_side(p, sign) for p in confirming):
        return None
    if confirming[-1] is not judged[-1] or judged[-1] is not points[-1]:
        return None  # lost earlier, and said so then; or not lost yet
    since = judged[run_end]["date"]
    return Signal(
        AlertKind.IMPROVEMENT_LOST,
        month_label(points[-1]["date"]),
        f"The sustained improvement that ran to {month_words(since)} has ended: "
        f"{month_words(points[-1]['date'])} is back at or beyond the centre line.",
    )


def data_stopped_signal(has_data: Sequence[bool], labels: Sequence[str]) -> Signal | None:
    """No records and no bed days in the newest periods, after periods that had some."""
    if len(has_data) != len(labels):
        raise ValueError("has_data and labels must be the same length")
    if not has_data or has_data[-1]:
        return None
    last_with_data = max((i for i, has in enumerate(has_data) if has), default=None)
    if last_with_data is None:
        return None  # nothing ever arrived: not a stop
    first_empty = labels[last_with_data + 1]
    return Signal(
        AlertKind.DATA_STOPPED,
        month_label(first_empty),
        f"No use-of-force records and no occupied bed days since {month_words(first_empty)}.",
    )


def new_signals(
    current: dict[str, Any],
    previous: dict[str, Any] | None,
    *,
    quiet: int = DEFAULT_QUIET,
    confirm: int = DEFAULT_CONFIRM,
) -> list[Signal]:
    """Every SPC signal that starts at the newest point of `current`."""
    found = [
        concern_signal(current, previous, quiet=quiet),
        improvement_lost_signal(current, confirm=confirm),
    ]
    return [s for s in found if s is not None]
