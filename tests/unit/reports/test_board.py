"""The board report as a PDF, read back page by page with pypdf."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from mhsip.dashboards.presenters import resolve_target
from mhsip.measures import load_catalogue
from mhsip.reports.board import KEY_MEASURES, last_complete_month, make_board_report
from mhsip.reports.pdf import render_pdf
from mhsip.reports.services import board_report_narrative_save
from tests.factories.reports import CYCLE_QUESTION, report_world

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

NARRATIVE = "Evening restraints fell after the team started soft words in the lounge."


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text with runs of white space made one space (lines wrap anywhere)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def world():
    return report_world()


def render(world, user, level, code, month):
    report = make_board_report(resolve_target(user, level, code), month)
    return report, pages_of(render_pdf("reports/board_report_pdf.html", {"report": report}))


def test_ward_report_pages_each_hold_their_part(world):
    month = last_complete_month()
    board_report_narrative_save(
        by=world.users["ward_manager"], month=month, text=NARRATIVE, ward=world.ward
    )

    report, pages = render(world, world.users["ward_manager"], "ward", world.ward.code, month)

    # Page 1: the cover names the ward and the month and holds the narrative.
    assert "Wren Ward" in pages[0]
    assert f"{month:%B %Y}" in pages[0]
    assert NARRATIVE in pages[0]
    # Page 2: the summary lists every measure of the catalogue.
    assert pages[1].startswith("Measure summary")
    missing = [m.name for m in load_catalogue().values() if squash(m.name) not in pages[1]]
    assert missing == []
    # Pages 3-7: one key chart each, with its measure's name and the plain-English reading.
    assert [c.row.measure.id for c in report.charts] == list(KEY_MEASURES)
    for page, chart in zip(pages[2:7], report.charts, strict=True):
        assert page.startswith(squash(chart.row.measure.name))
        assert "What the chart shows" in page
        assert squash(chart.reading[0]) in page
    # Then the aim tracker, with the baseline, the aim, the current rate and the SPC verdict.
    aim = report.summary.aim
    assert pages[7].startswith("Aim tracker")
    assert f"{aim.baseline_rate:,.1f}" in pages[7]
    assert f"{aim.target_rate:,.1f} or lower" in pages[7]
    assert f"{aim.current_rate:,.1f}" in pages[7]
    assert "95% confidence interval" in pages[7]
    assert ("Aim met" if aim.met else "Aim not met yet") in pages[7]
    # Last, the changes being tested and the PDSA cycle running this month.
    assert pages[8].startswith("Changes being tested")
    assert "Testing" in pages[8]
    assert squash(CYCLE_QUESTION) in pages[8]
    assert len(pages) == 9


def test_report_without_a_narrative_says_so(world):
    month = last_complete_month()

    _, pages = render(world, world.users["ward_manager"], "ward", world.ward.code, month)

    assert f"No narrative has been written for {month:%B %Y} yet." in pages[0]


def test_provider_report_counts_the_wards_meeting_their_aim(world):
    month = last_complete_month()

    report, pages = render(world, world.users["qi_lead"], "provider", "RPA", month)

    aim_page = next(p for p in pages if p.startswith("Aim tracker"))
    assert f"{report.summary.wards_meeting_aim} of 1 wards" in aim_page
    assert "Wren Ward" in aim_page  # each ward against its own baseline, inside the provider


COUNT_MEASURES = [
    m.name
    for m in load_catalogue().values()
    if m.denominator == "none" and not m.is_statistic and not m.is_team_entered
]


def test_network_report_shows_no_count_below_5_and_no_patient_data():
    # Two or three interventions a month on each ward: every monthly count is small.
    world = report_world(rates=(1.5, 1.0), months=14)
    month = last_complete_month()
    from mhsip.incidents.models import UseOfForceRecord

    record = UseOfForceRecord.objects.filter(ward=world.ward).select_related("patient").first()

    report, pages = render(world, world.users["network_lead"], "network", "NETR", month)

    assert report.target.suppressed
    text = " ".join(pages)
    assert "with small numbers suppressed" in pages[0]
    summary = pages[1]
    shown = {}
    for name in COUNT_MEASURES:
        found = re.search(re.escape(name) + r" (Suppressed|\d[\d,]*)", summary)
        assert found, name
        shown[name] = found.group(1)
    assert all(v == "Suppressed" or int(v.replace(",", "")) % 5 == 0 for v in shown.values())
    assert shown["Restrictive interventions"] == "Suppressed"
    # The aim tracker shows no ward's own rates outside its provider.
    aim_page = next(p for p in pages if p.startswith("Aim tracker"))
    assert "Each ward against its own baseline" not in aim_page
    assert "Baseline rate" not in aim_page
    # No patient-level data anywhere.
    assert record.patient.alias not in text
    assert record.reference not in text
