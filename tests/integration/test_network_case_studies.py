"""Case studies: only a finished ramp can be written up; the text is checked for anything that
identifies a patient; only the ward's provider approves; approval publishes to the network with a
snapshot of the chart and the verdict; members find it, and drafts stay with the team."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.network import services
from mhsip.network.models import CaseStudyStatus, Result
from mhsip.organisations.services import membership_grant
from tests.factories.accounts import UserFactory
from tests.factories.improvement import add_change, make_project, run_cycle
from tests.factories.network import case_study, finished_ramp, published_case_study
from tests.factories.world import build_world
from tests.factories.worlds import fill_ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    # Oak's rate falls from about 12 to 3 a month: a change adopted 12 months ago worked.
    fill_ward(world.wards["A1"], rates=(30.0, 8.0), step_at=18)
    return world


@pytest.fixture
def ramp(world):
    return finished_ramp(by=world.users["ward_manager"], ward=world.wards["A1"], months_ago=12)


def test_case_study_start_fills_in_from_the_ramp(world, ramp):
    made = case_study(by=world.users["ward_manager"], cycle=ramp)
    assert made.status == CaseStudyStatus.DRAFT
    assert made.first_cycle == ramp.previous  # the ramp is told from its first cycle
    assert "Cycle 1" in made.what_happened and "Cycle 2" in made.what_happened
    assert "Jo Carer, carer representative" in made.co_designed_with
    assert "Reduce restrictive interventions" in made.problem
    assert AuditEvent.objects.filter(action="case_study.create", object_id=str(made.pk)).exists()


def test_case_study_start_refuses_a_ramp_still_going(world):
    manager = world.users["ward_manager"]
    project = make_project(by=manager, ward=world.wards["A1"], title="Still testing")
    change = add_change(by=manager, project=project)
    going = run_cycle(
        by=manager, project=project, change=change, start=timezone.localdate(), decision="adapt"
    )
    with pytest.raises(ValidationError, match="finished ramp"):
        case_study(by=manager, cycle=going)
    undecided = run_cycle(
        by=manager, project=project, change=change, start=timezone.localdate(), decision=None,
        previous=going,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="finished ramp"):
        case_study(by=manager, cycle=undecided)


def test_case_study_start_refuses_a_ramp_told_already(world, ramp):
    case_study(by=world.users["ward_manager"], cycle=ramp)
    with pytest.raises(ValidationError, match="already"):
        case_study(by=world.users["ward_manager"], cycle=ramp.previous)


def test_case_study_start_needs_case_study_write_on_the_ward(world, ramp):
    for key in ("ward_staff", "ward_staff_b", "network_lead", "patient_representative"):
        with pytest.raises(PermissionDenied):
            case_study(by=world.users[key], cycle=ramp)


def test_submit_refuses_text_that_identifies_a_patient(client, world, ramp):
    made = case_study(by=world.users["ward_manager"], cycle=ramp)
    client.force_login(world.users["ward_manager"])
    response = client.post(
        reverse("network:case-study-edit", args=[made.pk]),
        {
            "action": "submit",
            "title": "Soft words on Ash",
            "problem": "Mr Smith, DOB 01/02/1980, was often restrained.",
            "what_happened": f"We asked {world.patients['A1'].alias} and {world.local_ids['A1']}.",
            "co_designed_with": "",
            "do_differently": "Call 07700 900123 sooner.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This may identify a patient" in page
    for words in ("Mr Smith", "01/02/1980", "07700 900123"):
        assert f"<mark>{words}</mark>" in page
    # The stored alias and the local identifier (matched by its keyed hash) are found too.
    assert f"<mark>{world.patients['A1'].alias}</mark>" in page
    assert f"<mark>{world.local_ids['A1']}</mark>" in page
    made.refresh_from_db()
    assert made.status == CaseStudyStatus.DRAFT


def test_submit_then_provider_approves_and_publishes_a_snapshot(client, world, ramp):
    made = case_study(by=world.users["ward_manager"], cycle=ramp, submit=True)
    assert made.status == CaseStudyStatus.SUBMITTED
    # Not the ward manager (no approval permission), not another provider.
    other_rp = UserFactory()
    membership_grant(
        by=world.users["system_admin"], user=other_rp, role="responsible_person",
        organisation=world.providers["B"],
    )  # fmt: skip
    for approver in (world.users["ward_manager"], other_rp, world.users["network_lead"]):
        with pytest.raises(PermissionDenied):
            services.case_study_approve(by=approver, case_study=made)

    client.force_login(world.users["qi_lead"])
    response = client.post(reverse("network:case-study", args=[made.pk]), {"action": "approve"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == CaseStudyStatus.PUBLISHED
    assert made.network == world.network
    assert made.result == Result.WORKED
    assert made.chart_spec and "<svg" in made.chart_svg
    assert made.verdict_summary
    assert AuditEvent.objects.filter(action="case_study.publish", object_id=str(made.pk)).exists()


def test_the_author_cannot_approve_their_own(world):
    ramp = finished_ramp(by=world.users["qi_lead"], ward=world.wards["A1"])
    made = case_study(by=world.users["qi_lead"], cycle=ramp, submit=True)
    with pytest.raises(PermissionDenied, match="other than the author"):
        services.case_study_approve(by=world.users["qi_lead"], case_study=made)
    services.case_study_approve(by=world.users["responsible_person"], case_study=made)


def test_approval_checks_the_text_again(world, ramp):
    made = case_study(by=world.users["ward_manager"], cycle=ramp, submit=True)
    # Text changed behind the workflow's back (e.g. in the admin) is still caught.
    made.problem = "Patient John was secluded"
    made.save()
    with pytest.raises(services.IdentifyingText) as refused:
        services.case_study_approve(by=world.users["qi_lead"], case_study=made)
    assert refused.value.problems[0].findings[0].text == "Patient John"
    made.refresh_from_db()
    assert made.status == CaseStudyStatus.SUBMITTED


def test_returned_case_study_goes_back_to_the_team_with_the_note(client, world, ramp):
    made = case_study(by=world.users["ward_manager"], cycle=ramp, submit=True)
    client.force_login(world.users["responsible_person"])
    client.post(
        reverse("network:case-study", args=[made.pk]),
        {"action": "return", "note": "Say more about the evenings"},
    )
    made.refresh_from_db()
    assert made.status == CaseStudyStatus.RETURNED
    client.force_login(world.users["ward_manager"])
    page = client.get(reverse("network:case-study-edit", args=[made.pk])).content.decode()
    assert "Say more about the evenings" in page


def test_published_is_visible_to_network_members_and_drafts_are_not(client, world, ramp):
    draft = case_study(by=world.users["ward_manager"], cycle=ramp)
    other = finished_ramp(by=world.users["ward_manager"], ward=world.wards["A1"], idea_key="safewards-talk-down")  # fmt: skip
    published = published_case_study(
        author=world.users["ward_manager"], approver=world.users["qi_lead"], cycle=other
    )
    for key in ("ward_staff_b", "network_lead", "champion"):
        client.force_login(world.users[key])
        assert client.get(reverse("network:case-study", args=[published.pk])).status_code == 200
        assert client.get(reverse("network:case-study", args=[draft.pk])).status_code == 404
        library = client.get(reverse("network:library", args=[world.network.code])).content.decode()
        assert published.title in library and draft.title not in library
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("network:case-study", args=[published.pk])).status_code == 404


def test_published_snapshot_does_not_change_with_later_data(client, world, ramp):
    published = published_case_study(
        author=world.users["ward_manager"], approver=world.users["qi_lead"], cycle=ramp
    )
    before = (published.verdict_summary, published.chart_spec)
    fill_ward(world.wards["A1"], rates=(0.0, 40.0), step_at=20, seed=7)  # the rate rockets
    published.refresh_from_db()
    assert (published.verdict_summary, published.chart_spec) == before
    client.force_login(world.users["network_lead"])
    page = client.get(reverse("network:case-study", args=[published.pk])).content.decode()
    assert published.verdict_summary in page


def test_abandoned_ramp_publishes_without_a_chart(world):
    ramp = finished_ramp(by=world.users["ward_manager"], ward=world.wards["A1"], decision="abandon")
    made = published_case_study(
        author=world.users["ward_manager"], approver=world.users["qi_lead"], cycle=ramp
    )
    assert made.result == Result.NOT_SHOWN
    assert made.chart_spec is None
    assert "Abandoned" in made.verdict_summary


def test_library_search_and_filters(client, world):
    manager, approver = world.users["ward_manager"], world.users["qi_lead"]
    soft = published_case_study(
        author=manager, approver=approver,
        cycle=finished_ramp(by=manager, ward=world.wards["A1"]),
        title="Soft words in the Nightingale lounge",
    )  # fmt: skip
    talk = published_case_study(
        author=manager, approver=approver,
        cycle=finished_ramp(by=manager, ward=world.wards["A1"], idea_key="safewards-talk-down", decision="abandon"),
        title="Talking down at handover",
    )  # fmt: skip
    url = reverse("network:library", args=[world.network.code])
    client.force_login(world.users["champion"])

    def titles(**query):
        page = client.get(url, query).content.decode()
        return {cs.title for cs in (soft, talk) if cs.title in page}

    assert titles() == {soft.title, talk.title}
    assert titles(q="NIGHTINGALE") == {soft.title}
    assert titles(q="handover talking") == {talk.title}
    assert titles(q="nothing-like-this") == set()
    assert titles(change_idea=str(talk.change.change_idea_id)) == {talk.title}
    assert titles(result="worked") == {soft.title}
    assert titles(result="not_shown") == {talk.title}
    assert titles(ward_type="adult_acute") == {soft.title, talk.title}
    assert titles(ward_type="picu") == set()


def test_index_lists_ramps_to_write_and_case_studies_to_approve(client, world, ramp):
    client.force_login(world.users["ward_manager"])
    page = client.get(reverse("network:index")).content.decode()
    assert "Finished ramps you could share" in page
    response = client.post(reverse("network:case-study-start", args=[ramp.pk]))
    assert response.status_code == 302
    made = ramp.previous.case_study
    services.case_study_submit(by=world.users["ward_manager"], case_study=made)
    client.force_login(world.users["qi_lead"])
    page = client.get(reverse("network:index")).content.decode()
    assert "Waiting for your approval" in page and made.title in page


def test_what_worked_where_shows_each_wards_evidence(client, world, ramp):
    client.force_login(world.users["champion"])
    page = client.get(reverse("network:what-worked-where", args=[world.network.code]))
    text = page.content.decode()
    assert "Soft words" in text
    assert "Ash Ward" in text and "Oak Ward" in text  # B1 tried it too (improvement_for_world)
    assert "Worked" in text


def test_network_home_shows_progress_and_recent_changes(client, world, ramp):
    published_case_study(
        author=world.users["ward_manager"], approver=world.users["qi_lead"],
        cycle=finished_ramp(by=world.users["ward_manager"], ward=world.wards["A1"], idea_key="safewards-talk-down", months_ago=2),
        title="Talk down, told",
    )  # fmt: skip
    client.force_login(world.users["network_lead"])
    page = client.get(reverse("network:home", args=[world.network.code])).content.decode()
    assert 'id="wards-engaged">2 of 3' in page
    assert "Talk down, told" in page  # published recently
    assert "Ashbrook NHS Foundation Trust" in page and "Birchfield Healthcare" in page
    assert 'id="funnel"' in page and 'id="ideas-table"' in page
