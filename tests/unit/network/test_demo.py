"""The demo network: case studies of the demo wards' finished ramps in each state of the
workflow, and requests to join (one decided, two waiting), all through the services."""

from datetime import date

import pytest

from mhsip.demo.generate import WardStory
from mhsip.demo.improvement import PROJECTS, load_improvement
from mhsip.demo.network import NEIGHBOUR_PROVIDER, load_network_demo
from mhsip.network.models import CaseStudy, CaseStudyStatus, JoinRequest, RequestStatus
from mhsip.organisations.models import Membership
from mhsip.organisations.services import membership_grant
from tests.factories.accounts import UserFactory
from tests.factories.organisations import NetworkFactory, ProviderFactory, SiteFactory, WardFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)
JOINED = date(2025, 3, 1)


@pytest.fixture
def users(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    network = NetworkFactory(code="ZZNC")
    provider = ProviderFactory(code="ZZA", parent=network)
    site = SiteFactory(parent=provider)
    wards = {plan.ward_code: WardFactory(site=site, code=plan.ward_code) for plan in PROJECTS}
    names = ["manager", "nurse", "qilead", "responsible", "patientrep", "networklead", "admin"]
    names += ["nurse2", "staff.osprey", "staff.linnet", "staff.skylark", "staff.willow"]
    users = {name: UserFactory(username=name) for name in [*names, "staff.fulmar"]}
    admin = users["admin"]
    membership_grant(by=admin, user=admin, role="system_admin")
    membership_grant(
        by=admin, user=users["manager"], role="ward_manager", ward=wards["ZZA01-KESTREL"]
    )
    for name, role in (("qilead", "qi_lead"), ("responsible", "responsible_person")):
        membership_grant(by=admin, user=users[name], role=role, organisation=provider)
    membership_grant(by=admin, user=users["networklead"], role="network_lead", organisation=network)
    load_improvement([WardStory(code, 0.9, JOINED, 0.3) for code in wards], TODAY, wards, users)
    return users


def test_load_network_demo_makes_case_studies_in_each_state(users):
    counts = load_network_demo(users=users)
    assert counts["published"] == 2
    assert counts["submitted"] == 1
    statuses = list(CaseStudy.objects.values_list("status", flat=True))
    assert statuses.count(CaseStudyStatus.PUBLISHED) == 2
    assert statuses.count(CaseStudyStatus.SUBMITTED) == 1
    published = CaseStudy.objects.filter(status=CaseStudyStatus.PUBLISHED)
    assert all(cs.network.code == "ZZNC" and cs.verdict_summary for cs in published)


def test_load_network_demo_makes_requests_to_join(users):
    load_network_demo(users=users)
    pending = JoinRequest.objects.filter(status=RequestStatus.PENDING)
    assert {r.who for r in pending} >= {f"{users['nurse2'].get_full_name()} as champion"}
    assert pending.filter(organisation__code=NEIGHBOUR_PROVIDER[0]).exists()
    assert Membership.objects.filter(
        user=users["patientrep"], role="patient_representative", organisation__code="ZZNC"
    ).exists()


def test_load_network_demo_without_the_network_does_nothing():
    assert load_network_demo(users={}, network_code="NOPE") == {
        "published": 0, "submitted": 0, "drafts": 0, "requests": 0,
    }  # fmt: skip
