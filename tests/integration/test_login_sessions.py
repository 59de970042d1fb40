"""Browser logins are rows the server can end (server/auth/logins.py): a copy of
the cookie dies with its login, logins have an absolute lifetime, deactivated
users are out at once, last_seen_at is throttled, old rows are pruned."""

import hashlib
from datetime import timedelta

from sqlalchemy import insert, select, update

from server.auth import logins
from server.extensions import db
from server.models import LoginSession, User, WebAuthnCredential
from server.models.base import as_utc, utcnow
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login
from tests.support.webauthn import SoftAuthenticator, unb64url

COOKIE = "polku_session"


def logged_in(client) -> bool:
    return client.get("/coach").status_code == 200


def cookie_value(client) -> str:
    return client.get_cookie(COOKIE).value


def cookie_session(app, client) -> dict:
    """What the signed cookie holds, as the server reads it."""
    cookie = client.get_cookie(COOKIE)
    if cookie is None:
        return {}
    return dict(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def copy_cookie(app, source, target) -> None:
    """Another browser (or a saved request) with the same cookie value."""
    target.set_cookie(COOKIE, cookie_value(source))


def rows() -> list[LoginSession]:
    db.session.rollback()  # see the requests' commits, not cached objects
    return list(db.session.scalars(select(LoginSession).order_by(LoginSession.id)))


def set_times(login_id: int, **values) -> None:
    db.session.execute(update(LoginSession).where(LoginSession.id == login_id).values(**values))
    db.session.commit()


def logout(client, path="/coach"):
    return client.post("/logout", data={"csrf_token": csrf_token(client, path)})


def test_a_login_is_a_row_and_the_cookie_holds_only_its_token(app, client, factory):
    coach = factory.user("coach")
    client.get("/login", headers={"User-Agent": "Firefox/" + "x" * 400})
    token = csrf_token(client)
    before = utcnow()
    response = client.post(
        "/login",
        data={"email": coach.email, "password": PASSWORD, "csrf_token": token},
        headers={"User-Agent": "Firefox/" + "x" * 400},
    )
    assert response.status_code == 302
    [row] = rows()
    assert row.user_id == coach.id and row.ended_at is None and row.end_reason is None
    assert before <= as_utc(row.created_at) <= utcnow()
    assert as_utc(row.last_seen_at) == as_utc(row.created_at)
    assert row.ip == "127.0.0.1"
    assert row.user_agent.startswith("Firefox/xxx") and len(row.user_agent) == 255
    held = cookie_session(app, client)
    assert set(held) == {"_permanent", "login"}
    # Only the hash is stored: the token itself is nowhere in the table.
    assert row.token_hash == hashlib.sha256(held["login"].encode()).hexdigest()
    assert held["login"] != row.token_hash
    assert logged_in(client)


def test_a_copy_of_the_cookie_is_refused_after_logout(app, client, factory):
    coach = factory.user("coach")
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert login(client, coach.email, PASSWORD).status_code == 302
    old_cookie = cookie_value(client)
    other = app.test_client()
    copy_cookie(app, client, other)
    assert logged_in(other)  # the copy works while the login lasts

    assert logout(client).status_code == 302
    assert not logged_in(client)
    [row] = rows()
    assert row.end_reason == "logout" and row.ended_at is not None

    # The copy, and the old cookie written back (as the response of a request
    # that was in flight during the logout would), are both refused.
    assert other.get("/coach").status_code == 302
    client.set_cookie(COOKIE, old_cookie)
    assert client.get("/app/session.json").get_json()["logged_in"] is False
    # A refused cookie loses the login's keys and keeps the language, and
    # says its login was ended (the app locks on that); the login page it
    # gets has a CSRF token that works.
    assert cookie_session(app, other) == {"lang": "en", "login_ended": True}
    page = other.get("/login").get_data(as_text=True)
    assert "Log in" in page
    assert login(other, coach.email, PASSWORD).status_code == 302
    assert logged_in(other)
    assert [r.end_reason for r in rows()] == ["logout", None]


def test_a_login_ends_at_its_absolute_lifetime_however_recently_used(app, client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    [row] = rows()
    lifetime = app.permanent_session_lifetime
    now = utcnow()
    set_times(row.id, created_at=now - lifetime + timedelta(minutes=1))
    assert logged_in(client)
    set_times(
        row.id,
        created_at=now - lifetime - timedelta(minutes=1),
        last_seen_at=now - timedelta(minutes=1),
    )
    assert not logged_in(client)
    [row] = rows()
    assert row.end_reason == "expired" and row.ended_at is not None
    assert "login" not in cookie_session(app, client)


def test_a_deactivated_user_is_refused_and_their_login_ends(app, client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    db.session.get(User, coach.id).active = False
    db.session.commit()
    assert not logged_in(client)
    [row] = rows()
    assert row.end_reason == "user_deactivated"
    # Active again, the old login stays ended.
    db.session.get(User, coach.id).active = True
    db.session.commit()
    assert not logged_in(client)


def test_deactivating_a_user_ends_all_their_logins_at_once(app, factory):
    org = factory.organization()
    admin, coach = factory.user("admin", org), factory.user("coach", org)
    admin_client, phone, laptop = app.test_client(), app.test_client(), app.test_client()
    for client, user in ((admin_client, admin), (phone, coach), (laptop, coach)):
        assert login(client, user.email, PASSWORD).status_code == 302
    response = admin_client.post(
        f"/admin/users/{coach.id}/deactivate",
        data={"csrf_token": csrf_token(admin_client, "/admin/users")},
    )
    assert response.status_code == 302
    ended = {r.user_id: [] for r in rows()}
    for r in rows():
        ended[r.user_id].append(r.end_reason)
    assert ended == {admin.id: [None], coach.id: ["user_deactivated", "user_deactivated"]}
    assert not logged_in(phone) and not logged_in(laptop)


def test_last_seen_at_is_written_at_most_once_a_minute(app, client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    [row] = rows()
    recent = utcnow() - timedelta(seconds=30)
    set_times(row.id, last_seen_at=recent)
    assert logged_in(client) and logged_in(client)
    [row] = rows()
    assert as_utc(row.last_seen_at) == recent
    a_while_ago = utcnow() - timedelta(seconds=61)
    set_times(row.id, last_seen_at=a_while_ago)
    before = utcnow()
    assert logged_in(client)
    [row] = rows()
    assert before <= as_utc(row.last_seen_at) <= utcnow()
    touched = as_utc(row.last_seen_at)
    assert logged_in(client)
    assert as_utc(rows()[0].last_seen_at) == touched


def test_two_logins_are_two_sessions_and_logging_out_one_leaves_the_other(app, factory):
    coach = factory.user("coach")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, coach.email, PASSWORD)
    login(laptop, coach.email, PASSWORD)
    first, second = rows()
    assert first.user_id == second.user_id == coach.id
    assert first.token_hash != second.token_hash
    logout(phone)
    assert not logged_in(phone)
    assert logged_in(laptop)
    assert [r.end_reason for r in rows()] == ["logout", None]


def test_logging_in_again_in_the_same_browser_ends_the_earlier_login(app, client, factory):
    org = factory.organization()
    coach, supervisor = factory.user("coach", org), factory.user("supervisor", org)
    login(client, coach.email, PASSWORD)
    saved = app.test_client()
    copy_cookie(app, client, saved)
    assert login(client, supervisor.email, PASSWORD).status_code == 302
    assert [(r.user_id, r.end_reason) for r in rows()] == [
        (coach.id, "new_login"),
        (supervisor.id, None),
    ]
    assert not logged_in(saved)
    assert client.get("/review/").status_code == 200


def test_a_cookie_of_the_old_kind_is_not_a_login(app, client, factory):
    coach = factory.user("coach")
    with client.session_transaction() as session:
        session["user_id"] = coach.id
    assert not logged_in(client)
    assert "user_id" not in cookie_session(app, client)


def test_old_rows_are_pruned_when_someone_logs_in(app, client, factory):
    coach = factory.user("coach")
    now = utcnow()
    lifetime = app.permanent_session_lifetime
    keep = logins.RETENTION
    day = timedelta(days=1)
    samples = {
        "ended long ago": (now - keep - day, now - keep - timedelta(minutes=1)),
        "ended lately": (now - keep, now - keep + timedelta(minutes=1)),
        "expired long ago": (now - lifetime - keep - timedelta(minutes=1), None),
        "expired lately": (now - lifetime - keep + timedelta(minutes=1), None),
        "live": (now - timedelta(hours=1), None),
    }
    for label, (created, ended) in samples.items():
        db.session.execute(
            insert(LoginSession).values(
                user_id=coach.id,
                token_hash=hashlib.sha256(label.encode()).hexdigest(),
                created_at=created,
                last_seen_at=created,
                ended_at=ended,
                end_reason="logout" if ended else None,
            )
        )
    db.session.commit()
    assert len(rows()) == 5
    login(client, coach.email, PASSWORD)
    left = {r.token_hash for r in rows()}
    expected = {
        hashlib.sha256(label.encode()).hexdigest()
        for label in ("ended lately", "expired lately", "live")
    }
    assert left - expected == {rows()[-1].token_hash}  # and the new login
    assert expected <= left


def test_a_webauthn_challenge_of_an_ended_login_cannot_be_used(app, client, factory):
    rep = factory.representative(factory.employer())
    key = SoftAuthenticator(app.config["WEBAUTHN_RP_ID"])

    def challenge_and_answer(browser):
        headers = {"X-CSRFToken": csrf_token(browser, "/employer/keys")}
        options = browser.post("/employer/keys/options", json={}, headers=headers).get_json()
        assert "webauthn_registration" in cookie_session(app, browser)
        answer = key.register(unb64url(options["challenge"]), app.config["WEBAUTHN_ORIGIN"])
        return headers, {"label": "Avain", "credential": answer}

    login(client, rep.email, PASSWORD)
    headers, body = challenge_and_answer(client)
    saved = app.test_client()
    copy_cookie(app, client, saved)
    logout(client, "/employer/keys")
    # The saved cookie still holds the challenge (and a valid CSRF token), but
    # its login has ended: the request is not logged in, the challenge dropped.
    response = saved.post("/employer/keys", json=body, headers=headers)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "webauthn_registration" not in cookie_session(app, saved)

    # A challenge does not carry over into the browser's next login either.
    login(client, rep.email, PASSWORD)
    headers, body = challenge_and_answer(client)
    login(client, rep.email, PASSWORD)
    headers = {"X-CSRFToken": csrf_token(client, "/employer/keys")}
    response = client.post("/employer/keys", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"credential": ["no_challenge"]}
    assert db.session.scalar(select(WebAuthnCredential)) is None
