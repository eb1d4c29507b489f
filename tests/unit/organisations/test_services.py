import pytest
from django.core.exceptions import ValidationError

from mhsip.auditing.models import AuditEvent
from mhsip.organisations import services
from tests.factories.accounts import UserFactory
from tests.factories.organisations import ProviderFactory, SiteFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_grant_checks_where_a_role_may_be_granted():
    admin, user = UserFactory(), UserFactory()
    ward = WardFactory()
    with pytest.raises(ValidationError, match="granted on a ward"):
        services.membership_grant(
            by=admin, user=user, role="ward_staff", organisation=ward.provider
        )
    membership = services.membership_grant(by=admin, user=user, role="ward_staff", ward=ward)
    assert membership.ward == ward
    event = AuditEvent.objects.get(action="membership.grant")
    assert event.provider == ward.provider and event.actor == admin


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError, match="no role called"):
        services.membership_grant(by=None, user=UserFactory(), role="boss", ward=WardFactory())


def test_tree_must_be_network_provider_site():
    provider = ProviderFactory()
    with pytest.raises(ValidationError):
        services.organisation_create(by=None, kind="site", code="X1", name="X", parent=None)
    with pytest.raises(ValidationError):
        services.organisation_create(
            by=None, kind="site", code="X1", name="X", parent=provider.parent
        )
    site = services.organisation_create(by=None, kind="site", code="X1", name="X", parent=provider)
    ward = services.ward_create(
        by=None, site=site, code="W-X", name="Oak", ward_type="picu", beds=10
    )
    assert ward.provider == provider
    with pytest.raises(ValidationError):
        services.ward_create(
            by=None, site=provider, code="W-Y", name="Elm", ward_type="picu", beds=1
        )
    assert SiteFactory(parent=provider).provider == provider
