"""The system administrator manages the tree and roles in the admin; patient data is not there."""

import pytest
from django.urls import reverse

from mhsip.auditing.models import AuditEvent
from tests.factories.accounts import UserFactory
from tests.factories.organisations import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_admin_adds_a_ward_and_it_is_audited(admin_client):
    site = SiteFactory()
    response = admin_client.post(
        reverse("admin:organisations_ward_add"),
        {
            "site": site.pk,
            "code": "NEW01",
            "name": "Heron Ward",
            "ward_type": "picu",
            "security_level": "general",
            "beds": "12",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="ward.create")
    assert event.provider == site.parent and event.summary == "Heron Ward"


def test_patient_data_is_not_in_the_admin(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Organisations" in index and "Memberships" in index
    for absent in ("Patients", "Use of force", "Ward stays", "Audit events"):
        assert absent not in index
