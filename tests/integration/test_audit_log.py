"""The audit log page and its CSV download, for a provider's responsible person."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mhsip.auditing import services as audit
from mhsip.auditing.models import AuditEvent
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db

AUDIT_LOG = reverse("auditing:audit-log")
DOWNLOAD = reverse("auditing:audit-log-download")


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def responsible(client, world):
    client.force_login(world.users["responsible_person"])
    return client


def rows_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_shows_the_providers_events_only_newest_first(responsible, world):
    response = responsible.get(AUDIT_LOG)

    assert response.status_code == 200
    events = [event for event, _ in response.context["events"]]
    assert events
    assert {event.provider for event in events} == {world.providers["A"]}
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    content = response.content.decode()
    assert "Viewed a use-of-force record" in content
    assert world.records["A1"].reference in content
    assert world.records["B1"].reference not in content


@pytest.mark.parametrize(
    "who", ["ward_staff", "ward_manager", "qi_lead", "network_lead", "champion", "system_admin"]
)
def test_everyone_else_is_refused(client, world, who):
    client.force_login(world.users[who])

    assert client.get(AUDIT_LOG).status_code == 403
    assert client.get(DOWNLOAD).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(AUDIT_LOG)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_filter_by_action(responsible):
    response = responsible.get(AUDIT_LOG, {"action": "use_of_force_record.view"})

    events = [event for event, _ in response.context["events"]]
    assert len(events) == 1
    assert events[0].action == "use_of_force_record.view"


def test_filter_by_ward(responsible, world):
    response = responsible.get(AUDIT_LOG, {"ward": world.wards["A2"].code})

    events = [event for event, _ in response.context["events"]]
    assert events
    assert {event.ward for event in events} == {world.wards["A2"]}


def test_filter_by_person(responsible, world):
    response = responsible.get(AUDIT_LOG, {"person": "ward_manager"})

    events = [event for event, _ in response.context["events"]]
    assert [event.actor for event in events] == [world.users["ward_manager"]]


def test_filter_by_dates(responsible, world):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    def count(since, until):
        response = responsible.get(
            AUDIT_LOG,
            {
                "since_day": since.day,
                "since_month": since.month,
                "since_year": since.year,
                "until_day": until.day,
                "until_month": until.month,
                "until_year": until.year,
            },
        )
        return response.context["page"].paginator.count

    assert count(today, today) == AuditEvent.objects.filter(provider=world.providers["A"]).count()
    assert count(yesterday, yesterday) == 0


def test_a_wrong_date_range_is_explained(responsible):
    response = responsible.get(
        AUDIT_LOG,
        {
            "since_day": "2",
            "since_month": "3",
            "since_year": "2026",
            "until_day": "1",
            "until_month": "3",
            "until_year": "2026",
        },
    )

    content = response.content.decode()
    assert "nhsuk-error-summary" in content
    assert "End date must be the same as or after the start date" in content


def test_a_person_from_another_provider_is_not_a_choice(responsible):
    response = responsible.get(AUDIT_LOG, {"person": "ward_staff_b"})

    assert "Choose a person from the list" in response.content.decode()


def test_pages_of_fifty(responsible, world):
    for n in range(60):
        audit.record_event(
            by=world.users["ward_staff"],
            action="use_of_force_record.view",
            ward=world.wards["A1"],
            summary=f"view {n}",
        )

    first = responsible.get(AUDIT_LOG, {"action": "use_of_force_record.view"})
    second = responsible.get(AUDIT_LOG, {"action": "use_of_force_record.view", "page": 2})

    assert len(first.context["events"]) == 50
    assert len(second.context["events"]) == 11
    assert "action=use_of_force_record.view&amp;page=2" in first.content.decode()


def test_download_is_the_filtered_events_as_csv(responsible, world):
    response = responsible.get(DOWNLOAD, {"ward": world.wards["A1"].code})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mhsip-audit-log-')
    rows = rows_of(response)
    assert rows
    assert {row["ward code"] for row in rows} == {world.wards["A1"].code}
    assert "Viewed a use-of-force record" in {row["what happened"] for row in rows}


def test_download_is_itself_audited(responsible, world):
    response = responsible.get(DOWNLOAD, {"action": "use_of_force_record.view"})
    rows_of(response)

    export = AuditEvent.objects.get(action="audit_log.export")
    assert export.actor == world.users["responsible_person"]
    assert export.provider == world.providers["A"]
    assert export.detail == {"filters": {"action": "use_of_force_record.view"}, "events": 1}
    # ...and shows in the log.
    assert "Downloaded the audit log" in responsible.get(AUDIT_LOG).content.decode()


def test_download_cannot_smuggle_a_spreadsheet_formula(responsible, world):
    audit.record_event(
        by=world.users["ward_staff"],
        action="use_of_force_record.view",
        ward=world.wards["A1"],
        summary='=HYPERLINK("http://evil.example")',
    )

    rows = rows_of(responsible.get(DOWNLOAD))

    assert '\'=HYPERLINK("http://evil.example")' in {row["summary"] for row in rows}
