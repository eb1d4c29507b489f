"""A funnel of published statistics: people restrained per 1,000 bed days, by provider and month.

From NHS Digital's monthly MHSDS statistics, September 2021 to August 2022
(../shared/data/mhsds-restraint-provider-2021-22, see its SOURCE.md): MHS76, people subject to a
restrictive intervention, and bed days, for each provider. The published counts are rounded to the
nearest 5 and those below 5 are shown as `*`, so the file exercises suppressed and rounded values.
A unit is a provider with an MHS76 row that month; providers that reported no restraint have no
row and are not units (the under-reporting that PROD-ALERT describes).

The checks are the ones a reader can verify by hand: the pooled rate, limits that bracket it and
narrow as bed days grow, flags that match the limits, and every suppressed row reported.
"""

import csv
import json

import pytest

from mhsip.cli import main

TIDY = "mhsds-restraint-provider-2021-22/mhsds_restraint_beds_detentions_by_provider_2021-09_2022-08.csv"
MONTHS = [f"{year}-{month:02d}-01" for year, month in [(2021, m) for m in range(9, 13)]] + [
    f"2022-{month:02d}-01" for month in range(1, 9)
]
# SOURCE.md's quick facts: providers with an MHS76 row and the sum of the unsuppressed MHS76.
QUICK_FACTS = {
    "2021-09-01": (52, 2340),
    "2021-12-01": (42, 1865),
    "2022-03-01": (48, 2610),
    "2022-08-01": (50, 2860),
}
OPTIONS = [
    "--unit-column",
    "provider",
    "--events-column",
    "people_restrained",
    "--denominator-column",
    "bed_days",
]


@pytest.fixture(scope="module")
def tidy(shared_data):
    with open(shared_data / TIDY, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def month_table(tidy, month):
    """{provider: (people restrained, bed days)} as published: "*" where suppressed, "" if none."""
    cells: dict[str, dict[str, str]] = {}
    for row in tidy:
        if row["period_start"] == month and row["measure"] in {"MHS76", "BED_DAYS"}:
            value = "*" if row["suppressed"] == "true" else row["value"]
            cells.setdefault(row["provider_name"], {})[row["measure"]] = value
    return {p: (c["MHS76"], c.get("BED_DAYS", "")) for p, c in cells.items() if "MHS76" in c}


def write_month(tmp_path, table):
    path = tmp_path / "month.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)  # quotes names with commas, such as "TEES, ESK AND WEAR ..."
        writer.writerow(["provider", "people_restrained", "bed_days"])
        writer.writerows([provider, *values] for provider, values in table.items())
    return path


def run_funnel(capsys, path, *extra):
    code = main(["funnel", str(path), *OPTIONS, *extra])
    out, err = capsys.readouterr()
    assert code == 0
    return json.loads(out), err


@pytest.mark.parametrize("month", MONTHS)
def test_funnel_of_each_month(tidy, month, tmp_path, capsys):
    table = month_table(tidy, month)
    document, err = run_funnel(capsys, write_month(tmp_path, table))
    units = document["units"]

    # Every provider with an MHS76 row is a unit, in the file's order; none is dropped.
    assert [u["unit"] for u in units] == list(table)
    if month in QUICK_FACTS:
        providers, people = QUICK_FACTS[month]
        assert len(units) == providers
        assert sum(int(e) for e, _ in table.values() if e != "*") == people

    # Suppressed rows are listed with flag unknown and counted in the note.
    unknown = [p for p, (e, d) in table.items() if "*" in (e, d) or "" in (e, d)]
    assert [u["unit"] for u in units if u["flag"] == "unknown"] == unknown
    if unknown:
        assert f"note: {len(unknown)} row{'s' * (len(unknown) != 1)} had suppressed or blank" in err
    else:
        assert err == ""

    # The centre is the pooled rate over units with both values known.
    known = [
        (int(e), int(d)) for e, d in table.values() if e not in {"*", ""} and d not in {"*", ""}
    ]
    centre = sum(e for e, _ in known) / sum(d for _, d in known) * 1000
    assert document["centre"] == pytest.approx(centre, rel=1e-12)

    shown = [u for u in units if u["flag"] != "unknown"]
    # The published counts are rounded to the nearest 5: the funnel uses them as they are.
    assert all(u["events"] % 5 == 0 for u in shown)
    for u in shown:
        assert u["rate"] == pytest.approx(u["events"] / u["denominator"] * 1000)
        assert u["lower_998"] <= u["lower_95"] <= u["centre"] <= u["upper_95"] <= u["upper_998"]
        if u["flag"] == "high":
            assert u["rate"] > u["upper_998"]
        elif u["flag"] == "low":
            assert u["rate"] < u["lower_998"]
        else:
            assert u["flag"] == "in_range" and u["lower_998"] <= u["rate"] <= u["upper_998"]

    # Limits narrow as bed days grow (every unit here expects at least 0.1 events).
    by_size = sorted(shown, key=lambda u: u["denominator"])
    assert all(u["centre"] * u["denominator"] / 1000 >= 0.1 for u in by_size)
    for small, large in zip(by_size, by_size[1:], strict=False):
        assert large["lower_998"] >= small["lower_998"] - 1e-12
        assert large["upper_998"] <= small["upper_998"] + 1e-12
        assert (
            large["upper_95"] - large["lower_95"] <= small["upper_95"] - small["lower_95"] + 1e-12
        )


def test_march_2022_outliers_and_overdispersion(tidy, tmp_path, capsys):
    path = write_month(tmp_path, month_table(tidy, "2022-03-01"))
    plain, err = run_funnel(capsys, path)
    flags = {u["unit"]: u for u in plain["units"]}
    assert "line 17 \"EQUILIBRIUM HEALTHCARE\" (people_restrained '*')" in err
    assert flags["EQUILIBRIUM HEALTHCARE"]["events"] is None
    assert flags["EQUILIBRIUM HEALTHCARE"]["denominator"] == 470
    # By hand: 2,610 people over 520,470 bed days is 5.01 per 1,000. Cumbria, Northumberland, Tyne
    # and Wear restrained 210 people in 20,790 bed days, where 104 would be expected: high.
    # Barnet, Enfield and Haringey restrained 20 in 15,430, where 77 would be expected: low.
    assert plain["centre"] == pytest.approx(2610 / 520_470 * 1000)
    cntw = flags["CUMBRIA, NORTHUMBERLAND, TYNE AND WEAR NHS FOUNDATION TRUST"]
    beh = flags["BARNET, ENFIELD AND HARINGEY MENTAL HEALTH NHS TRUST"]
    assert (cntw["flag"], beh["flag"]) == ("high", "low")

    # Providers differ far more than chance allows: phi is about 3. Allowing for it flags fewer
    # providers, and never more; the most extreme stay flagged.
    assert plain["phi"] > 2
    wide, note = run_funnel(capsys, path, "--overdispersion")
    assert "over-dispersion phi = 3.09 from 46 units" in note
    flagged = [u["unit"] for u in plain["units"] if u["flag"] in {"high", "low"}]
    still = [u["unit"] for u in wide["units"] if u["flag"] in {"high", "low"}]
    assert set(still) < set(flagged)
    assert cntw["unit"] in still and beh["unit"] in still
