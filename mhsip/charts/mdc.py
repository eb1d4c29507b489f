"""Making Data Count's visual vocabulary: colours, the words for point types and icons.

Shared by the chart spec, the icons and the saved files so that a point drawn blue, the blue "H"
icon and the words a screen reader hears always say the same thing.
"""

from __future__ import annotations

from typing import Any, Final

# --- Colours -------------------------------------------------------------------------------------
# MDC colours points grey (common cause), blue (special cause improvement), orange (special cause
# concern) and purple (special cause, neutral direction); NHSRplotthedots' `ptd_spc_colours()`
# uses the same four hues. We take them from the NHS identity palette so the charts sit with the
# NHS.UK frontend. Improvement and concern points get a lighter fill and a darker outline: the
# outline keeps the pale fill visible on white and separates overlapping points.
COMMON_CAUSE: Final = "#7B7D7D"  # MDC grey
IMPROVEMENT_FILL: Final = "#41B6E6"  # NHS light blue
IMPROVEMENT_STROKE: Final = "#005EB8"  # NHS blue
CONCERN_FILL: Final = "#FFB24C"  # MDC orange
CONCERN_STROKE: Final = "#ED8B00"  # NHS orange
NEUTRAL: Final = "#490092"  # MDC purple (NHSRplotthedots' special_cause_neutral)
EXCLUDED_FILL: Final = "#FFFFFF"  # excluded points are drawn hollow

VALUE_LINE: Final = "#A6A6A6"  # the line joining the points: lighter than the points it joins
CENTRE_LINE: Final = "#231F20"  # MDC draws the mean (or median) near-black and solid
LIMIT_LINE: Final = "#7B7D7D"  # process limits: grey and dashed, as MDC
TARGET_LINE: Final = "#DA291C"  # NHS emergency-services red; MDC and NHSRplotthedots draw it red
PHASE_RULE: Final = "#AEB7BD"  # NHS grey 3: a quiet rule where the limits were recalculated
ANNOTATION: Final = "#425563"  # NHS dark grey: PDSA cycles and other notes
TEXT: Final = "#212B32"  # NHS.UK body text colour
GRID: Final = "#E8EDEE"  # NHS pale grey
# Arial is what MDC's Excel tool uses and the NHS.UK frontend falls back to; Liberation Sans has
# Arial's metrics and is the font a Debian machine without Arial actually renders with.
FONT: Final = "Arial, 'Liberation Sans', Helvetica, sans-serif"

# --- Point types ---------------------------------------------------------------------------------
#: Words for each `point_type` of `SpcResult.to_dict()`, used in tooltips and descriptions.
POINT_TYPE_WORDS: Final[dict[str, str]] = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause \u2014 improvement",
    "special_cause_concern": "Special cause \u2014 concern",
    "special_cause_neutral_high": "Special cause \u2014 neutral (high)",
    "special_cause_neutral_low": "Special cause \u2014 neutral (low)",
}
EXCLUDED_WORDS: Final = "Excluded from the calculations"

# --- Icons ---------------------------------------------------------------------------------------
#: The variation icons MDC draws, keyed by `variation_key()`.
VARIATION_WORDS: Final[dict[str, str]] = {
    "common_cause": "common cause variation",
    "improvement_high": "special cause variation of an improving nature where higher is better",
    "improvement_low": "special cause variation of an improving nature where lower is better",
    "concern_high": "special cause variation of a concerning nature where higher is a concern",
    "concern_low": "special cause variation of a concerning nature where lower is a concern",
    "neutral_high": "special cause variation of a neutral nature, higher values",
    "neutral_low": "special cause variation of a neutral nature, lower values",
    "none": "no variation icon: no point could be judged",
}
#: Short forms for the one-line chart description.
VARIATION_SHORT: Final[dict[str, str]] = {
    "common_cause": "common cause",
    "improvement_high": "special cause improvement (high)",
    "improvement_low": "special cause improvement (low)",
    "concern_high": "special cause concern (high)",
    "concern_low": "special cause concern (low)",
    "neutral_high": "special cause neutral (high)",
    "neutral_low": "special cause neutral (low)",
    "none": "not judged",
}
ASSURANCE_WORDS: Final[dict[str, str]] = {
    "consistent_pass": "the process will consistently meet the target",
    "consistent_fail": "the process will consistently fail to meet the target",
    "inconsistent": "the process will inconsistently meet and fail the target",
}
ASSURANCE_SHORT: Final[dict[str, str]] = {
    "consistent_pass": "consistently met",
    "consistent_fail": "consistently not met",
    "inconsistent": "inconsistently met",
}


def variation_key(chart: dict[str, Any]) -> str:
    """Which variation icon the chart gets: `common_cause`, `improvement_high`, ..., or `none`.

    MDC's icon is the point type of the last judged point (`chart["variation"]`). A neutral point
    type already says high or low. For improvement and concern, high or low follows from the
    improvement direction, as NHSRplotthedots' `geom_ptd_icon()` does: with "increase is better"
    a special-cause improvement is always high and a concern always low. Reading it from the last
    point against its centre line would agree except for a trend that has not yet crossed the
    centre line, where it would give the opposite letter to the rule that fired.
    """
    variation = chart.get("variation")
    if variation is None:
        return "none"
    if variation == "common_cause":
        return "common_cause"
    if variation.startswith("special_cause_neutral_"):
        return "neutral_" + variation.rsplit("_", 1)[1]
    nature = "improvement" if variation == "special_cause_improvement" else "concern"
    higher_is_better = chart["improvement"] == "increase"
    high = higher_is_better if nature == "improvement" else not higher_is_better
    return f"{nature}_{'high' if high else 'low'}"
