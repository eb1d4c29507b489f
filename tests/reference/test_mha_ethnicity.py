"""Re-derive published figures: Mental Health Act detentions by ethnicity, England 2023-24.

NHS England's *Mental Health Act Statistics, Annual Figures 2023-24* (../shared/data/mha-annual-2023-24,
see its SOURCE.md) gives each ethnic group's count of detentions and its crude rate per 100,000
people, but not the population. The population is implied: count / crude rate x 100,000. What can be
checked against the published figures:

- the implied populations of the detailed groups add up to their broad group's, within the rounding
  of the published rates (a real check: five independent rounded figures must agree);
- `mhsip equity` on counts and implied populations gives back the published crude rates, and the
  Black / White rate ratio of the published crude rates, to the published precision, with an exact
  interval that agrees with the textbook log-scale interval for counts this large;
- the file's `Confidence_interval` is the half-width of the *age- and sex-standardised* rate's
  interval, a different quantity from our crude interval, so it is compared only in size.
"""

import csv
import json
import math

import numpy as np
import pytest

from mhsip.cli import main
from mhsip.equity import group_table, poisson_rate_interval, rate_ratio

FILE = "mha-annual-2023-24/mha_annual_suppressed_2023_24.csv"
PER = 100_000
#: Published rates are rounded to 0.1 per 100,000.
HALF_STEP = 0.05

# The NHS Data Dictionary's grouping of ethnic categories, as the file uses it.
BROAD_GROUPS = {
    "White": ["British", "Irish", "Any Other White background"],
    "Black or Black British": ["African", "Caribbean", "Any Other Black background"],
    "Asian or Asian British": ["Indian", "Pakistani", "Bangladeshi", "Any Other Asian background"],
    "Mixed": [
        "White and Black Caribbean",
        "White and Black African",
        "White and Asian",
        "Any Other Mixed background",
    ],
    "Other Ethnic Groups": ["Chinese", "Any Other Ethnic Group"],
}


@pytest.fixture(scope="module")
def ethnicity(shared_data):
    """All detentions by ethnicity, all providers: {group: (count, crude, std, half-width)},
    None where the file is blank (the "Unknown" group has a count but no population or rate)."""
    with open(shared_data / FILE, encoding="utf-8-sig", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["Measure"] == "All detentions"
            and r["Demographic"] == "Ethnicity"
            and r["OrganisationBreakdown"] == "All submissions"
        ]
    return {
        r["DemographicBreakdown"]: tuple(
            float(r[column]) if r[column] else None
            for column in ("Total_Count", "CrudeRate", "StdRate", "Confidence_interval")
        )
        for r in rows
    }


def implied_population(count, rate):
    return count / rate * PER


def test_the_check_values_in_source_md(ethnicity):
    assert ethnicity["Black or Black British"][:3] == (5693, 239.0, 242.3)
    assert ethnicity["White"][:3] == (31735, 69.5, 68.4)
    assert ethnicity["Black or Black British"][2] / ethnicity["White"][2] == pytest.approx(
        3.54, abs=0.005
    )


def _population_bounds(ethnicity, groups):
    """The lowest and highest total implied population, given the rates' rounding."""
    low = sum(implied_population(ethnicity[g][0], ethnicity[g][1] + HALF_STEP) for g in groups)
    high = sum(implied_population(ethnicity[g][0], ethnicity[g][1] - HALF_STEP) for g in groups)
    return low, high


@pytest.mark.parametrize("broad", [*BROAD_GROUPS, "All"])
def test_detailed_counts_add_up_to_the_broad_group(ethnicity, broad):
    # "All" is the five broad groups together (its rate, 80.7, leaves out unknown ethnicity).
    parts = BROAD_GROUPS.get(broad, list(BROAD_GROUPS))
    assert sum(ethnicity[p][0] for p in parts) == ethnicity[broad][0]


@pytest.mark.parametrize("broad", [*list(BROAD_GROUPS)[:4], "All"])
def test_implied_populations_add_up_to_the_broad_group(ethnicity, broad):
    # Five rounded rates imply populations that must add up, to within the rounding.
    parts = BROAD_GROUPS.get(broad, list(BROAD_GROUPS))
    low, high = _population_bounds(ethnicity, parts)
    whole_low, whole_high = _population_bounds(ethnicity, [broad])
    assert low <= whole_high and whole_low <= high


def test_other_ethnic_groups_population_has_a_part_with_no_detailed_category(ethnicity):
    # Chinese and "Any Other Ethnic Group" imply 1.34 million people, but "Other Ethnic Groups"
    # implies 1.66 million: about 0.32 million people are in the broad group's denominator and in
    # neither detailed one. Detentions add up (above), so that population's detentions are
    # counted in a detailed group, most likely "Any Other Ethnic Group", whose crude rate (212.6)
    # is then overstated. (The size matches the census's Arab group in England, which the NHS
    # ethnic categories fold into "any other".) Use the broad groups for ratios.
    low, high = _population_bounds(ethnicity, BROAD_GROUPS["Other Ethnic Groups"])
    whole_low, whole_high = _population_bounds(ethnicity, ["Other Ethnic Groups"])
    assert 315_000 < whole_low - high <= whole_high - low < 325_000


