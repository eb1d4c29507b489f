"""mhsip against the NHSRplotthedots 0.2.2 README example (A&E breaches at RQM)."""

import csv

import numpy as np
import pytest

from mhsip.spc import SpcOptions, spc_chart
from tests.reference import naive_spc


@pytest.fixture(scope="module")
def rqm_breaches(shared_data):
    with open(shared_data / "nhsr-ae-attendances" / "ae_attendances.csv", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["org_code"] == "RQM" and r["type"] == "1" and r["period"] < "2018-04-01"
        ]
    rows.sort(key=lambda r: r["period"])
    return [r["period"] for r in rows], [float(r["breaches"]) for r in rows]


def test_readme_summary_variation_and_assurance(rqm_breaches):
    """The README prints variation_type "common_cause" and assurance_type "inconsistent"."""
    months, breaches = rqm_breaches
    assert len(months) == 24

    chart = spc_chart(
        breaches,
        dates=months,
        chart="xmr",
        options=SpcOptions(improvement="decrease", target=1200),
    ).to_dict()

    assert chart["variation"] == "common_cause"
    assert chart["assurance"] == "inconsistent"


def test_readme_limits_and_point_types_match_a_plain_calculation(rqm_breaches):
    months, breaches = rqm_breaches
    result = spc_chart(breaches, dates=months, options=SpcOptions(improvement="decrease"))
    lines = naive_spc.xmr_lines(breaches)
    np.testing.assert_allclose(result.centre[0], [line[0] for line in lines])
    np.testing.assert_allclose(result.lower[0], [line[1] for line in lines])
    np.testing.assert_allclose(result.upper[0], [line[2] for line in lines])
    types = result.to_dict()["points"]
    assert [p["point_type"] for p in types] == naive_spc.point_types(breaches, lines, "decrease")
    # Two low points early on and two high ones mid-series, the rest common cause.
    counts = {t: sum(p["point_type"] == t for p in types) for t in {p["point_type"] for p in types}}
    assert counts == {
        "common_cause": 20,
        "special_cause_improvement": 2,
        "special_cause_concern": 2,
    }
