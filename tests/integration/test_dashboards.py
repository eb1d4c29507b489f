"""Dashboard pages through URLs and middleware: figures, icons, aims, suppression, access."""

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.dashboards.models import WardAim
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward, months_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    provider = ProviderFactory(code="ZZA")
    site = SiteFactory(parent=provider)
    oak = WardFactory(site=site, code="OAK", name="Oak Ward")
    elm = WardFactory(site=site, code="ELM", name="Elm Ward")
    fill_ward(oak, rates=(12.0, 4.0), seed=1)
    fill_ward(elm, rates=(2.0, 2.0), seed=2)
    return {"provider": provider, "network": provider.parent, "oak": oak, "elm": elm}


def _login(client, role, **where):
    user = MembershipFactory(role=role, **where).user
    client.force_login(user)
    return user


def test_ward_manager_sees_the_summary_with_icons_and_the_aim(client, world):
    _login(client, "ward_manager", ward=world["oak"])
    response = client.get(reverse("dashboards:summary", args=["ward", "OAK"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Restrictive interventions per 1,000 occupied bed days" in html
    assert "<title>" in html and "special cause variation of an improving nature" in html
    assert "Progress towards a 25% reduction" in html
    assert "Change the baseline or the aim" in html
    assert "Aim met" in html  # the rate halved after month 18


def test_measure_page_has_the_chart_spec_narrative_and_table(client, world):
    _login(client, "ward_staff", ward=world["oak"])
    response = client.get(
        reverse("dashboards:measure", args=["ward", "OAK", "restrictive_interventions"])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="chart-spec" type="application/json"' in html
    assert "What the chart says" in html and "below the centre line" in html
    assert "charts/charts.js" in html
    assert "Change the baseline" not in html  # ward staff cannot set the aim


def test_downloads(client, world):
    _login(client, "ward_staff", ward=world["oak"])
    args = ["ward", "OAK", "restrictive_interventions"]
    svg = client.get(reverse("dashboards:chart-svg", args=args))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    png = client.get(reverse("dashboards:chart-png", args=args))
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    data = client.get(reverse("dashboards:data-csv", args=args)).content.decode()
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 36 and {"period", "value", "centre", "point_type"} <= set(rows[0])


def test_changing_the_baseline_changes_the_aim(client, world):
    user = _login(client, "ward_manager", ward=world["oak"])
    months = [m.strftime("%Y-%m") for m in months_back(30)]
    response = client.post(
        reverse("dashboards:ward-aim", args=["OAK"]),
        {
            "baseline_start": months[0],
            "baseline_end": months[11],
            "reduction_percent": "30",
            "joined_programme_on_day": "1",
            "joined_programme_on_month": months[18][5:],
            "joined_programme_on_year": months[18][:4],
        },
    )
    assert response.status_code == 302
    aim = WardAim.objects.get(ward=world["oak"])
    assert aim.reduction_percent == 30 and aim.updated_by == user
    assert AuditEvent.objects.filter(action="ward_aim.update").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Progress towards a 30% reduction" in page
    assert "Joined the programme" in page


def test_aim_form_names_the_field_in_error(client, world):
    _login(client, "ward_manager", ward=world["oak"])
    months = [m.strftime("%Y-%m") for m in months_back(30)]
    response = client.post(
        reverse("dashboards:ward-aim", args=["OAK"]),
        {
            "baseline_start": months[11],
            "baseline_end": months[0],
            "reduction_percent": "abc",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The baseline must end after it starts" in html
    assert "Enter the reduction as a whole number" in html


def test_provider_dashboard_counts_wards_meeting_their_aim(client, world):
    _login(client, "qi_lead", organisation=world["provider"])
    html = client.get(reverse("dashboards:summary", args=["provider", "ZZA"])).content.decode()
    assert "1 of 2" in html  # Oak halved; Elm did not change


def test_network_lead_sees_suppressed_figures_only(client, world):
    _login(client, "network_lead", organisation=world["network"])
    response = client.get(reverse("dashboards:summary", args=["provider", "ZZA"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Figures here are suppressed" in html
    assert "Progress towards" not in html  # exact rates and intervals stay inside the provider
    # Elm has about 2 interventions a month: every monthly count is under 5, so hidden.
    elm = client.get(
        reverse("dashboards:measure", args=["ward", "ELM", "restrictive_interventions_count"])
    )
    assert elm.status_code == 200
    assert "Suppressed or no data" in elm.content.decode()


@pytest.mark.parametrize(
    ("role", "where", "status"),
    [
        ("ward_staff", "elm", 403),
        ("ward_staff", None, 403),
    ],
)
def test_people_without_a_role_there_are_refused(client, world, role, where, status):
    other = WardFactory()
    _login(client, role, ward=world[where] if where else other)
    assert client.get(reverse("dashboards:summary", args=["ward", "OAK"])).status_code == status


def test_unknown_dashboard_is_404(client, world):
    _login(client, "qi_lead", organisation=world["provider"])
    assert client.get(reverse("dashboards:summary", args=["ward", "NOPE"])).status_code == 404
    assert client.get(reverse("dashboards:summary", args=["galaxy", "OAK"])).status_code == 404
    assert (
        client.get(reverse("dashboards:measure", args=["ward", "OAK", "hugs"])).status_code == 404
    )


def test_anonymous_people_are_sent_to_sign_in(client, world):
    response = client.get(reverse("dashboards:summary", args=["ward", "OAK"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_suppressed_counts_never_reappear_in_percentages():
    import numpy as np

    from mhsip.dashboards.presenters import shown_counts
    from mhsip.measures import MeasureValues, load_catalogue

    measure = load_catalogue()["percent_restrained"]
    values = MeasureValues(
        measure, np.array([[3.0, 8.0, 12.0]]), np.array([[20.0, 9.0, 40.0]]), np.zeros((1, 3))
    )
    numerator, _ = shown_counts(measure, values, 0, exact=False)
    assert np.isnan(numerator[0])  # 3 people: hidden
    assert numerator[1:].tolist() == [9, 10]  # 8 rounds to 10, capped at the 9 in hospital


def test_team_enters_monthly_figures_and_they_are_charted(client, world):
    from mhsip.dashboards.models import TeamEnteredValue

    _login(client, "ward_staff", ward=world["oak"])
    month = months_back(1)[0].strftime("%Y-%m")
    url = reverse("dashboards:team-values", args=["OAK"])
    page = client.get(url)
    assert page.status_code == 200 and "Safety huddles held" in page.content.decode()
    response = client.post(
        url,
        {
            "month": month,
            "safety_huddles__numerator": "27",
            "patients_feeling_safe__numerator": "8",
            "patients_feeling_safe__denominator": "11",
            "assaults_on_staff__numerator": "",
        },
    )
    assert response.status_code == 302
    saved = {v.measure: v for v in TeamEnteredValue.objects.filter(ward=world["oak"])}
    assert set(saved) == {"safety_huddles", "patients_feeling_safe"}  # blank means not entered
    assert saved["patients_feeling_safe"].denominator == 11
    chart = client.get(reverse("dashboards:measure", args=["ward", "OAK", "patients_feeling_safe"]))
    assert "72.7%" in chart.content.decode()


def test_team_figures_are_checked_before_anything_is_saved(client, world):
    from mhsip.dashboards.models import TeamEnteredValue

    _login(client, "ward_staff", ward=world["oak"])
    month = months_back(1)[0].strftime("%Y-%m")
    response = client.post(
        reverse("dashboards:team-values", args=["OAK"]),
        {
            "month": month,
            "safety_huddles__numerator": "20",
            "patients_feeling_safe__numerator": "12",
            "patients_feeling_safe__denominator": "11",
            "care_plans_coproduced__numerator": "lots",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "enter a whole number" in html
    assert not TeamEnteredValue.objects.exists()
    response = client.post(
        reverse("dashboards:team-values", args=["OAK"]),
        {
            "month": month,
            "safety_huddles__numerator": "20",
            "patients_feeling_safe__numerator": "12",
            "patients_feeling_safe__denominator": "11",
        },
    )
    assert "the first number cannot exceed the second" in response.content.decode()
    assert not TeamEnteredValue.objects.exists()


def test_a_cached_summary_is_recomputed_when_a_record_is_added(client, world):
    from mhsip.incidents.services import record_save
    from tests.factories.incidents import STAFF, complete_fields, two_interventions
    from tests.factories.patients import PatientFactory, WardStayFactory

    manager = _login(client, "ward_manager", ward=world["elm"])
    url = reverse("dashboards:summary", args=["ward", "ELM"])
    before = client.get(url).content.decode()
    patient = PatientFactory(provider=world["provider"])
    fields = complete_fields()
    WardStayFactory(
        patient=patient, ward=world["elm"], started_at=fields["started_at"] - timedelta(days=2)
    )
    record_save(
        by=manager,
        ward=world["elm"],
        patient=patient,
        fields=fields,
        interventions=two_interventions(fields),
        staff=STAFF,
        complete=True,
    )
    after = client.get(url).content.decode()
    assert before != after


def test_a_measure_page_charts_weeks_on_request(client, world):
    _login(client, "ward_manager", ward=world["oak"])
    url = reverse("dashboards:measure", args=["ward", "OAK", "restrictive_interventions"])

    page = client.get(url, {"period": "week"}).content.decode()

    assert "Restrictive interventions per 1,000 occupied bed days by week" in page
    assert '<option value="week" selected>' in page
    csv_rows = (
        client.get(
            reverse("dashboards:data-csv", args=["ward", "OAK", "restrictive_interventions"]),
            {"period": "week"},
        )
        .content.decode()
        .splitlines()
    )
    assert len(csv_rows) == 1 + 104  # a header and two years of weeks
    mondays = [row.split(",")[0] for row in csv_rows[1:]]
    assert all(date.fromisoformat(m).weekday() == 0 for m in mondays)


def test_a_weekly_chart_counts_each_intervention_in_the_week_it_happened(world):
    from mhsip.dashboards.presenters import dashboard_span, make_measure_page, target_for
    from mhsip.dashboards.queries import Level
    from mhsip.incidents.models import Intervention

    target = target_for(Level.WARD, "OAK", exact=True)
    span = dashboard_span(kind="week")
    page = make_measure_page(target, "restrictive_interventions_count", span=span)

    # fill_ward's interventions last 10 minutes within a day, so each is in exactly one week.
    first = timezone.make_aware(datetime.combine(span.starts[0].item(), time()))
    stop = timezone.make_aware(datetime.combine(span.stops[-1].item(), time()))
    expected = Intervention.objects.filter(
        record__ward=world["oak"], started_at__gte=first, started_at__lt=stop
    ).count()
    assert expected > 0
    assert sum(p["value"] for p in page.chart["points"]) == expected
    monday = span.starts[10].item()
    in_week = Intervention.objects.filter(
        record__ward=world["oak"],
        started_at__gte=timezone.make_aware(datetime.combine(monday, time())),
        started_at__lt=timezone.make_aware(datetime.combine(monday + timedelta(days=7), time())),
    ).count()
    assert page.chart["points"][10]["value"] == in_week
