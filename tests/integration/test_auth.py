"""Login, logout, CSRF and session cookie safety."""

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, User
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def test_login_page_is_finnish_by_default(client):
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="fi">' in html
    assert "Kirjaudu sisään" in html


def test_language_switch_to_swedish_and_english(client):
    token = csrf_token(client)
    client.post("/language", data={"lang": "sv", "csrf_token": token, "next": "/login"})
    assert "Logga in" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "csrf_token": token, "next": "/login"})
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_coach_logs_in_and_lands_on_the_app(client, factory):
    coach = factory.user("coach")
    response = login(client, coach.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/app/"
    assert client.get("/coach").status_code == 200  # the server-rendered caseload stays


def test_each_role_has_its_landing_page(client, factory):
    org = factory.organization()
    employer = factory.employer(org)
    users = {
        "/app/": factory.user("coach", org),
        "/review/": factory.user("supervisor", org),
        "/admin/users": factory.user("admin", org),
        "/employer": factory.representative(employer),
    }
    for landing, user in users.items():
        client.get("/login")
        response = login(client, user.email, PASSWORD)
        assert response.status_code == 302, (user.role, response.status_code)
        assert response.headers["Location"] == landing, user.role
        assert client.get(landing).status_code == 200
        client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})


def test_wrong_password_is_refused_and_audited(client, factory, app):
    coach = factory.user("coach")
    response = login(client, coach.email, "wrong password!")
    assert response.status_code == 401
    assert "Sähköposti tai salasana on väärin" in response.get_data(as_text=True)
    assert client.get("/coach").status_code == 302
    failed = db.session.scalars(select(AuditEvent).filter_by(action="login_failed")).one()
    assert failed.entity_id == str(coach.id)


def test_unknown_email_gives_the_same_answer(client, factory):
    response = login(client, "nobody@example.fi", PASSWORD)
    assert response.status_code == 401
    assert "Sähköposti tai salasana on väärin" in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in_and_loses_session(client, factory, app):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    assert client.get("/coach").status_code == 200
    db.session.get(User, coach.id).active = False
    db.session.commit()
    assert client.get("/coach").status_code == 302
    assert login(client, coach.email, PASSWORD).status_code == 401


def test_login_without_csrf_token_is_refused(client, factory):
    coach = factory.user("coach")
    response = client.post("/login", data={"email": coach.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/coach").status_code == 302


def test_logout_needs_csrf_and_ends_the_session(client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    assert client.post("/logout").status_code == 400  # no token: still logged in
    assert client.get("/coach").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/coach")})
    assert response.status_code == 302
    assert client.get("/coach").status_code == 302
    logouts = select(AuditEvent).filter_by(action="logout", entity_id=str(coach.id))
    assert len(db.session.scalars(logouts).all()) == 1


def test_next_parameter_cannot_redirect_off_site(client, factory):
    coach = factory.user("coach")
    token = csrf_token(client)
    for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post(
            "/login",
            data={"email": coach.email, "password": PASSWORD, "csrf_token": token, "next": evil},
        )
        assert response.headers["Location"] == "/app/", evil
        token = csrf_token(client)


def test_session_cookie_flags(app, client, factory):
    app.config["SESSION_COOKIE_SECURE"] = True
    coach = factory.user("coach")
    response = login(client, coach.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie


def test_security_headers(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
