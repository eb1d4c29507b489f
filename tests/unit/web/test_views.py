from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError

from mhsip.web import views
from tests.factories.accounts import UserFactory
from tests.factories.organisations import MembershipFactory, WardFactory


@pytest.mark.django_db
def test_health_returns_ok(rf):
    response = views.health(rf.get("/health"))

    assert response.status_code == 200


def test_health_when_the_database_fails_returns_503(rf):
    with mock.patch.object(views.connection, "cursor", side_effect=DatabaseError("down")):
        response = views.health(rf.get("/health"))

    assert response.status_code == 503
    assert b'"status": "error"' in response.content


def test_home_renders(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    response = views.home(request)

    assert response.status_code == 200
    assert b"mhsip is open-source software" in response.content


@pytest.mark.django_db
def test_home_for_someone_with_no_role_says_how_to_get_one(rf):
    request = rf.get("/")
    request.user = UserFactory()

    response = views.home(request)

    assert b"You do not have a role on any ward yet" in response.content


@pytest.mark.django_db
def test_home_offers_each_ward_what_the_person_may_do_there(rf):
    ward = WardFactory(name="Cedar Ward")
    manager = MembershipFactory(role="ward_manager", ward=ward).user
    qi_lead = MembershipFactory(role="qi_lead", organisation=ward.provider).user
    request = rf.get("/")

    request.user = manager
    as_manager = views.home(request).content.decode()
    request.user = qi_lead
    as_qi_lead = views.home(request).content.decode()

    assert "Record a use of force" in as_manager and "Monthly bed days" in as_manager
    assert "Cedar Ward" in as_qi_lead and "Record a use of force" not in as_qi_lead
