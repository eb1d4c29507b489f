"""An imported MHSDS extract on the pages people open: the provider's and a ward's dashboards,
a measure page and the board report show NHS Digital's figures for it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from mhsip.organisations.models import Organisation, OrganisationKind, Ward
from tests.factories.mhsds_extracts import generate_extract
from tests.factories.organisations import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    # 40 months from May 2023: the dashboards' last 36 complete months fall inside it.
    generate_extract(
        tmp_path / "extract",
        seed=3,
        providers=1,
        months=40,
        spells_per_provider=30,
        incidents_per_provider=25,
    )
    call_command(
        "import", "mhsds", str(tmp_path / "extract"), stdout=io.StringIO(), stderr=io.StringIO()
    )
    provider = Organisation.objects.distinct().get(
        kind=OrganisationKind.PROVIDER, mhsds_submissions__isnull=False
    )
    return provider


def _measures(level: str, code: str) -> dict:
    out = io.StringIO()
    call_command("measures", level=level, organisation=code, output_format="json", stdout=out)
    return {(r["period"], r["measure"]): r for r in json.loads(out.getvalue())}


def test_the_provider_dashboard_charts_nhs_digitals_figures(client, imported):
    client.force_login(MembershipFactory(role="qi_lead", organisation=imported).user)

    page = client.get(reverse("dashboards:summary", args=["provider", imported.code]))

    assert page.status_code == 200
    summary = page.context["summary"]
    row = next(
        r
        for rows in summary.rows_by_type.values()
        for r in rows
        if r.measure.id == "restrictive_interventions"
    )
    expected = _measures("provider", imported.code)
    compared = 0
    for label, point in zip(summary.span.labels, row.chart["points"], strict=True):
        published = expected[(label, row.measure.id)]["value"]
        if published is None:  # no submission that month: no point, not zero
            assert point["value"] is None
        else:
            assert point["value"] == pytest.approx(published)
            compared += 1
    assert compared >= 20


def test_a_ward_measure_page_and_the_board_report_open(client, imported):
    client.force_login(MembershipFactory(role="qi_lead", organisation=imported).user)
    ward = Ward.objects.filter(site__parent=imported).exclude(code__endswith="UNKNOWN-WARD").first()

    measure = client.get(
        reverse("dashboards:measure", args=["ward", ward.code, "restrictive_interventions"])
    )
    report = client.get(reverse("reports:board", args=["provider", imported.code]))

    assert measure.status_code == 200
    page = measure.context["page"]
    expected = _measures("ward", ward.code)
    shown = [
        (label, point["value"])
        for label, point in zip(page.span.labels, page.chart["points"], strict=True)
        if point["value"] is not None
    ]
    assert shown, "the ward's chart has no points"
    for label, value in shown:  # MHS117: the ward's rank-1 interventions per ward-stay bed days
        assert value == pytest.approx(expected[(label, "restrictive_interventions")]["value"])
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/html")
