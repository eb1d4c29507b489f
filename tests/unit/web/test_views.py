from unittest import mock

import pytest
from django.db import DatabaseError

from mhsip.web import views


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
    response = views.home(rf.get("/"))

    assert response.status_code == 200
    assert b"mhsip is open-source software" in response.content
