"""mhsip against qicharts2 0.8.1's own regression references (tests/testthat/hai_*.rds).

The reference summaries were exported from qicharts2's test fixtures; see
../shared/data/qicharts2-example-data/SOURCE.md for the exact qic() calls.
"""

import csv
from collections import defaultdict

import numpy as np
import pytest

from mhsip.spc import SpcOptions, spc_chart
from tests.reference import naive_spc


def _read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def infections(shared_data):
    return _read(shared_data / "qicharts2-example-data" / "hospital_infections.csv")


def _reference(shared_data, name):
    return _read(shared_data / "qicharts2-example-data" / f"reference_summary_{name}.csv")


def _monthly(rows, keep=lambda row: True):
    events, days = defaultdict(float), defaultdict(float)
    for row in rows:
        if keep(row):
            events[row["month"]] += float(row["n"])
            days[row["month"]] += float(row["days"])
    months = sorted(events)
    return months, [events[m] for m in months], [days[m] for m in months]


def _assert_summary(result, series, expected):
    phase = result.phases[0]
    assert result.centre[series, 0] == pytest.approx(float(expected["CL"]), rel=1e-9)
    assert result.lower[series].mean() == pytest.approx(float(expected["aLCL"]), rel=1e-9)
    assert result.upper[series].mean() == pytest.approx(float(expected["aUCL"]), rel=1e-9)
    assert phase.runs.useful_points[series] == int(expected["n.useful"])
    assert phase.runs.longest_run[series] == int(expected["longest.run"])
    assert phase.runs.longest_run_max[series] == int(expected["longest.run.max"])
    assert phase.runs.crossings[series] == int(expected["n.crossings"])
    assert phase.runs.crossings_min[series] == int(expected["n.crossings.min"])
    assert np.count_nonzero(result.outside_limits[series]) == int(expected["sigma.signal"])


def test_hai_1_u_chart_of_all_infections(shared_data, infections):
    months, events, days = _monthly(infections)
    result = spc_chart(events, denominators=days, chart="u", dates=months)
    (expected,) = _reference(shared_data, "hai_1")
    _assert_summary(result, 0, expected)
    assert bool(result.phases[0].runs.signal[0]) is (expected["runs.signal"] == "1")


def test_hai_2_u_chart_per_infection(shared_data, infections):
    for expected in _reference(shared_data, "hai_2"):
        infection = expected["facet1"]
        months, events, days = _monthly(infections, lambda r, i=infection: r["infection"] == i)
        result = spc_chart(events, denominators=days, chart="u", dates=months)
        _assert_summary(result, 0, expected)


def test_hai_3_eighteen_panels_charted_as_one_matrix(shared_data, infections):
    """All 18 hospital x infection panels go through the engine in one vectorised call."""
    references = _reference(shared_data, "hai_3")
    panels = [(r["facet1"], r["facet2"]) for r in references]
    cells = {(r["hospital"], r["infection"], r["month"]): r for r in infections}
    months = sorted({r["month"] for r in infections})
    events = [[float(cells[(h, i, m)]["n"]) for m in months] for h, i in panels]
    days = [[float(cells[(h, i, m)]["days"]) for m in months] for h, i in panels]

    result = spc_chart(events, denominators=days, chart="u", dates=months)

    for series, expected in enumerate(references):
        _assert_summary(result, series, expected)
        assert bool(result.phases[0].runs.signal[series]) is (expected["runs.signal"] == "1")
    signalled = {panels[s] for s in np.flatnonzero(result.phases[0].runs.signal)}
    assert signalled == {("BOH", "UTI"), ("NOH", "UTI")}


def test_hai_4_funnel_style_u_chart_per_10000_days(shared_data, infections):
    """Hospitals on the x axis ordered by days, from July 2016, rates per 10,000 days."""
    for expected in _reference(shared_data, "hai_4"):
        events, days = defaultdict(float), defaultdict(float)
        for row in infections:
            if row["infection"] == expected["facet1"] and row["month"] >= "2016-07-01":
                events[row["hospital"]] += float(row["n"])
                days[row["hospital"]] += float(row["days"])
        hospitals = sorted(events, key=days.get)
        result = spc_chart(
            [events[h] for h in hospitals],
            denominators=[days[h] for h in hospitals],
            chart="u",
            dates=hospitals,
            options=SpcOptions(multiplier=10_000),
        )
        _assert_summary(result, 0, expected)


def test_cdi_before_and_after_the_intervention(shared_data):
    """qicharts2's `cdi` example: C. difficile per 10,000 risk days, intervention from 2014-11.

    Rebasing at the intervention gives two phases whose lines and runs analysis must equal a
    plain, loop-by-loop calculation of each phase on its own.
    """
    rows = _read(shared_data / "qicharts2-example-data" / "cdi.csv")
    months = [r["month"] for r in rows]
    events = [float(r["n"]) for r in rows]
    days = [float(r["days"]) for r in rows]
    start = months.index("2014-11-01")
    assert [r["period"] for r in rows[start - 1 : start + 1]] == ["pre", "post"]

    result = spc_chart(
        events,
        denominators=days,
        chart="u",
        dates=months,
        rebase=["2014-11-01"],
        options=SpcOptions(multiplier=10_000, improvement="decrease"),
    )

    assert [p.start for p in result.phases] == [0, start]
    for phase, (lo, hi) in zip(result.phases, [(0, start), (start, len(rows))], strict=True):
        lines = naive_spc.u_lines(events[lo:hi], days[lo:hi])
        expected = np.array(lines) * 10_000
        got = np.stack([result.centre[0, lo:hi], result.lower[0, lo:hi], result.upper[0, lo:hi]])
        np.testing.assert_allclose(got.T, expected[:, :3], rtol=1e-12)
        rates = [e / d for e, d in zip(events[lo:hi], days[lo:hi], strict=True)]
        runs = naive_spc.runs(rates, lines[0][0])
        assert phase.runs.longest_run[0] == runs["longest"]
        assert phase.runs.crossings[0] == runs["crossings"]
    before, after = result.centre[0, 0], result.centre[0, start]
    assert after < before * 0.75  # the published example's fall in infections
