"""The JSON API through URLs and middleware: tokens, the permission matrix, auditing, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mhsip.api.models import ApiToken
from mhsip.api.services import api_token_create, api_token_revoke, token_hash
from mhsip.api.v1 import api
from mhsip.auditing.models import AuditEvent
from mhsip.dashboards import presenters
from mhsip.dashboards.queries import measure_rows
from tests.factories.world import build_world

pytestmark = pytest.mark.django_db

OPENAPI = "/api/v1/openapi.json"


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def call(user, url: str, **params):
    _, raw = api_token_create(by=user, name="test", expires_in_days=30)
    return Client().get(url, params, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_api_token_is_stored_only_as_a_hash(world):
    token, raw = api_token_create(by=world.users["qi_lead"], name="nightly", expires_in_days=90)

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(v) for v in stored.values()}
    assert stored["key_hash"] == token_hash(raw)
    assert raw.startswith(stored["prefix"]) and len(stored["prefix"]) < len(raw) / 3


def test_api_without_a_token_is_401(world):
    assert Client().get("/api/v1/organisations").status_code == 401


def test_api_with_a_signed_in_session_but_no_token_is_401(world):
    client = Client()
    client.force_login(world.users["qi_lead"])

    assert client.get("/api/v1/organisations").status_code == 401


def test_api_with_a_wrong_token_is_401(world):
    response = Client().get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer mhsip_nope")

    assert response.status_code == 401


def test_api_with_a_revoked_token_is_401(world):
    user = world.users["qi_lead"]
    token, raw = api_token_create(by=user, name="t", expires_in_days=30)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/organisations").status_code == 200

    api_token_revoke(by=user, token=token)

    assert client.get("/api/v1/organisations").status_code == 401


def test_api_with_an_expired_token_is_401(world):
    token, raw = api_token_create(by=world.users["qi_lead"], name="t", expires_in_days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 401


def test_api_token_of_a_deactivated_person_is_401(world):
    user = world.users["qi_lead"]
    _, raw = api_token_create(by=user, name="t", expires_in_days=30)
    user.is_active = False
    user.save()

    response = Client().get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 401


def test_api_use_records_last_used(world):
    token, raw = api_token_create(by=world.users["qi_lead"], name="t", expires_in_days=30)

    Client().get("/api/v1/wards", HTTP_AUTHORIZATION=f"Bearer {raw}")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_page_makes_a_token_shown_once_and_revokes_it(world):
    client = Client()
    client.force_login(world.users["ward_manager"])

    made = client.post("/api/tokens/", {"name": "ward report", "expires_in_days": "90"})
    raw = made.context["new_token"]
    again = client.get("/api/tokens/")

    assert made.status_code == 200 and raw.encode() in made.content
    assert made["Cache-Control"] == "no-store"
    assert raw.encode() not in again.content
    token = ApiToken.objects.get(user=world.users["ward_manager"])
    assert token.is_active
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()

    client.post(f"/api/tokens/{token.pk}/revoke/")

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/wards", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_page_refuses_someone_without_the_permission(world):
    client = Client()
    client.force_login(world.users["champion"])  # champions have no API_TOKEN_MANAGE

    assert client.get("/api/tokens/").status_code == 403


def test_token_of_another_person_cannot_be_revoked(world):
    token, _ = api_token_create(by=world.users["qi_lead"], name="t", expires_in_days=30)
    client = Client()
    client.force_login(world.users["ward_manager"])

    response = client.post(f"/api/tokens/{token.pk}/revoke/")

    token.refresh_from_db()
    assert response.status_code == 404 and token.revoked_at is None


# --- The permission matrix, as on the pages ----------------------------------------------


def test_ward_nurse_sees_only_their_ward(world):
    wards = call(world.users["ward_staff"], "/api/v1/wards").json()

    assert [w["code"] for w in wards] == [world.wards["A1"].code]
    assert wards[0]["figures"] == "exact" and wards[0]["records"] is True


def test_ward_nurse_gets_their_ward_records_and_not_another(world):
    nurse = world.users["ward_staff"]
    own = call(nurse, f"/api/v1/wards/{world.wards['A1'].code}/records")
    other = call(nurse, f"/api/v1/wards/{world.wards['A2'].code}/records")
    other_record = call(nurse, f"/api/v1/records/{world.records['A2'].pk}")

    assert own.status_code == 200
    assert [r["reference"] for r in own.json()["records"]] == [world.records["A1"].reference]
    assert other.status_code == 403
    assert other_record.status_code == 404
    for key in ("A2", "B1"):
        for marker in world.leak_markers(key).values():
            assert marker not in other.content.decode() + other_record.content.decode()


def test_records_are_pseudonymised(world):
    body = call(world.users["ward_staff"], f"/api/v1/wards/{world.wards['A1'].code}/records")

    record = body.json()["records"][0]
    text = body.content.decode()
    assert record["patient_alias"] == world.patients["A1"].alias
    assert world.local_ids["A1"] not in text
    assert world.patients["A1"].local_id_hash[:16] not in text
    assert world.leak_markers("A1")["record free text"] not in text


def test_each_records_call_is_audited(world):
    nurse = world.users["ward_staff"]
    ward = world.wards["A1"]
    before = AuditEvent.objects.filter(action="use_of_force_record.list", actor=nurse).count()

    call(nurse, f"/api/v1/wards/{ward.code}/records")
    call(nurse, f"/api/v1/records/{world.records['A1'].pk}")

    listed = AuditEvent.objects.filter(action="use_of_force_record.list", actor=nurse)
    viewed = AuditEvent.objects.filter(
        action="use_of_force_record.view", actor=nurse, object_id=str(world.records["A1"].pk)
    )
    assert listed.count() == before + 1 and listed.first().ward == ward
    assert viewed.exists()


def test_records_are_paginated(world):
    response = call(
        world.users["qi_lead"], f"/api/v1/wards/{world.wards['A1'].code}/records", page_size=1
    )
    beyond = call(world.users["qi_lead"], f"/api/v1/wards/{world.wards['A1'].code}/records", page=9)

    assert response.json()["page_size"] == 1 and response.json()["count"] == 1
    assert beyond.status_code == 404


def test_network_lead_never_gets_records(world):
    lead = world.users["network_lead"]
    for key, ward in world.wards.items():
        response = call(lead, f"/api/v1/wards/{ward.code}/records")
        record = call(lead, f"/api/v1/records/{world.records[key].pk}")

        assert response.status_code == 403
        assert record.status_code == 404
    assert all(w["records"] is False for w in call(lead, "/api/v1/wards").json())


def test_network_lead_gets_suppressed_measures(world):
    provider = world.providers["A"]

    body = call(world.users["network_lead"], f"/api/v1/measures/provider/{provider.code}").json()

    assert body["figures"] == "suppressed"
    counts = [r["numerator"] for r in body["rows"] if r["measure"] == "restrictive_interventions"]
    assert counts and all(c is None or c % 5 == 0 for c in counts)
    # The world's provider has a handful of interventions: all hidden, none shown as 1-4.
    assert not any(c in {1, 2, 3, 4} for c in counts)


def test_provider_lead_gets_exact_measures_equal_to_measure_rows(world):
    provider = world.providers["A"]

    body = call(world.users["qi_lead"], f"/api/v1/measures/provider/{provider.code}").json()

    assert body["figures"] == "exact"
    assert body["rows"] == measure_rows("provider", organisation=provider.code)


def test_measures_of_another_provider_are_403(world):
    response = call(
        world.users["qi_lead"], f"/api/v1/measures/provider/{world.providers['B'].code}"
    )

    assert response.status_code == 403


def test_spc_result_as_the_measure_page(world):
    ward = world.wards["A1"]

    body = call(
        world.users["ward_staff"],
        f"/api/v1/measures/ward/{ward.code}/restrictive_interventions/spc",
    ).json()

    assert body["figures"] == "exact" and body["chart"] == "u"
    assert len(body["points"]) == 36
    assert {"centre", "lower", "upper", "point_type"} <= set(body["points"][0])
    expected = presenters.make_measure_page(
        presenters.resolve_target(world.users["ward_staff"], "ward", ward.code),
        "restrictive_interventions",
    )
    assert body["variation"] == expected.chart["variation"]
    assert body["narrative"] == expected.narrative
    assert [p["centre"] for p in body["points"]] == [p["centre"] for p in expected.chart["points"]]


def test_spc_of_an_unknown_measure_is_404(world):
    ward = world.wards["A1"]

    response = call(world.users["ward_staff"], f"/api/v1/measures/ward/{ward.code}/nope/spc")

    assert response.status_code == 404


def test_organisations_list_only_what_the_role_grants(world):
    codes = {o["code"] for o in call(world.users["qi_lead"], "/api/v1/organisations").json()}

    assert world.providers["A"].code in codes
    assert world.providers["B"].code not in codes and world.network.code not in codes


# --- The OpenAPI description -------------------------------------------------------------


def test_openapi_document_is_openapi_3_and_lists_every_endpoint(world):
    response = Client().get(OPENAPI)
    document = response.json()

    assert response.status_code == 200
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"] == "1"
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    paths = set(document["paths"])
    assert paths == {
        "/api/v1/organisations",
        "/api/v1/wards",
        "/api/v1/measures/{level}/{code}",
        "/api/v1/measures/{level}/{code}/{measure}/spc",
        "/api/v1/wards/{code}/records",
        "/api/v1/records/{record_id}",
    }
    registered = sum(len(router.path_operations) for _, router in api._routers)
    assert len(paths) == registered
    for path_item in document["paths"].values():
        for operation in path_item.values():
            assert operation["security"] == [{"BearerToken": []}]
            assert "200" in operation["responses"]
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            assert "$ref" in schema or "items" in schema
    for ref in _refs(document):
        name = ref.removeprefix("#/components/schemas/")
        assert name in document["components"]["schemas"], ref


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_no_interactive_docs_page(world):
    # Swagger UI would load from a CDN, which the Content-Security-Policy blocks.
    assert Client().get("/api/v1/docs").status_code == 404
