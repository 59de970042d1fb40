"""A representative who is deactivated signs nothing more: deactivation revokes
their keys, and verification requires an active representative."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Organization, User, WebAuthnCredential
from server.signoff.verify import Expected, audit
from tests.support.factories import PASSWORD
from tests.support.signoff import add_key, nonces, push_signoff, scene, signoff_fields, stored
from tests.support.web import csrf_token, login
from tests.support.webauthn import SoftAuthenticator


@pytest.fixture
def s(app, factory):
    return scene(app, factory)


@pytest.fixture
def admin(factory, s):
    return factory.user("admin", organization=db.session.get(Organization, s.rep.organization_id))


def deactivate(client, admin, user):
    login(client, admin.email, PASSWORD)
    token = csrf_token(client, "/admin/users")
    return client.post(f"/admin/users/{user.id}/deactivate", data={"csrf_token": token})


def test_deactivating_a_representative_revokes_every_key(client, app, s, admin):
    spare = add_key(s.rep, SoftAuthenticator(app.config["WEBAUTHN_RP_ID"]), "Varavain")
    assert deactivate(client, admin, s.rep).status_code == 302
    db.session.expire_all()
    keys = db.session.scalars(
        select(WebAuthnCredential).where(WebAuthnCredential.user_id == s.rep.id)
    ).all()
    assert len(keys) == 2
    assert all(k.revoked_at is not None and k.revoked_by_id == admin.id for k in keys)
    audited = db.session.scalars(
        select(AuditEvent.entity_id).where(
            AuditEvent.action == "update",
            AuditEvent.entity_type == "webauthn_credentials",
            AuditEvent.user_id == admin.id,
        )
    ).all()
    assert sorted(audited) == sorted(str(k.id) for k in keys)
    assert spare.id in {k.id for k in keys}


def test_a_signoff_arriving_after_deactivation_fails(client, s, admin):
    device = s.device()
    pool = nonces(device)
    fields = signoff_fields(device, s, pool[0])  # signed on the device before
    assert deactivate(client, admin, s.rep).status_code == 302
    signoff_id, result = push_signoff(device, fields)
    assert result["status"] == "applied"
    signoff = stored(signoff_id)
    assert signoff.verification_status == "failed"
    assert signoff.verification_reason.startswith("credential_revoked")


def test_a_deactivated_representative_fails_even_with_a_key_left_unrevoked(s):
    # As an account deactivated before deactivation revoked keys was left.
    db.session.get(User, s.rep.id).active = False
    db.session.commit()
    device = s.device()
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonces(device)[0]))
    signoff = stored(signoff_id)
    assert (signoff.verification_status, signoff.verification_reason) == (
        "failed",
        "representative_inactive",
    )


def test_a_signoff_verified_before_deactivation_still_verifies_when_checked_again(
    client, app, s, admin
):
    device = s.device()
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonces(device)[0]))
    assert stored(signoff_id).verification_status == "verified"
    assert deactivate(client, admin, s.rep).status_code == 302
    with db.engine.connect() as conn:
        outcome = audit(conn, signoff_id, Expected.from_config(app.config))
    assert outcome.status == "verified", outcome.reason


def test_an_admin_cannot_deactivate_themselves_and_is_told_why(client, admin):
    response = deactivate(client, admin, admin)
    assert response.status_code == 400
    assert "Et voi poistaa omaa käyttäjätunnustasi käytöstä." in response.get_data(as_text=True)
