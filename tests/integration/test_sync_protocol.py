"""Device sessions, limits and the published description of the sync API."""

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, Device, Participant
from server.models.base import as_utc, utcnow
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def test_registration_needs_a_logged_in_session(client):
    response = client.post("/api/sync/devices", json={"device_id": str(uuid.uuid4())})
    assert response.status_code == 400  # no CSRF token without a session


def test_registration_needs_csrf(client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    response = client.post("/api/sync/devices", json={"device_id": str(uuid.uuid4())})
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["error"]["message"]


def test_registration_names_bad_fields(client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    response = client.post(
        "/api/sync/devices",
        json={"device_id": "phone-1", "label": "x" * 300},
        headers={"X-CSRFToken": csrf_token(client, "/coach")},
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"device_id", "label"}


def test_token_hash_only_is_stored(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    stored = db.session.get(Device, device.device_id)
    assert stored.token_hash != device.token
    assert len(stored.token_hash) == 64


def test_push_without_a_device_session_is_401(client):
    response = client.post("/api/sync/push", json={"mutations": []})
    assert response.status_code == 401
    response = client.get("/api/sync/pull", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_expired_session_answers_401_and_writes_nothing(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    device.upsert("participant", first_name="A", last_name="B", coach_id=coach.id)
    stored = db.session.get(Device, device.device_id)
    stored.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = device.client.post(
        "/api/sync/push", json={"mutations": device.outbox}, headers=device.auth
    )
    assert response.status_code == 401
    assert "log in again" in response.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0
    # Logging in again gives a fresh token; the kept outbox then lands.
    device.token = device.register()
    assert [r["status"] for r in device.push()] == ["applied"]


def test_a_devices_last_call_is_recorded_at_most_once_a_minute(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    audited = (
        select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type == "devices")
    )
    stored = db.session.get(Device, device.device_id)
    stored.last_seen_at = earlier = utcnow() - timedelta(seconds=30)
    db.session.commit()
    before = db.session.scalar(audited)
    for _ in range(3):  # pull pages within the minute: no write, no audit event
        assert device.client.get("/api/sync/pull", headers=device.auth).status_code == 200
    db.session.expire_all()
    assert as_utc(db.session.get(Device, device.device_id).last_seen_at) == earlier
    assert db.session.scalar(audited) == before
    stored = db.session.get(Device, device.device_id)
    stored.last_seen_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    assert device.client.get("/api/sync/pull", headers=device.auth).status_code == 200
    db.session.expire_all()
    seen = as_utc(db.session.get(Device, device.device_id).last_seen_at)
    assert seen > utcnow() - timedelta(seconds=30)


def test_logout_revokes_the_device_token(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    assert device.client.post("/api/sync/logout", headers=device.auth).status_code == 200
    response = device.client.get("/api/sync/pull", headers=device.auth)
    assert response.status_code == 401


def test_deactivated_user_cannot_sync(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    coach.active = False
    db.session.commit()
    assert device.client.get("/api/sync/pull", headers=device.auth).status_code == 401


def test_batch_size_is_bounded(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    for _ in range(501):
        device.upsert("participant", first_name="A", last_name="B", coach_id=coach.id)
    response = device.client.post(
        "/api/sync/push", json={"mutations": device.outbox}, headers=device.auth
    )
    assert response.status_code == 413
    assert "at most 500" in response.get_json()["error"]["fields"]["mutations"][0]
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_payload_size_is_bounded(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    device.upsert(
        "participant",
        first_name="A",
        last_name="B",
        coach_id=coach.id,
        consent_note="x" * (3 * 1024 * 1024),
    )
    response = device.client.post(
        "/api/sync/push", json={"mutations": device.outbox}, headers=device.auth
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["status"] == 413


def test_malformed_body_is_a_clear_error(app, factory):
    device = SimDevice(app, factory.user("coach"))
    response = device.client.post(
        "/api/sync/push", data="[]", headers=device.auth, content_type="application/json"
    )
    assert response.status_code == 400
    response = device.client.post("/api/sync/push", json={"mutations": "all"}, headers=device.auth)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"mutations": ["must be a list"]}


def test_a_refused_call_marks_the_device_failing_until_one_succeeds(app, factory):
    # The desk's "failing device" badge (review/team.html) reads last_error.
    coach = factory.user("coach")
    device = SimDevice(app, coach)

    def last_error():
        db.session.expire_all()
        return db.session.get(Device, device.device_id).last_error

    too_many = [{"mutation_id": str(uuid.uuid4())}] * 501
    response = device.client.post(
        "/api/sync/push", json={"mutations": too_many}, headers=device.auth
    )
    assert response.status_code == 413
    assert last_error() == "push:413"
    assert device.client.get("/api/sync/pull?limit=x", headers=device.auth).status_code == 422
    assert last_error() == "pull:422"
    device.upsert("participant", first_name="A", last_name="B", coach_id=coach.id)
    device.push()
    assert last_error() is None


def test_bad_cursor_and_limit_are_named(app, factory):
    device = SimDevice(app, factory.user("coach"))
    bad = device.client.get("/api/sync/pull?cursor=abc", headers=device.auth)
    assert bad.status_code == 422
    assert "cursor" in bad.get_json()["error"]["fields"]
    bad = device.client.get("/api/sync/pull?limit=-1", headers=device.auth)
    assert bad.get_json()["error"]["fields"] == {"limit": ["must be a positive integer"]}


def test_pull_pages_follow_the_cursor(app, factory):
    coach = factory.user("coach")
    writer, reader = SimDevice(app, coach), SimDevice(app, coach)
    for n in range(25):
        writer.upsert("participant", first_name=f"A{n}", last_name="B", coach_id=coach.id)
    writer.push()
    pages = []
    while True:
        response = reader.client.get(
            "/api/sync/pull",
            query_string={"limit": 10, **({"cursor": reader.cursor} if reader.cursor else {})},
            headers=reader.auth,
        )
        page = response.get_json()
        reader.apply(page)
        pages.append(len(page["changes"]))
        if not page["more"]:
            break
    assert pages == [10, 10, 5]
    assert len(reader.replica.records) == 25
    assert reader.pull() == 0  # nothing new: an empty incremental pull


def test_openapi_description_is_published(client):
    spec = client.get("/api/sync/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/devices", "/push", "/pull", "/logout", "/signers", "/nonces"} <= set(spec["paths"])
    assert (
        spec["paths"]["/push"]["post"]["requestBody"]["content"]["application/json"]["schema"][
            "properties"
        ]["mutations"]["maxItems"]
        == 500
    )


def test_every_sync_route_is_described(app, client):
    spec = client.get("/api/sync/openapi.json").get_json()
    routes = {
        rule.rule.removeprefix("/api/sync")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/sync/")
    }
    assert routes == set(spec["paths"])


def test_described_record_types_are_the_synced_ones(client):
    from server.records.registry import SYNCED

    spec = client.get("/api/sync/openapi.json").get_json()
    described = spec["components"]["schemas"]["Mutation"]["properties"]["record_type"]["enum"]
    assert set(described) == set(SYNCED)
