"""The reports pages through URLs and middleware: who may see and write what, and the audit."""

from __future__ import annotations

import csv
import io
import sys

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mhsip.auditing.models import AuditEvent
from mhsip.incidents.models import UseOfForceRecord
from mhsip.reports.board import last_complete_month
from mhsip.reports.models import BoardReportNarrative
from tests.factories.reports import report_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return report_world(months=13)


def signed_in(client, user):
    client.force_login(user)
    return client


def board_url(level, code, name="reports:board"):
    return reverse(name, args=[level, code]) + f"?month={last_complete_month():%Y-%m}"


def test_ward_manager_writes_the_narrative_and_it_is_audited(client, world):
    manager = world.users["ward_manager"]
    signed_in(client, manager)

    response = client.post(
        board_url("ward", world.ward.code),
        {"text": "Fewer restraints after soft words.", "month": f"{last_complete_month():%Y-%m}"},
    )

    assert response.status_code == 302
    narrative = BoardReportNarrative.objects.get(ward=world.ward, month=last_complete_month())
    assert narrative.text == "Fewer restraints after soft words."
    assert narrative.updated_by == manager
    event = AuditEvent.objects.get(action="board_report_narrative.create")
    assert event.actor == manager and event.ward == world.ward
    assert event.detail["after"] == narrative.text
    page = client.get(response["Location"])
    assert "Fewer restraints after soft words." in page.content.decode()


def test_narrative_rewrite_keeps_the_earlier_text_in_the_audit_log(client, world):
    signed_in(client, world.users["ward_manager"])
    url = board_url("ward", world.ward.code)

    client.post(url, {"text": "First draft"})
    client.post(url, {"text": "Second draft"})

    event = AuditEvent.objects.get(action="board_report_narrative.update")
    assert (event.detail["before"], event.detail["after"]) == ("First draft", "Second draft")
    assert BoardReportNarrative.objects.count() == 1


def test_blank_narrative_is_refused_with_a_message(client, world):
    signed_in(client, world.users["ward_manager"])

    response = client.post(board_url("ward", world.ward.code), {"text": "  "})

    assert response.status_code == 200
    assert "Enter the narrative" in response.content.decode()
    assert not BoardReportNarrative.objects.exists()


@pytest.mark.parametrize("who", ["ward_staff", "patient_representative"])
def test_people_without_report_write_cannot_write_the_narrative(client, world, who):
    signed_in(client, world.users[who])
    url = board_url("ward", world.ward.code)

    page = client.get(url)
    response = client.post(url, {"text": "Not mine to write"})

    assert page.status_code == 200
    assert "Save the narrative" not in page.content.decode()
    assert response.status_code == 403
    assert not BoardReportNarrative.objects.exists()


@pytest.mark.parametrize(
    ("who", "level", "code"),
    [
        ("other_qi_lead", "ward", "RPA-WREN"),  # another provider's ward
        ("other_qi_lead", "provider", "RPA"),
        ("ward_staff", "provider", "RPA"),  # a ward's staff do not see the provider's figures
        ("system_admin", "ward", "RPA-WREN"),
    ],
)
def test_board_report_refused_outside_the_dashboards_a_person_sees(client, world, who, level, code):
    signed_in(client, world.users[who])

    assert client.get(board_url(level, code)).status_code == 403
    assert client.get(board_url(level, code, "reports:board-pdf")).status_code == 403


