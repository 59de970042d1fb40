"""POST /app/device/verify-owner: hand-over mode's way out when the coach
forgot the device PIN (server/app_shell/owner.py). The device's bearer token
names the user; only that user's password is checked; failures count towards
the login throttle; every attempt is audited."""

import json
import uuid
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import AuditEvent, Device, LoginAttempt
from server.models.base import utcnow
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

URL = "/app/device/verify-owner"
WRONG = "not the password"
OTHERS = "another coach's password"


def register_device(app, user) -> str:
    """The app's D1: log in, register a device, return its token."""
    browser = app.test_client()
    assert login(browser, user.email, PASSWORD).status_code == 302
    response = browser.post(
        "/api/sync/devices",
        json={"device_id": str(uuid.uuid4()), "label": "test"},
        headers={"X-CSRFToken": csrf_token(browser, "/login")},
    )
    assert response.status_code == 201
    # The tests count attempts from here: the login's own row goes.
    db.session.execute(delete(LoginAttempt))
    db.session.commit()
    return response.get_json()["token"]


def verify(client, token: str | None, password: str | None, **headers):
    """What the service worker sends: the token, no cookie, no CSRF token."""
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = {} if password is None else {"password": password}
    return client.post(URL, json=body, headers=headers)


def attempts(**where) -> list[LoginAttempt]:
    return list(db.session.scalars(select(LoginAttempt).filter_by(**where)))


def events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def test_the_owners_password_is_accepted_recorded_and_audited(app, client, factory):
    coach = factory.user("coach")
    token = register_device(app, coach)
    response = verify(client, token, PASSWORD)
    assert response.status_code == 204
    [attempt] = attempts(email=coach.email)
    assert attempt.succeeded is True, "recorded like a successful login"
    [event] = events("device_owner_verified")
    assert (event.user_id, event.entity_type, event.entity_id) == (coach.id, "users", str(coach.id))
    assert event.detail["device_id"]
    assert event.ip == "127.0.0.1"
    assert PASSWORD not in json.dumps(event.detail)


def test_a_wrong_password_is_401_naming_the_field_counted_and_audited(app, client, factory):
    coach = factory.user("coach")
    token = register_device(app, coach)
    response = verify(client, token, WRONG)
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["status"] == 401
    assert "password" in error["fields"]
    assert [a.succeeded for a in attempts(email=coach.email)] == [False]
    [event] = events("device_owner_failed")
    assert (event.user_id, event.entity_id) == (coach.id, str(coach.id))
    assert WRONG not in json.dumps(event.detail)
    assert events("device_owner_verified") == []
    # Nothing to check: not an attempt.
    missing = verify(client, token, None)
    assert missing.status_code == 422
    assert "password" in missing.get_json()["error"]["fields"]
    assert len(attempts()) == 1


def test_throttled_like_a_login_after_five_failures(app, client, factory):
    coach = factory.user("coach")
    token = register_device(app, coach)
    # A failed login counts here, and these failures count for /login.
    assert login(app.test_client(), coach.email, WRONG).status_code == 401
    for _ in range(4):
        assert verify(client, token, WRONG).status_code == 401
    refused = verify(client, token, PASSWORD)
    assert refused.status_code == 429
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert refused.get_json()["error"]["status"] == 429
    [event] = events("device_owner_throttled")
    assert event.detail["limit"] == "account"
    assert event.user_id == coach.id
    assert events("device_owner_verified") == []
    assert len(attempts()) == 5, "refusals are not counted"
    assert login(app.test_client(), coach.email, PASSWORD).status_code == 429
    # Once the window has passed, the password is checked again.
    at = utcnow() - timedelta(minutes=16)
    db.session.execute(update(LoginAttempt).values(at=at))
    db.session.commit()
    assert verify(client, token, PASSWORD).status_code == 204


def test_a_success_resets_the_accounts_count(app, client, factory):
    coach = factory.user("coach")
    token = register_device(app, coach)
    for _ in range(4):
        assert verify(client, token, WRONG).status_code == 401
    assert verify(client, token, PASSWORD).status_code == 204
    for _ in range(4):
        assert verify(client, token, WRONG).status_code == 401
    assert login(app.test_client(), coach.email, PASSWORD).status_code == 302


def test_the_limit_per_address_applies(app, factory):
    coach = factory.user("coach")
    token = register_device(app, coach)
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    form = {"password": WRONG, "csrf_token": csrf_token(phone)}
    for n in range(20):  # other e-mails from the same address
        form["email"] = f"guess{n}@example.fi"
        assert phone.post("/login", data=form).status_code == 401
    refused = verify(phone, token, PASSWORD)
    assert refused.status_code == 429
    assert events("device_owner_throttled")[0].detail["limit"] == "address"
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert verify(elsewhere, token, PASSWORD).status_code == 204


def test_a_devices_token_checks_only_its_own_users_password(app, client, factory):
    sanna = factory.user("coach")
    other = factory.user("coach", password_hash=generate_password_hash(OTHERS))
    token = register_device(app, sanna)
    # The other coach's password through Sanna's device: wrong, and counted
    # against Sanna's account, not the other's.
    assert verify(client, token, OTHERS).status_code == 401
    assert [a.email for a in attempts()] == [sanna.email]
    assert events("device_owner_failed")[0].user_id == sanna.id
    # Logged in as the other coach in the same browser: the cookie changes nothing.
    assert login(client, other.email, OTHERS).status_code == 302
    assert verify(client, token, OTHERS).status_code == 401
    assert verify(client, token, PASSWORD).status_code == 204
    [event] = events("device_owner_verified")
    assert event.user_id == sanna.id
    assert attempts(email=other.email, succeeded=False) == []


def test_the_cookie_session_alone_or_a_bad_token_gets_401(app, client, factory):
    coach = factory.user("coach")
    token = register_device(app, coach)
    assert login(client, coach.email, PASSWORD).status_code == 302
    for bad in (None, "", "not-a-token", token + "x"):
        response = verify(client, bad, PASSWORD)
        assert response.status_code == 401, bad
        assert "fields" not in response.get_json()["error"], "not a wrong password"
    # Even with the page's CSRF token: the cookie is not a credential here.
    with_csrf = client.post(
        URL, json={"password": PASSWORD}, headers={"X-CSRFToken": csrf_token(client, "/coach")}
    )
    assert with_csrf.status_code == 401
    # An expired or revoked device session.
    db.session.execute(update(Device).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert verify(app.test_client(), token, PASSWORD).status_code == 401
    db.session.execute(update(Device).values(expires_at=utcnow() + timedelta(days=1)))
    db.session.commit()
    logout = app.test_client().post(
        "/api/sync/logout", headers={"Authorization": f"Bearer {token}"}
    )
    assert logout.status_code == 200
    assert verify(app.test_client(), token, PASSWORD).status_code == 401
    # No password was checked: nothing counted, nothing audited as an attempt.
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 1  # the login
    assert events("device_owner_failed") == events("device_owner_verified") == []


def test_an_inactive_users_device_gets_401(app, client, factory):
    coach = factory.user("coach")
    token = register_device(app, coach)
    coach.active = False
    db.session.commit()
    assert verify(client, token, PASSWORD).status_code == 401
    assert attempts(email=coach.email, succeeded=False) == []
