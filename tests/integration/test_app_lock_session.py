"""What /app/session.json tells the app lock (pwa/js/lock-gate.js): the
login's id, larger for a later login; whether this browser's login was ended
on the server (a logout on any page, deactivation, a device cut off), which
locks the app, unlike a login that merely expired; and the idle time."""

from datetime import timedelta

from sqlalchemy import update

from server.extensions import db
from server.models import LoginSession
from server.models.base import utcnow
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def session_of(client) -> dict:
    return client.get("/app/session.json").get_json()


def test_a_logout_on_a_server_page_is_told_until_the_next_login(app, client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    first = session_of(client)
    assert isinstance(first["login"], int) and first["ended"] is False
    client.post("/logout", data={"csrf_token": csrf_token(client, "/vouchers/")})
    for _ in range(2):  # not only once: the app may be closed meanwhile
        assert session_of(client) | {"csrf_token": None} == {
            "logged_in": False,
            "user": None,
            "csrf_token": None,
            "login": None,
            "ended": True,
            "lock_idle_minutes": 15,
        }
    login(client, coach.email, PASSWORD)
    again = session_of(client)
    assert again["ended"] is False and again["login"] > first["login"]


def test_a_login_ended_elsewhere_is_told_an_expired_one_is_not(app, client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    db.session.execute(update(LoginSession).values(ended_at=utcnow(), end_reason="device_revoked"))
    db.session.commit()
    assert session_of(client)["ended"] is True

    other = app.test_client()
    login(other, coach.email, PASSWORD)
    lifetime = app.permanent_session_lifetime
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.ended_at.is_(None))
        .values(created_at=utcnow() - lifetime - timedelta(minutes=1))
    )
    db.session.commit()
    assert session_of(other)["logged_in"] is False
    assert session_of(other)["ended"] is False


def test_the_idle_time_is_configured(app, client):
    app.config["APP_LOCK_IDLE_MINUTES"] = 5
    assert session_of(client)["lock_idle_minutes"] == 5
