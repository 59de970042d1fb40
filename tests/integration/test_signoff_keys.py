"""Representatives register security keys online (WebAuthn registration verified
with py_webauthn); representatives and administrators revoke them. The
browser-side ceremony is in tests/e2e/test_signoff_browser.py."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import WebAuthnCredential
from tests.support.factories import PASSWORD
from tests.support.signoff import add_key
from tests.support.web import csrf_token, login
from tests.support.webauthn import SoftAuthenticator, unb64url


@pytest.fixture
def rep(factory):
    return factory.representative(factory.employer(name="Konehuolto Salo Oy"), name="Tiina Salo")


def logged_in(client, user):
    assert login(client, user.email, PASSWORD).status_code == 302
    return {"X-CSRFToken": csrf_token(client, "/login")}


def options(client, headers, kind="security_key"):
    response = client.post("/employer/keys/options", json={"kind": kind}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def finish(client, headers, credential, label="Sininen avain"):
    return client.post(
        "/employer/keys", json={"label": label, "credential": credential}, headers=headers
    )


def test_a_representative_registers_a_security_key(app, client, rep):
    headers = logged_in(client, rep)
    page = client.get("/employer/keys").get_data(as_text=True)
    assert "Rekisteröi turva-avain (suositus)" in page
    assert "js/signoff/register-key.js" in page and "<script>" not in page
    opts = options(client, headers)
    assert opts["rp"]["id"] == app.config["WEBAUTHN_RP_ID"]
    assert opts["user"]["name"] == rep.email and opts["user"]["displayName"] == "Tiina Salo"
    assert opts["authenticatorSelection"] == {
        "authenticatorAttachment": "cross-platform",
        "residentKey": "discouraged",
        "requireResidentKey": False,
        "userVerification": "required",
    }
    assert opts["hints"] == ["security-key"]
    key = SoftAuthenticator(app.config["WEBAUTHN_RP_ID"])
    response = finish(
        client, headers, key.register(unb64url(opts["challenge"]), app.config["WEBAUTHN_ORIGIN"])
    )
    assert response.status_code == 201, response.get_json()
    stored = db.session.scalar(select(WebAuthnCredential))
    assert stored.credential_id == key.id and stored.user_id == rep.id
    assert stored.public_key == key.cose_public_key()
    assert stored.transports == ["usb", "nfc"] and stored.attachment == "cross-platform"
    assert stored.aaguid == "00000000-0000-0000-0000-000000000000"
    assert stored.user_handle == opts["user"]["id"]
    assert (stored.backup_eligible, stored.backed_up, stored.label) == (
        False,
        False,
        "Sininen avain",
    )
    assert "Sininen avain" in client.get("/employer/keys").get_data(as_text=True)


def test_a_second_key_excludes_the_first_and_keeps_the_user_handle(app, client, rep):
    headers = logged_in(client, rep)
    first = options(client, headers)
    key = SoftAuthenticator()
    finish(
        client, headers, key.register(unb64url(first["challenge"]), app.config["WEBAUTHN_ORIGIN"])
    )
    second = options(client, headers, kind="passkey")
    assert second["excludeCredentials"] == [{"type": "public-key", "id": key.id}]
    assert second["user"]["id"] == first["user"]["id"]
    assert second["authenticatorSelection"]["authenticatorAttachment"] == "platform"
    phone = SoftAuthenticator()
    answer = phone.register(unb64url(second["challenge"]), app.config["WEBAUTHN_ORIGIN"])
    assert finish(client, headers, answer, label="Puhelin").status_code == 201
    assert len(db.session.scalars(select(WebAuthnCredential)).all()) == 2


def test_the_challenge_is_used_once(app, client, rep):
    headers = logged_in(client, rep)
    opts = options(client, headers)
    answer = SoftAuthenticator().register(
        unb64url(opts["challenge"]), app.config["WEBAUTHN_ORIGIN"]
    )
    assert finish(client, headers, answer).status_code == 201
    again = finish(client, headers, answer)
    assert again.status_code == 422
    assert again.get_json()["error"]["fields"] == {"credential": ["no_challenge"]}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"user_verified": False}, "not_verified"),
        ({"origin": "http://localhost:8666"}, "not_verified"),
        ({"rp_id": "evil.example"}, "not_verified"),
        ({"challenge": b"\x00" * 32}, "not_verified"),
    ],
)
def test_a_registration_that_does_not_verify_is_refused(app, client, rep, change, code):
    headers = logged_in(client, rep)
    opts = options(client, headers)
    answer = SoftAuthenticator().register(
        change.get("challenge", unb64url(opts["challenge"])),
        change.get("origin", app.config["WEBAUTHN_ORIGIN"]),
        user_verified=change.get("user_verified", True),
        rp_id=change.get("rp_id"),
    )
    response = finish(client, headers, answer)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"credential": [code]}
    assert db.session.scalar(select(WebAuthnCredential)) is None


def test_a_key_registered_to_someone_else_is_refused(app, client, rep, factory):
    key = SoftAuthenticator()
    add_key(factory.representative(factory.employer()), key)
    headers = logged_in(client, rep)
    opts = options(client, headers)
    response = finish(
        client, headers, key.register(unb64url(opts["challenge"]), app.config["WEBAUTHN_ORIGIN"])
    )
    assert response.get_json()["error"]["fields"] == {"credential": ["already_registered"]}


def test_a_key_needs_a_name_and_the_csrf_header(app, client, rep):
    headers = logged_in(client, rep)
    opts = options(client, headers)
    answer = SoftAuthenticator().register(
        unb64url(opts["challenge"]), app.config["WEBAUTHN_ORIGIN"]
    )
    assert finish(client, headers, answer, label="  ").status_code == 422
    assert client.post("/employer/keys/options", json={}).status_code == 400


def test_only_representatives_register_keys(client, factory):
    logged_in(client, factory.user("coach"))
    assert client.get("/employer/keys").status_code == 403
    assert client.post("/employer/keys/options", json={}).status_code in (400, 403)


def test_a_representative_revokes_their_own_key_only(client, rep, factory):
    mine, other = SoftAuthenticator(), SoftAuthenticator()
    add_key(rep, mine)
    theirs = add_key(factory.representative(factory.employer()), other)
    headers = logged_in(client, rep)
    key = db.session.scalar(
        select(WebAuthnCredential).where(WebAuthnCredential.credential_id == mine.id)
    )
    token = {"csrf_token": headers["X-CSRFToken"]}
    assert client.post(f"/employer/keys/{theirs.id}/revoke", data=token).status_code == 404
    response = client.post(f"/employer/keys/{key.id}/revoke", data=token)
    assert response.status_code == 302
    db.session.expire_all()
    assert key.revoked_at is not None and key.revoked_by_id == rep.id
    assert db.session.get(WebAuthnCredential, theirs.id).revoked_at is None
    assert "Peruttu" in client.get("/employer/keys").get_data(as_text=True)


def test_an_admin_lists_and_revokes_keys_of_their_organization(client, factory):
    org = factory.organization()
    admin = factory.user("admin", organization=org)
    employer = factory.employer(org, name="Puutarha Mäkelä Oy")
    key = add_key(factory.representative(employer, name="Jari Mäkelä"), SoftAuthenticator())
    foreign = add_key(factory.representative(factory.employer()), SoftAuthenticator())
    headers = logged_in(client, admin)
    page = client.get("/admin/keys").get_data(as_text=True)
    assert "Jari Mäkelä" in page and "Puutarha Mäkelä Oy" in page and "YubiKey" in page
    token = {"csrf_token": headers["X-CSRFToken"]}
    assert client.post(f"/admin/keys/{foreign.id}/revoke", data=token).status_code == 404
    assert client.post(f"/admin/keys/{key.id}/revoke", data=token).status_code == 302
    db.session.expire_all()
    assert db.session.get(WebAuthnCredential, key.id).revoked_by_id == admin.id
    assert db.session.get(WebAuthnCredential, foreign.id).revoked_at is None


def test_only_admins_see_all_keys(client, rep):
    logged_in(client, rep)
    assert client.get("/admin/keys").status_code == 403
