"""Password guessing on /login is throttled per e-mail and per client address."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, update

from server import create_app
from server.auth import views
from server.config import load_config
from server.extensions import db
from server.models import AuditEvent, LoginAttempt
from server.models.base import utcnow
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

WRONG = "not the password"
THROTTLED_FI = "Liian monta epäonnistunutta kirjautumisyritystä."


def fail(client, email: str, times: int) -> None:
    for _ in range(times):
        assert login(client, email, WRONG).status_code == 401


def logged_in(client) -> bool:
    return client.get("/coach").status_code == 200


def set_back(minutes: float, **where) -> None:
    """Move the (matching) attempts `minutes` into the past, as if time had passed."""
    at = utcnow() - timedelta(minutes=minutes)
    query = update(LoginAttempt).values(at=at)
    if where:
        query = query.filter_by(**where)
    db.session.execute(query)
    db.session.commit()


def failures(**where) -> int:
    query = select(func.count()).select_from(LoginAttempt).filter_by(succeeded=False, **where)
    return db.session.scalar(query)


def test_defaults(tmp_path, monkeypatch):
    for name in (
        "POLKU_LOGIN_MAX_FAILURES_ACCOUNT",
        "POLKU_LOGIN_MAX_FAILURES_ADDRESS",
        "POLKU_LOGIN_WINDOW_MINUTES",
        "POLKU_TRUSTED_PROXIES",
    ):
        monkeypatch.delenv(name, raising=False)
    config = load_config(str(tmp_path))
    assert config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 5
    assert config["LOGIN_MAX_FAILURES_PER_ADDRESS"] == 20
    assert config["LOGIN_FAILURE_WINDOW"] == timedelta(minutes=15)
    assert config["TRUSTED_PROXY_COUNT"] == 0


def test_five_wrong_passwords_then_the_right_one_is_refused(client, factory):
    coach = factory.user("coach")
    # The e-mail is counted as typed, whatever its case and spaces.
    fail(client, coach.email, 3)
    fail(client, f"  {coach.email.upper()} ", 2)
    assert failures(email=coach.email) == 5
    response = login(client, coach.email, PASSWORD)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert THROTTLED_FI in html
    assert "Yritä uudelleen noin 15 minuutin kuluttua." in html
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60
    assert not logged_in(client)


def test_the_right_password_works_once_the_window_has_passed(client, factory):
    coach = factory.user("coach")
    fail(client, coach.email, 5)
    # Ten minutes later: still five failures in the window, five minutes to go.
    set_back(10)
    response = login(client, coach.email, PASSWORD)
    assert response.status_code == 429
    assert "noin 5 minuutin kuluttua" in response.get_data(as_text=True)
    # Only the newest failure is recent: four of the five have left the window.
    set_back(16)
    db.session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.id == db.session.scalar(select(func.max(LoginAttempt.id))))
        .values(at=utcnow())
    )
    db.session.commit()
    assert login(client, coach.email, PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_resets_the_accounts_count(client, factory):
    coach = factory.user("coach")
    fail(client, coach.email, 4)
    assert login(client, coach.email, PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/coach")})
    # Eight failures in the window, but only four since the last success.
    fail(client, coach.email, 4)
    assert login(client, coach.email, PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/coach")})
    fail(client, coach.email, 5)
    assert login(client, coach.email, PASSWORD).status_code == 429


def test_the_limit_per_address_spans_e_mails(app, factory):
    coach = factory.user("coach")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for n in range(20):  # each e-mail stays below its own limit
        fail(attacker, f"guess{n % 5}@example.fi", 1)
    assert failures(ip="203.0.113.7") == 20
    # The coach's own account is not locked, but nobody logs in from that address.
    response = login(attacker, coach.email, PASSWORD)
    assert response.status_code == 429
    assert THROTTLED_FI in response.get_data(as_text=True)
    assert not logged_in(attacker)
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert login(colleague, coach.email, PASSWORD).status_code == 302
    event = db.session.scalars(select(AuditEvent).filter_by(action="login_throttled")).one()
    assert event.detail["limit"] == "address"
    assert event.ip == "203.0.113.7"


def _page_without_secrets(response, email: str) -> str:
    html = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_an_unknown_e_mail_is_throttled_identically(app, factory, monkeypatch):
    coach = factory.user("coach")
    checked = []

    def counting_check(pwhash, password):
        checked.append(pwhash)
        return real_check(pwhash, password)

    real_check = views.check_password_hash
    monkeypatch.setattr(views, "check_password_hash", counting_check)
    answers = {}
    for email in (coach.email, "nobody@example.fi"):
        client = app.test_client()
        fail(client, email, 5)
        before = len(checked)
        answers[email] = login(client, email, PASSWORD)
        # Refused without checking any password, real or dummy: no hash to time.
        assert len(checked) == before
    known, unknown = answers[coach.email], answers["nobody@example.fi"]
    assert known.status_code == unknown.status_code == 429
    assert abs(int(known.headers["Retry-After"]) - int(unknown.headers["Retry-After"])) <= 2
    assert _page_without_secrets(known, coach.email) == _page_without_secrets(
        unknown, "nobody@example.fi"
    )
    assert len(checked) == 10  # the ten failures each checked one hash


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Yritä uudelleen noin 15 minuutin kuluttua."),
        ("sv", "För många misslyckade inloggningsförsök. Försök igen om cirka 15 minuter."),
        ("en", "Too many failed login attempts. Try again in about 15 minutes."),
    ],
)
def test_the_refusal_is_in_the_users_language(client, factory, lang, message):
    coach = factory.user("coach")
    client.post("/language", data={"lang": lang, "csrf_token": csrf_token(client)})
    fail(client, coach.email, 5)
    response = login(client, coach.email, PASSWORD)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert message in html


def test_under_a_minute_to_go_is_said_as_a_minute(client, factory):
    coach = factory.user("coach")
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client)})
    fail(client, coach.email, 5)
    set_back(14.5)
    response = login(client, coach.email, PASSWORD)
    assert response.status_code == 429
    assert "Try again in about a minute." in response.get_data(as_text=True)


def test_the_refusal_is_audited_and_not_counted(client, factory):
    coach = factory.user("coach")
    fail(client, coach.email, 5)
    for _ in range(3):
        assert login(client, coach.email, PASSWORD).status_code == 429
    refusals = db.session.scalars(
        select(AuditEvent).filter_by(action="login_throttled").order_by(AuditEvent.id)
    ).all()
    assert len(refusals) == 3
    assert refusals[0].entity_type == "users"
    assert refusals[0].entity_id == str(coach.id)
    assert refusals[0].detail["email"] == coach.email
    assert refusals[0].detail["limit"] == "account"
    assert 0 < refusals[0].detail["retry_after"] <= 15 * 60
    assert db.session.scalars(select(AuditEvent).filter_by(action="login")).all() == []
    # Refusals do not extend the lock: the table still holds the five failures.
    assert failures(email=coach.email) == 5
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 5


def test_attempts_older_than_a_day_are_pruned_as_new_ones_are_written(client, factory):
    coach = factory.user("coach")
    now = utcnow()
    db.session.execute(
        insert(LoginAttempt),
        [
            {"at": now - timedelta(days=3), "email": "old@example.fi", "ip": "192.0.2.1"},
            {"at": now - timedelta(hours=25), "email": coach.email, "ip": "192.0.2.2"},
            {"at": now - timedelta(hours=23), "email": "recent@example.fi", "ip": "192.0.2.3"},
        ],
    )
    db.session.commit()
    fail(client, coach.email, 1)
    left = db.session.scalars(select(LoginAttempt.email).order_by(LoginAttempt.at)).all()
    assert left == ["recent@example.fi", coach.email]
    # A successful login prunes too.
    set_back(60 * 25, email="recent@example.fi")
    assert login(client, coach.email, PASSWORD).status_code == 302
    left = db.session.scalars(select(LoginAttempt.succeeded).order_by(LoginAttempt.at)).all()
    assert left == [False, True]


def test_x_forwarded_for_is_ignored_unless_behind_a_proxy(app, factory):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.5"
    form = {"email": "someone@example.fi", "password": WRONG, "csrf_token": csrf_token(client)}
    spoofed = {"X-Forwarded-For": "192.0.2.99"}
    assert client.post("/login", data=form, headers=spoofed).status_code == 401
    assert failures(ip="10.0.0.5") == 1

    # The same database behind one trusted proxy.
    keep = ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "SECRET_KEY", "TESTING")
    proxied = create_app({**{k: app.config[k] for k in keep}, "TRUSTED_PROXY_COUNT": 1})
    proxied.test_client_class = type(client)
    behind = proxied.test_client()
    behind.environ_base["REMOTE_ADDR"] = "10.0.0.1"  # the proxy
    form["csrf_token"] = csrf_token(behind)
    # The client's own claim (left) is not trusted; the proxy appended the right-most.
    spoofed = {"X-Forwarded-For": "192.0.2.99, 198.51.100.77"}
    assert behind.post("/login", data=form, headers=spoofed).status_code == 401
    assert failures(ip="198.51.100.77") == 1
    assert failures(ip="192.0.2.99") == failures(ip="10.0.0.1") == 0
    # The audit log sees the same client address as the throttle.
    ips = db.session.scalars(
        select(AuditEvent.ip).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id)
    ).all()
    assert ips[-1] == "198.51.100.77"
    with proxied.app_context():
        db.engine.dispose()
