"""Operations endpoints and hooks, in-process on both databases: the probes,
the request id and request log, and /metrics (its counts and its lock).
gunicorn's multi-process side is in test_production_servers.py."""

import logging

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text

from server import create_app
from server.extensions import db
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.settings import BASE_CONFIG
from tests.support.web import login

METRICS_TOKEN = "a-long-random-metrics-token"


@pytest.fixture
def coach(factory):
    return factory.user("coach", email="sanna.virtanen@polku.example")


def _sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# -- probes -------------------------------------------------------------------


def test_healthz_answers_without_a_database_and_readyz_says_unavailable():
    app = create_app(
        {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    )
    client = app.test_client()
    health = client.get("/healthz")
    assert (health.status_code, health.get_json()) == (200, {"status": "ok"})
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["status"] == "unavailable"
    assert ready.headers["Cache-Control"] == "no-store"


def test_readyz_ready_at_head_and_unavailable_behind_it(app, client):
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json() == {"status": "ready", "database": "ok", "migrations": "head"}
    (head,) = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.session.commit()
    try:
        behind = client.get("/readyz")
        assert behind.status_code == 503
        assert behind.get_json()["migrations"] == "not at head"
        assert behind.get_json()["at"] == ["0001"]
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        db.session.commit()


# -- request id and request log -------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("lb-0f3c2a9d-7e11", True),
        ("short", False),  # under 8 characters
        ("<script>alert(1)</script>", False),
        ("x" * 129, False),
    ],
)
def test_request_id_is_the_callers_when_safe_and_new_otherwise(client, sent, kept):
    answered = client.get("/healthz", headers={"X-Request-Id": sent}).headers["X-Request-Id"]
    assert (answered == sent) is kept
    assert 8 <= len(answered) <= 128


def test_request_log_names_route_status_and_device_and_nothing_personal(app, coach, caplog):
    caplog.set_level(logging.INFO, logger="polku.request")
    phone = SimDevice(app, coach)
    phone.upsert(
        "participant",
        first_name="Aino",
        last_name="Lehtonen",
        coach_id=coach.id,
        consent_given=True,
    )
    phone.sync()
    login(app.test_client(), coach.email, "wrong password")
    records = [r for r in caplog.records if r.name == "polku.request"]
    by_route = {r.route: r for r in records}
    push = by_route["/api/sync/push"]
    assert (push.method, push.status, push.device_id) == ("POST", 200, phone.device_id)
    assert push.duration_ms >= 0 and len(push.request_id) >= 8
    assert by_route["/api/sync/pull"].device_id == phone.device_id
    assert by_route["/login"].device_id is None
    logged = " ".join(str(vars(r)) for r in records)
    for personal in (coach.email, "Aino", "Lehtonen", PASSWORD, "cursor", phone.token):
        assert personal not in logged


# -- metrics ----------------------------------------------------------------------


def test_metrics_do_not_exist_without_a_token(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token(app, client):
    app.config["METRICS_TOKEN"] = METRICS_TOKEN
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    right = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert right.status_code == 200
    assert right.headers["Cache-Control"] == "no-store"


def test_metrics_count_pushes_mutations_conflicts_pulls_and_statuses(app, coach, client):
    app.config["METRICS_TOKEN"] = METRICS_TOKEN
    before = {
        "pushes": _sample("polku_sync_pushes_total"),
        "pulls": _sample("polku_sync_pulls_total"),
        "applied": _sample("polku_sync_mutations_total", status="applied"),
        "conflict": _sample("polku_sync_mutations_total", status="conflict"),
        "conflicts": _sample("polku_sync_conflicts_total"),
        "pulled": _sample("polku_sync_pulled_records_total"),
        "unauthorized": _sample(
            "polku_http_requests_total", method="POST", route="/api/sync/push", status="401"
        ),
    }
    a, b = SimDevice(app, coach), SimDevice(app, coach)
    participant = a.upsert(
        "participant",
        first_name="Aino",
        last_name="Lehtonen",
        coach_id=coach.id,
        consent_given=True,
    )
    a.sync()  # 1 push, 1 applied, 1 pull of 1 record
    b.pull()  # 1 pull of 1 record
    a.upsert("participant", participant, municipality="Oulu")
    b.upsert("participant", participant, municipality="Kajaani")
    a.push()  # applied
    b.push()  # conflict
    client.post("/api/sync/push", json={"mutations": []})  # no token: 401

    assert _sample("polku_sync_pushes_total") - before["pushes"] == 3
    assert _sample("polku_sync_pulls_total") - before["pulls"] == 2
    assert _sample("polku_sync_mutations_total", status="applied") - before["applied"] == 2
    assert _sample("polku_sync_mutations_total", status="conflict") - before["conflict"] == 1
    assert _sample("polku_sync_conflicts_total") - before["conflicts"] == 1
    assert _sample("polku_sync_pulled_records_total") - before["pulled"] == 2
    assert (
        _sample("polku_http_requests_total", method="POST", route="/api/sync/push", status="401")
        - before["unauthorized"]
        == 1
    )
    assert _sample(
        "polku_http_request_duration_seconds_count", method="POST", route="/api/sync/push"
    )
    page = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    body = page.get_data(as_text=True)
    assert "polku_sync_pushes_total" in body
    for personal in (coach.email, "Aino", "Lehtonen", "Oulu", "Kajaani", a.device_id):
        assert personal not in body
