import pytest

from mhsip.auditing.models import AppendOnlyError
from mhsip.auditing.services import record_event
from tests.factories.organisations import WardFactory

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_changed_or_deleted():
    ward = WardFactory()
    event = record_event(by=None, action="ward.view", target=ward, ward=ward)
    assert event.provider == ward.provider
    event.summary = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
