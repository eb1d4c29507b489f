"""Improvement pages through URLs and middleware: projects, driver diagrams, measurement plans,
PDSA cycles, "did it work?", chart annotations, the coach's view, and who may do what."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from mhsip.improvement import services
from mhsip.improvement.models import ChangeStatus, Driver, ImprovementProject, PdsaCycle
from tests.factories.improvement import add_change, library_idea, make_project, run_cycle
from tests.factories.organisations import (
    MembershipFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)
from tests.factories.worlds import fill_ward, months_back

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    provider = ProviderFactory(code="ZZA")
    site = SiteFactory(parent=provider)
    oak = WardFactory(site=site, code="OAK", name="Oak Ward")
    elm = WardFactory(site=site, code="ELM", name="Elm Ward")
    records = fill_ward(oak, rates=(14.0, 4.0), step_at=18)

    def member(role, **where):
        return MembershipFactory(role=role, **where).user

    return {
        "oak": oak,
        "elm": elm,
        "records": records,
        "manager": member("ward_manager", ward=oak),
        "nurse": member("ward_staff", ward=oak),
        "rep": member("patient_representative", ward=oak),
        "elm_nurse": member("ward_staff", ward=elm),
        "qi_lead": member("qi_lead", organisation=provider),
        "network_lead": member("network_lead", organisation=provider.parent),
    }


@pytest.fixture
def project(world):
    return make_project(by=world["nurse"], ward=world["oak"])


def _as(client, user):
    client.force_login(user)
    return client


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _spec(html: str) -> dict:
    found = re.search(r'<script id="chart-spec" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def _annotation_labels(spec: dict) -> list[str]:
    layers = [layer for layer in spec.get("layer", []) if layer.get("name") == "annotation_rules"]
    return [value["tt_note"] for layer in layers for value in layer["data"]["values"]]


# --- Overview and navigation --------------------------------------------------------------------


def test_the_header_links_to_improvement_and_the_index_lists_wards(client, world, project):
    response = _as(client, world["nurse"]).get(reverse("improvement:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("improvement:index")}">Improvement</a>' in html
    assert "Oak Ward" in html and project.title in html
    assert "Elm Ward" not in html
    assert "Coach" not in html


def test_the_ward_page_offers_to_start_a_project_to_the_team_only(client, world):
    url = reverse("improvement:ward", args=["OAK"])
    assert "Start a project" in _as(client, world["nurse"]).get(url).content.decode()
    assert "Start a project" not in _as(client, world["rep"]).get(url).content.decode()


# --- Projects -----------------------------------------------------------------------------------


def test_a_team_starts_a_project_with_an_aim(client, world):
    day = months_back(1)[0].date() + timedelta(days=400)
    response = _as(client, world["nurse"]).post(
        reverse("improvement:project-create", args=["OAK"]),
        {
            "title": "Calmer evenings",
            "aim_what": "Reduce restrictive interventions on Oak Ward",
            "aim_how_much": "by 30%",
            **_date("aim_by", day),
        },
    )
    project = ImprovementProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("improvement:project", args=[project.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Reduce restrictive interventions on Oak Ward by 30% by" in page
    assert "Project lead" in page


def test_project_form_errors_name_the_fields(client, world):
    response = _as(client, world["nurse"]).post(
        reverse("improvement:project-create", args=["OAK"]),
        {"title": "", "aim_what": "Reduce restraint", "aim_how_much": "a lot", "aim_by_day": "31"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and ImprovementProject.objects.count() == 0
    assert "There is a problem" in html
    assert "Enter a name for the project" in html
    assert "Say how much with a number" in html
    assert "By when? must include a month and year" in html
    assert 'href="#id_aim_by_day"' in html


def test_changing_the_aim(client, world, project):
    response = _as(client, world["manager"]).post(
        reverse("improvement:project-aim", args=[project.pk]),
        {
            "title": project.title,
            "aim_what": "Reduce seclusion on Oak Ward",
            "aim_how_much": "by half",
            **_date("aim_by", project.aim_by),
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "Say how much with a number" in response.content.decode()


def test_the_team_builds_a_driver_diagram_in_the_page(client, world, project):
    url = reverse("improvement:project-drivers", args=[project.pk])
    _as(client, world["nurse"])
    assert (
        client.post(url, {"action": "primary", "primary_text": "Patients feel heard"}).status_code
        == 302
    )
    primary = Driver.objects.get()
    client.post(
        url,
        {"action": "secondary", "parent": primary.pk, "secondary_text": "Staff know calming plans"},
    )
    secondary = Driver.objects.get(parent=primary)
    idea = library_idea("safewards-calm-down-methods")
    client.post(url, {"action": "change", "change_idea": idea.pk, "driver": secondary.pk})

    html = client.get(reverse("improvement:project", args=[project.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="mhsip-driver-diagram" role="img"' in html
    assert (
        "Driver diagram: the aim, 1 primary driver, 1 secondary driver and 1 change idea." in html
    )
    assert "<strong>Secondary driver:</strong> Staff know calming plans" in html
    assert "Calm down methods" in html


def test_driver_diagram_errors_name_the_fields(client, world, project):
    url = reverse("improvement:project-drivers", args=[project.pk])
    _as(client, world["nurse"])
    html = client.post(url, {"action": "primary", "primary_text": ""}).content.decode()
    assert "Enter the driver" in html and 'href="#id_primary_text"' in html
    html = client.post(url, {"action": "change", "change_idea": ""}).content.decode()
    assert "Choose a change idea to test" in html


def test_removing_a_primary_driver_keeps_its_change_ideas(client, world, project):
    by = world["nurse"]
    primary = services.driver_add(by=by, project=project, text="Heard")
    secondary = services.driver_add(by=by, project=project, text="Plans", parent=primary)
    change = services.project_change_add(
        by=by, project=project, change_idea=library_idea(), driver=secondary
    )
    _as(client, by).post(
        reverse("improvement:project-drivers", args=[project.pk]),
        {"action": "remove", "driver": primary.pk},
    )
    change.refresh_from_db()
    assert not Driver.objects.exists() and change.driver is None


def test_the_measurement_plan_is_chosen_from_the_catalogue(client, world, project):
    url = reverse("improvement:project-measures", args=[project.pk])
    _as(client, world["nurse"])
    html = client.get(url).content.decode()
    assert 'type="checkbox" value="restrictive_interventions" checked' in html
    response = client.post(
        url,
        {
            "outcome": ["seclusion"],
            "process": ["review_offered"],
            "balancing": ["assaults_on_staff"],
        },
    )
    assert response.status_code == 302
    assert set(project.planned_measures.values_list("measure", flat=True)) == {
        "seclusion",
        "review_offered",
        "assaults_on_staff",
    }
    html = client.post(url, {"process": ["review_offered"]}).content.decode()
    assert "Choose at least one outcome measure" in html and 'href="#id_outcome"' in html


def test_adding_team_members_including_a_patient_representative(client, world, project):
    url = reverse("improvement:project-team", args=[project.pk])
    _as(client, world["manager"])
    assert world["rep"].display_name in client.get(url).content.decode()
    client.post(
        url, {"action": "add", "user": world["rep"].pk, "team_role": "patient_representative"}
    )
    client.post(url, {"action": "add", "name": "Lou Carter", "team_role": "carer_representative"})
    html = client.post(url, {"action": "add", "team_role": "member"}).content.decode()
    assert "Choose a person, or enter the name" in html
    page = client.get(reverse("improvement:project", args=[project.pk])).content.decode()
    assert "Patient representative" in page and "Lou Carter" in page


# --- PDSA cycles --------------------------------------------------------------------------------


def _plan(change, start, **extra):
    return {
        "change": change.pk,
        "question": "Will soft words reduce evening tension?",
        "prediction": "Fewer raised voices",
        "plan_who": "Evening nurses",
        "plan_what": "Soft words when saying no",
        "plan_where": "The lounge",
        **_date("planned_start", start),
        **_date("planned_end", start + timedelta(days=14)),
        "data_to_collect": "Tally of raised voices",
        "study_measure": "restrictive_interventions",
        **extra,
    }


def test_two_chained_cycles_then_did_it_work(client, world, project):
    change = add_change(by=world["nurse"], project=project)
    start = months_back(30)[16].date()
    _as(client, world["nurse"])

    response = client.post(
        reverse("improvement:cycle-create", args=[project.pk]), _plan(change, start)
    )
    first = PdsaCycle.objects.get()
    assert response["Location"] == reverse("improvement:cycle", args=[first.pk])
    client.post(
        reverse("improvement:cycle-do", args=[first.pk]),
        {
            **_date("started_on", start),
            **_date("ended_on", start + timedelta(days=14)),
            "what_happened": "Done",
        },
    )
    study = client.get(reverse("improvement:cycle-study", args=[first.pk])).content.decode()
    assert "PDSA 1: Soft words" in _annotation_labels(_spec(study))
    client.post(
        reverse("improvement:cycle-study", args=[first.pk]), {"result": "Fewer raised voices"}
    )
    client.post(
        reverse("improvement:cycle-act", args=[first.pk]),
        {"decision": "adapt", **_date("decided_on", start + timedelta(days=14))},
    )
    page = client.get(reverse("improvement:cycle", args=[first.pk])).content.decode()
    assert "Plan the next cycle" in page

    second_start = months_back(30)[17].date() + timedelta(days=27)
    response = client.post(
        reverse("improvement:cycle-create", args=[project.pk]) + f"?after={first.pk}",
        _plan(change, second_start),
    )
    second = PdsaCycle.objects.get(previous=first)
    client.post(
        reverse("improvement:cycle-do", args=[second.pk]),
        {**_date("started_on", second_start), "what_happened": "On every shift"},
    )
    client.post(reverse("improvement:cycle-study", args=[second.pk]), {"result": "Fewer again"})
    adopted_on = months_back(30)[18].date()
    client.post(
        reverse("improvement:cycle-act", args=[second.pk]),
        {"decision": "adopt", **_date("decided_on", adopted_on)},
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.ADOPTED and change.adopted_on == adopted_on

    project_page = client.get(reverse("improvement:project", args=[project.pk])).content.decode()
    assert "PDSA 1:" in project_page and "PDSA 2:" in project_page and ">Adopted<" in project_page

    chart = client.get(
        reverse("dashboards:measure", args=["ward", "OAK", "restrictive_interventions"])
    )
    labels = _annotation_labels(_spec(chart.content.decode()))
    assert {"PDSA 1: Soft words", "PDSA 2: Soft words", "Adopted: Soft words"} <= set(labels)

    verdict = client.get(reverse("improvement:did-it-work", args=[change.pk])).content.decode()
    assert "Yes, it looks like it worked" in verdict
    assert "Rate ratio (after ÷ before)" in verdict and "95% confidence interval" in verdict
    assert "Adopted: Soft words" in _annotation_labels(_spec(verdict))


def test_cycle_forms_name_their_fields_in_errors(client, world, project):
    change = add_change(by=world["nurse"], project=project)
    _as(client, world["nurse"])
    html = client.post(
        reverse("improvement:cycle-create", args=[project.pk]), {"change": change.pk}
    ).content.decode()
    for message in services.PLAN_FIELDS.values():
        assert message in html
    cycle = run_cycle(
        by=world["nurse"],
        project=project,
        change=change,
        start=months_back(3)[0].date(),
        decision=None,
    )
    html = client.post(reverse("improvement:cycle-act", args=[cycle.pk]), {}).content.decode()
    assert "Choose whether to adopt, adapt or abandon the change" in html
    assert "Enter the date of the decision" in html
    html = client.post(
        reverse("improvement:cycle-do", args=[cycle.pk]),
        {
            "started_on_day": "31",
            "started_on_month": "2",
            "started_on_year": "2026",
            "what_happened": "x",
        },
    ).content.decode()
    assert "The test started on must be a real date" in html


def test_did_it_work_is_only_for_adopted_changes(client, world, project):
    change = add_change(by=world["nurse"], project=project)
    response = _as(client, world["nurse"]).get(reverse("improvement:did-it-work", args=[change.pk]))
    assert response.status_code == 404


def test_a_cycle_on_a_measure_outside_the_plan_draws_no_annotation(client, world, project):
    change = add_change(by=world["nurse"], project=project)
    run_cycle(by=world["nurse"], project=project, change=change, start=months_back(5)[0].date())
    chart = _as(client, world["nurse"]).get(
        reverse("dashboards:measure", args=["ward", "OAK", "seclusion"])
    )
    assert _annotation_labels(_spec(chart.content.decode())) == []


# --- The coach's view ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("qi_lead", 200), ("network_lead", 200), ("nurse", 403), ("rep", 403)]
)
def test_the_coachs_view_is_for_qi_and_network_leads(client, world, project, who, status):
    change = add_change(by=world["nurse"], project=project)
    run_cycle(
        by=world["nurse"],
        project=project,
        change=change,
        start=months_back(1)[0].date(),
        decision=None,
    )
    response = _as(client, world[who]).get(reverse("improvement:coach"))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Soft words" in html and "Elm Ward" in html
        assert 'id="cycles-in-progress">1<' in html


# --- Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("elm_nurse", 404), ("rep", 403), ("network_lead", 403), ("nurse", 200)],
)
def test_only_the_wards_team_edits_its_projects(client, world, project, who, status):
    _as(client, world[who])
    for name in (
        "project-aim",
        "project-drivers",
        "project-measures",
        "project-team",
        "cycle-create",
    ):
        assert (
            client.get(reverse(f"improvement:{name}", args=[project.pk])).status_code == status
        ), name


@pytest.mark.parametrize(
    ("who", "status"), [("elm_nurse", 404), ("rep", 200), ("network_lead", 200)]
)
def test_projects_are_seen_by_the_wards_people(client, world, project, who, status):
    assert (
        _as(client, world[who]).get(reverse("improvement:project", args=[project.pk])).status_code
        == status
    )


def test_signed_out_people_are_sent_to_sign_in(client, world, project):
    response = client.get(reverse("improvement:project", args=[project.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_patient_representatives_see_improvement_work_but_no_patient_level_data(
    client, world, project
):
    """A representative takes part fully (projects, cycles, charts, "did it work?") and sees only
    suppressed figures; no page shows a record, a patient or a pseudonym."""
    rep = world["rep"]
    change = add_change(by=world["nurse"], project=project)
    cycle = run_cycle(
        by=world["nurse"], project=project, change=change, start=months_back(30)[18].date(), days=0,
        study_measure="restrictive_interventions",
    )  # fmt: skip
    _as(client, rep)
    pages = [
        reverse("improvement:index"),
        reverse("improvement:ward", args=["OAK"]),
        reverse("improvement:project", args=[project.pk]),
        reverse("improvement:cycle", args=[cycle.pk]),
        reverse("improvement:did-it-work", args=[change.pk]),
        reverse("improvement:codesign", args=["OAK"]),
        reverse("improvement:idea-list"),
    ]
    secrets = {r.patient.alias for r in world["records"][:20]} | {
        r.reference for r in world["records"][:20]
    }
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not [s for s in secrets if s in html], url
    cycle_page = client.get(reverse("improvement:cycle", args=[cycle.pk])).content.decode()
    assert "Figures here are suppressed" in cycle_page
    assert client.get(reverse("organisations:ward-detail", args=["OAK"])).status_code == 403
    record = world["records"][0]
    assert client.get(reverse("incidents:record-detail", args=[record.pk])).status_code in {
        403,
        404,
    }
