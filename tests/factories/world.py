"""A small, realistic world for access tests: one network, two providers, three wards, a
patient on each ward with a complete use-of-force record, and one person for every role.

    world = build_world()
    world.users["ward_staff"], world.wards["A1"], world.records["A1"], world.leak_markers("A1")

Each record carries text found nowhere else (`marker`), so a test can tell whether a page
showed any part of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from mhsip.incidents.models import UseOfForceRecord
from mhsip.incidents.services import record_save, record_viewed
from mhsip.organisations.models import Organisation, Ward
from mhsip.organisations.services import membership_grant
from mhsip.patients.models import Patient, WardStay
from mhsip.patients.pseudonyms import alias_for, local_id_hash
from tests.factories.accounts import UserFactory
from tests.factories.improvement import improvement_for_world
from tests.factories.incidents import STAFF, complete_fields, two_interventions
from tests.factories.organisations import (
    NetworkFactory,
    ProviderFactory,
    SiteFactory,
    WardFactory,
)

PASSWORD = "correct horse battery"

#: Who each test user is: (key, role, where the role is granted, first name, last name).
PEOPLE = [
    ("ward_staff", "ward_staff", "A1", "Wendy", "Ward-Staff"),
    ("ward_manager", "ward_manager", "A1", "Mona", "Manager"),
    ("qi_lead", "qi_lead", "provider_a", "Quentin", "Lead"),
    ("responsible_person", "responsible_person", "provider_a", "Rosa", "Responsible"),
    ("network_lead", "network_lead", "network", "Nadia", "Network"),
    ("champion", "champion", "network", "Chidi", "Champion"),
    ("patient_representative", "patient_representative", "A1", "Pat", "Representative"),
    ("system_admin", "system_admin", None, "Sid", "Admin"),
    ("ward_staff_a2", "ward_staff", "A2", "Ellis", "Elm-Nurse"),
    ("ward_staff_b", "ward_staff", "B1", "Bea", "Other-Trust"),
]


@dataclass
class World:
    network: Organisation
    providers: dict[str, Organisation]
    wards: dict[str, Ward]
    patients: dict[str, Patient]
    local_ids: dict[str, str]
    records: dict[str, UseOfForceRecord]
    users: dict = field(default_factory=dict)
    #: Ward key -> its share-an-idea link's token (the public page's URL parameter).
    share_tokens: dict = field(default_factory=dict)

    def leak_markers(self, ward_key: str) -> dict[str, str]:
        """Text that only a page showing that ward's patient-level data could contain."""
        record, patient = self.records[ward_key], self.patients[ward_key]
        return {
            "record reference": record.reference,
            "record free text": marker(ward_key),
            "patient alias": patient.alias,
            "patient local identifier": self.local_ids[ward_key],
            "local identifier hash": patient.local_id_hash[:16],
        }


def marker(ward_key: str) -> str:
    return f"Settled in the garden room ({ward_key}-QX7)"


def build_world() -> World:
    network = NetworkFactory(code="NETX", name="Northern Patient Safety Collaborative")
    provider_a = ProviderFactory(parent=network, code="RAA", name="Ashbrook NHS Foundation Trust")
    provider_b = ProviderFactory(parent=network, code="RBB", name="Birchfield Healthcare")
    site_a = SiteFactory(parent=provider_a, code="RAA01", name="Ashbrook Hospital")
    site_b = SiteFactory(parent=provider_b, code="RBB01", name="Birchfield Unit")
    wards = {
        "A1": WardFactory(site=site_a, code="RAA01-ASH", name="Ash Ward"),
        "A2": WardFactory(site=site_a, code="RAA01-ELM", name="Elm Ward"),
        "B1": WardFactory(site=site_b, code="RBB01-OAK", name="Oak Ward"),
    }
    places = {"network": network, "provider_a": provider_a, **wards}

    users = {}
    admin = UserFactory(username="system_admin", first_name="Sid", last_name="Admin")
    membership_grant(by=admin, user=admin, role="system_admin")
    users["system_admin"] = admin
    for key, role, where, first, last in PEOPLE:
        if key in users:
            continue
        user = UserFactory(username=key, first_name=first, last_name=last)
        place = places[where]
        if isinstance(place, Ward):
            membership_grant(by=admin, user=user, role=role, ward=place)
        else:
            membership_grant(by=admin, user=user, role=role, organisation=place)
        users[key] = user

    patients, local_ids, records = {}, {}, {}
    creators = {
        "A1": users["ward_staff"],
        "A2": users["ward_staff_a2"],
        "B1": users["ward_staff_b"],
    }
    for key, ward in wards.items():
        local_ids[key] = f"MRN{key}90417"
        id_hash = local_id_hash(ward.provider.code, local_ids[key])
        patients[key] = Patient.objects.create(
            provider=ward.provider, local_id_hash=id_hash, alias=alias_for(id_hash)
        )
        WardStay.objects.create(
            patient=patients[key], ward=ward, started_at=timezone.now() - timedelta(days=20)
        )
        fields = complete_fields(outcome=marker(key))
        records[key] = record_save(
            by=creators[key],
            ward=ward,
            patient=patients[key],
            fields=fields,
            interventions=two_interventions(fields),
            staff=STAFF,
            complete=True,
        ).record
    record_viewed(by=users["ward_manager"], record=records["A1"])
    # Improvement work on a ward of each provider (projects, cycles, co-design, a share link).
    share_tokens = {
        "A1": improvement_for_world(
            ward=wards["A1"], by=users["ward_staff"], moderator=users["ward_manager"]
        ),
    }
    improvement_for_world(ward=wards["B1"], by=users["ward_staff_b"])

    return World(
        network=network,
        providers={"A": provider_a, "B": provider_b},
        wards=wards,
        patients=patients,
        local_ids=local_ids,
        records=records,
        users=users,
        share_tokens=share_tokens,
    )