def _equity_input(ethnicity, tmp_path):
    path = tmp_path / "ethnicity.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["ethnicity", "detentions", "population"])
        for group in BROAD_GROUPS:
            count, rate = ethnicity[group][:2]
            writer.writerow([group, f"{count:.0f}", f"{implied_population(count, rate):.0f}"])
        # Unknown ethnicity: detentions are counted but there is no population to divide by.
        writer.writerow(["Unknown", f"{ethnicity['Unknown'][0]:.0f}", ""])
    return path


def test_equity_command_gives_back_the_published_crude_rates_and_ratio(ethnicity, tmp_path, capsys):
    code = main(
        [
            "equity",
            str(_equity_input(ethnicity, tmp_path)),
            "--group-column",
            "ethnicity",
            "--events-column",
            "detentions",
            "--denominator-column",
            "population",
            "--reference",
            "White",
            "--multiplier",
            str(PER),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert err.strip() == (
        'mhsip equity: note: 1 row had suppressed or blank values: line 7 "Unknown" '
        "(population blank); shown with suppressed true and no rates"
    )
    rows = {row["group"]: row for row in json.loads(out)}
    assert rows["Unknown"]["suppressed"] is True and rows["Unknown"]["events"] == 3726
    for group in BROAD_GROUPS:
        assert round(rows[group]["rate"], 1) == ethnicity[group][1]

    black = rows["Black or Black British"]
    # The ratio of the published crude rates, 239.0 / 69.5, is only known to within their rounding.
    lowest, highest = (
        (239.0 - HALF_STEP) / (69.5 + HALF_STEP),
        (239.0 + HALF_STEP) / (69.5 - HALF_STEP),
    )
    assert lowest <= black["rate_ratio"] <= highest
    assert round(black["rate_ratio"], 2) == round(239.0 / 69.5, 2) == 3.44
    # Exact conditional interval; with 5,693 and 31,735 events it agrees with the log-scale
    # interval exp(log RR +/- 1.96 sqrt(1/5693 + 1/31735)) to 3 significant figures.
    spread = 1.959964 * math.sqrt(1 / 5693 + 1 / 31735)
    assert black["ratio_lower"] == pytest.approx(black["rate_ratio"] * math.exp(-spread), rel=1e-3)
    assert black["ratio_upper"] == pytest.approx(black["rate_ratio"] * math.exp(spread), rel=1e-3)
    assert (round(black["ratio_lower"], 2), round(black["ratio_upper"], 2)) == (3.34, 3.54)
    assert black["reading"].startswith("3.44 times the rate of White (95% CI 3.34 to 3.54)")
    assert "a real difference" in black["reading"]


def test_rate_ratio_of_the_published_crude_rates(ethnicity):
    counts = {g: ethnicity[g][0] for g in ("Black or Black British", "White")}
    pops = {g: implied_population(*ethnicity[g][:2]) for g in counts}
    result = rate_ratio(
        counts["Black or Black British"],
        pops["Black or Black British"],
        counts["White"],
        pops["White"],
    )
    assert float(result.ratio) == pytest.approx(239.0 / 69.5, rel=1e-12)


def _crude_half_width(count, rate):
    lower, upper = poisson_rate_interval(count, implied_population(count, rate), multiplier=PER)
    return float(upper - lower) / 2


def test_confidence_interval_column_is_the_standardised_rates_not_the_crude(ethnicity):
    # Mixed: standardising moves the rate from 115.9 to 177.1 (a young group), and the published
    # interval 177.1 +/- 10.7 is far from the crude rate and twice as wide as its exact interval.
    count, crude, standardised, half_width = ethnicity["Mixed"]
    assert not standardised - half_width <= crude <= standardised + half_width
    assert half_width > 1.9 * _crude_half_width(count, crude)


@pytest.mark.parametrize("broad", list(BROAD_GROUPS))
def test_published_half_widths_are_the_size_of_our_interval_for_the_same_count(ethnicity, broad):
    # A standardised rate from the same count has about the crude rate's relative precision,
    # inflated by the unequal age-sex weights. So our exact crude half-width, scaled to the
    # standardised rate, should be close to the published one: 0.93 (White) to 1.35 (Mixed).
    count, crude, standardised, half_width = ethnicity[broad]
    scaled = _crude_half_width(count, crude) * standardised / crude
    assert 0.85 <= half_width / scaled <= 1.4


def test_group_table_reads_every_broad_group_against_white(ethnicity):
    groups = list(BROAD_GROUPS)
    table = group_table(
        groups,
        [ethnicity[g][0] for g in groups],
        [implied_population(*ethnicity[g][:2]) for g in groups],
        reference="White",
        multiplier=PER,
    )
    ratios = {row.group: row for row in table.rows}
    # Every group's crude rate is above White's, and with counts this large none could be chance.
    for group in groups[1:]:
        assert ratios[group].ratio_lower > 1
        assert "a real difference, higher" in ratios[group].reading
    assert np.isclose(ratios["Mixed"].rate_ratio, 115.9 / 69.5)
