"""Named statistical constants, each with its published source.

Keeping them here (rather than inline) lets a reader check every number against the reference it
came from, and stops the two "2.66"s of SPC from being confused.
"""

from typing import Final

#: Making Data Count's XmR limit multiplier: 3 / d2 with d2 = 1.128 for moving ranges of 2,
#: rounded to 2.66 as NHS England's MDC tool and NHSRplotthedots 0.2.2 (`ptd_spc_standard.R`) do.
#: qicharts2's I chart uses the unrounded 3 / 1.128 = 2.6596 (see `I_CHART_D2`).
MDC_XMR_LIMIT: Final = 2.66

#: Two-sigma ("close to limits") band for the MDC XmR chart: 2/3 of the 3-sigma width
#: (NHSRplotthedots `limitclose <- 2 * (limit / 3)`).
MDC_XMR_CLOSE: Final = 2 * MDC_XMR_LIMIT / 3

#: D4 for moving ranges of 2 (Montgomery, Introduction to SQC, Appendix VI): the upper limit of the
#: MR chart and the screening threshold for moving ranges (Nelson 1982).
MR_UPPER_FACTOR: Final = 3.267

#: d2 for subgroups of 2 (Montgomery, Appendix VI): sigma = mean MR / d2 in qicharts2's I, t, p' and
#: u' charts (`helper.functions.R`, "Montgomery 6.33").
I_CHART_D2: Final = 1.128

#: Exponent of Nelson's transformation of times between rare events to near-normality (Nelson 1994,
#: used by qicharts2 `qic.t`): y ** (1 / 3.6) for the I chart, results raised back ** 3.6.
T_CHART_EXPONENT: Final = 3.6

#: Width of Shewhart control limits in standard errors.
SIGMA_LIMIT: Final = 3.0
#: Width of the warning ("2-sigma") lines in standard errors.
SIGMA_WARNING: Final = 2.0

#: Anhøj's longest-run limit is round(log2(n)) + RUNS_LONGEST_OFFSET (Schilling 2012; qicharts2
#: `runs.analysis`).
RUNS_LONGEST_OFFSET: Final = 3
#: Anhøj's crossings limit is the 5% lower quantile of Binomial(n - 1, 0.5) (Chen 2010; qicharts2).
RUNS_CROSSINGS_QUANTILE: Final = 0.05

#: MDC rule defaults (NHSRplotthedots 0.2.2); the MDC Excel tool also offers 6.
DEFAULT_SHIFT_LENGTH: Final = 7
DEFAULT_TREND_LENGTH: Final = 7

#: Fixing limits on fewer than 12 points is not allowed by the MDC tool (its baseline must be the
#: first 12-20 points); phases with fewer than 13 points carry a "trial limits" warning.
MIN_FIX_AFTER: Final = 12
TRIAL_LIMITS_BELOW: Final = 13