@pytest.mark.pdf
def test_board_report_pdf_downloads(client, world):
    signed_in(client, world.users["qi_lead"])

    response = client.get(board_url("provider", "RPA", "reports:board-pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"board-report-RPA-{last_complete_month():%Y-%m}.pdf" in response["Content-Disposition"]


def test_without_pango_the_pdf_says_plainly_it_cannot_be_made(client, world, monkeypatch):
    # As on a machine without Pango: importing WeasyPrint fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    signed_in(client, world.users["qi_lead"])

    response = client.get(board_url("provider", "RPA", "reports:board-pdf"))

    assert response.status_code == 503
    page = response.content.decode()
    assert "The PDF cannot be made on this server" in page
    assert "apt-get install libpango-1.0-0" in page


def test_board_report_month_outside_the_offer_is_not_found(client, world):
    signed_in(client, world.users["qi_lead"])

    url = reverse("reports:board", args=["provider", "RPA"])
    assert client.get(url + "?month=1999-01").status_code == 404
    assert client.get(url + "?month=soon").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, world):
    for url in [
        board_url("ward", world.ward.code),
        reverse("reports:statistics", args=["RPA"]),
        reverse("reports:records-download"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- Annual statistics ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["qi_lead", "responsible_person"])
def test_provider_people_see_the_statistics(client, world, who):
    signed_in(client, world.users[who])

    response = client.get(reverse("reports:statistics", args=["RPA"]) + "?basis=calendar")

    assert response.status_code == 200
    assert "Uses of force by type" in response.content.decode()


@pytest.mark.parametrize("who", ["other_qi_lead", "ward_staff", "patient_representative"])
def test_statistics_refused_to_others(client, world, who):
    signed_in(client, world.users[who])

    assert client.get(reverse("reports:statistics", args=["RPA"])).status_code == 403
    assert client.get(reverse("reports:statistics-csv", args=["RPA"])).status_code == 403


def test_network_lead_gets_only_published_statistics(client, world):
    # The network lead writes reports for the network, so may see its providers' published
    # statistics; exact figures stay inside the provider.
    signed_in(client, world.users["network_lead"])
    url = reverse("reports:statistics-csv", args=["RPA"])

    response = client.get(url + "?figures=exact")

    assert response.status_code == 200
    assert "published" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["Count"] for r in rows} <= {"*"} | {str(n) for n in range(0, 100000, 5)}


def test_statistics_csv_exact_for_the_provider(client, world):
    signed_in(client, world.users["responsible_person"])
    year = last_complete_month().year
    url = reverse("reports:statistics-csv", args=["RPA"])

    response = client.get(url + f"?basis=calendar&year={year}&figures=exact")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = next(
        r for r in rows
        if r["Table"].startswith("Uses of force by type") and r["Category"] == "Total"
        and r["Count of"] == "Uses of force"
    )  # fmt: skip
    assert "exact-not-for-publication" in response["Content-Disposition"]
    assert int(total["Count"].replace(",", "")) > 0


@pytest.mark.pdf
def test_statistics_pdf_is_a_pdf(client, world):
    signed_in(client, world.users["responsible_person"])

    response = client.get(reverse("reports:statistics-pdf", args=["RPA"]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


# --- Downloads ------------------------------------------------------------------------------


def test_records_download_is_scoped_and_audited(client, world):
    staff = world.users["ward_staff"]
    signed_in(client, staff)
    expected = UseOfForceRecord.objects.filter(ward=world.ward).count()

    response = client.get(reverse("reports:records-download") + "?format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200
    assert len(rows) == expected
    assert {r["Ward"] for r in rows} == {"Wren Ward"}  # not Lark Ward, another provider's
    assert "Patient pseudonym" in rows[0] and "Record reference" in rows[0]
    assert not any(k.endswith("_id") or k.startswith("patient_") for k in rows[0])
    event = AuditEvent.objects.get(action="use_of_force_record.download")
    assert event.actor == staff and event.ward == world.ward
    assert event.detail == {"rows": expected, "format": "csv", "rows_in_file": expected}


def test_records_download_as_xlsx_with_a_date_range(client, world):
    signed_in(client, world.users["qi_lead"])
    month = last_complete_month()
    in_month = UseOfForceRecord.objects.filter(
        ward=world.ward, started_at__year=month.year, started_at__month=month.month
    ).count()
    query = (
        f"?format=xlsx&ward={world.ward.code}&first_day_day=1&first_day_month={month.month}"
        f"&first_day_year={month.year}&last_day_day=28&last_day_month={month.month}"
        f"&last_day_year={month.year}"
    )

    response = client.get(reverse("reports:records-download") + query)

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Record reference"
    assert len(rows) - 1 == in_month
    assert AuditEvent.objects.get(action="use_of_force_record.download").detail["rows"] == in_month


def test_records_download_refuses_a_ward_the_person_cannot_see(client, world):
    signed_in(client, world.users["ward_staff"])

    response = client.get(reverse("reports:records-download") + f"?ward={world.other_ward.code}")

    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="use_of_force_record.download").exists()


@pytest.mark.parametrize("who", ["network_lead", "patient_representative", "system_admin"])
def test_records_download_refused_without_patient_data_access(client, world, who):
    signed_in(client, world.users[who])

    assert client.get(reverse("reports:records-download")).status_code == 403
    assert client.get(reverse("reports:downloads")).status_code == 403


def test_measure_data_exact_inside_the_provider(client, world):
    signed_in(client, world.users["qi_lead"])

    response = client.get(reverse("reports:measures-csv", args=["ward", world.ward.code]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    counts = [r for r in rows if r["Measure"] == "Restrictive interventions"]
    assert {r["Figures"] for r in rows} == {"Exact"}
    assert any(0 < int(r["Numerator"]) < 5 or int(r["Numerator"]) % 5 for r in counts)


def test_measure_data_suppressed_for_the_network(client, world):
    signed_in(client, world.users["network_lead"])

    response = client.get(reverse("reports:measures-xlsx", args=["network", "NETR"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = {name: i for i, name in enumerate(header)}
    counts = [
        r[column["Numerator"]]
        for r in rows
        if r[column["Measure"]] in {"Restrictive interventions", "People subject to restrictive intervention"}
    ]  # fmt: skip
    assert counts and all(c is None or (c >= 5 and c % 5 == 0) for c in counts)
    assert any(c is None for c in counts)
    assert {r[column["Figures"]] for r in rows} == {"Suppressed (NHS Digital's rules)"}
