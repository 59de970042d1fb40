"""The coach's app as the server serves it at /app/ (server/app_shell)."""

import re
from pathlib import Path

import pytest

from tests.support.factories import PASSWORD
from tests.support.web import login

PWA = Path(__file__).parents[2] / "pwa"
SHELL = re.findall(r'"(/app/[^"]+)"', (PWA / "js" / "shell.js").read_text("utf-8"))


@pytest.fixture
def db_backend():
    return "sqlite"


def test_app_is_served_with_the_shell_and_a_strict_policy(client):
    page = client.get("/app/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html
    for url in SHELL:
        assert client.get(url).status_code == 200, url
    for hidden in (
        "/app/package.json",
        "/app/../server/__init__.py",
        "/app/vendor/idb-8.0.4.LICENSE",
    ):
        assert client.get(hidden).status_code == 404, hidden


def test_service_worker_is_never_cached_and_may_control_the_origin(client):
    response = client.get("/app/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"


def test_session_tells_the_app_who_is_logged_in_and_lets_it_register(client, factory):
    anonymous = client.get("/app/session.json").get_json()
    assert anonymous == {
        "logged_in": False,
        "user": None,
        "csrf_token": None,
        "login": None,
        "ended": False,
        "lock_idle_minutes": 15,
    }
    coach = factory.user("coach", name="Sanna Virtanen")
    login(client, coach.email, PASSWORD)
    response = client.get("/app/session.json")
    assert response.headers["Cache-Control"] == "no-store"
    session = response.get_json()
    assert session["logged_in"] is True
    assert session["user"] == {
        "id": coach.id,
        "name": "Sanna Virtanen",
        "role": "coach",
        "language": "fi",
    }
    registered = client.post(
        "/api/sync/devices",
        json={"device_id": "5d1f0c9e-3b8a-4a57-9e2e-7f1d2c3b4a50", "label": "test"},
        headers={"X-CSRFToken": session["csrf_token"]},
    )
    assert registered.status_code == 201
