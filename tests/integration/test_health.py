import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_health_reports_ok_and_the_database_vendor(client):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_rejects_post(client):
    response = client.post("/health")

    assert response.status_code == 405


def test_health_queries_the_database():
    # pytest-django blocks the database outside django_db tests, so reaching that block shows
    # the health check really queries the database rather than always answering "ok".
    from django.test import Client

    with pytest.raises(RuntimeError, match="Database access not allowed"):
        Client().get("/health")


@pytest.mark.django_db
def test_health_reports_the_database_that_database_url_chose(client):
    # Proves `make test-postgres` really ran against PostgreSQL, and `make test` against SQLite.
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )

    assert client.get("/health").json()["database"] == expected
