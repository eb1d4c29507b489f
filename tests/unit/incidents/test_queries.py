from datetime import timedelta

import pytest
from django.utils import timezone

from mhsip.auditing.models import AuditEvent
from mhsip.incidents.queries import records_visible_to
from mhsip.incidents.services import record_save, records_listed
from tests.factories.incidents import record_create
from tests.factories.organisations import MembershipFactory, WardFactory
from tests.factories.patients import PatientFactory, WardStayFactory

pytestmark = pytest.mark.django_db


def test_records_are_most_recent_first_with_undated_drafts_by_when_they_were_made():
    ward = WardFactory()
    nurse = MembershipFactory(role="ward_staff", ward=ward).user
    patient = PatientFactory(provider=ward.provider)
    WardStayFactory(patient=patient, ward=ward)
    old = record_create(
        by=nurse, ward=ward, patient=patient, started_at=timezone.now() - timedelta(days=5)
    )
    new = record_create(
        by=nurse, ward=ward, patient=patient, started_at=timezone.now() - timedelta(days=1)
    )
    draft = record_save(
        by=nurse, ward=ward, patient=patient, fields={}, interventions=[], staff=[], complete=False
    ).record
    outsider = MembershipFactory(role="ward_staff", ward=WardFactory()).user

    assert list(records_visible_to(nurse)) == [draft, new, old]
    assert not records_visible_to(outsider).exists()


def test_listing_records_is_audited():
    ward = WardFactory()
    nurse = MembershipFactory(role="ward_staff", ward=ward).user

    records_listed(by=nurse, ward=ward, page=2)

    event = AuditEvent.objects.get(action="use_of_force_record.list")
    assert event.ward == ward and event.detail == {"page": 2}
