"""`flask verify-signoff`: re-verifies stored sign-offs from the database alone."""

import pytest
from sqlalchemy import update

from server.extensions import db
from server.models import SignOff, WebAuthnCredential
from server.models.base import utcnow
from tests.support.signoff import nonces, push_signoff, scene, signoff_fields, stored


@pytest.fixture
def s(app, factory):
    return scene(app, factory)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["verify-signoff", *args])


def signed(s, **assertion):
    device = s.device()
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonces(device)[0], **assertion))
    return signoff_id


def test_a_genuine_signoff_verifies_again(app, s):
    signoff_id = signed(s)
    # Revoking the key later does not undo a signature made while it was valid.
    db.session.execute(update(WebAuthnCredential).values(revoked_at=utcnow()))
    db.session.commit()
    result = run(app, signoff_id)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{signoff_id}: verified",
        "1 checked, 1 verified, 0 failed",
    ]


def test_a_tampered_signature_fails_with_its_reason(app, s):
    signoff_id = signed(s)
    signature = stored(signoff_id).signature
    db.session.execute(
        update(SignOff)
        .where(SignOff.id == signoff_id)
        .values(signature=signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB"))
    )
    db.session.commit()
    result = run(app, signoff_id)
    assert result.exit_code == 1
    assert f"{signoff_id}: failed: invalid_signature" in result.output
    assert "[stored: verified]" in result.output


def test_content_changed_behind_the_signature_fails(app, s):
    signoff_id = signed(s)
    s.demo.recommendation = "Muutettu jälkikäteen palvelimella."
    db.session.commit()
    result = run(app, signoff_id)
    assert result.exit_code == 1
    assert "content_mismatch (the signed content does not match the demonstration" in result.output


def test_all_reports_each_and_fails_if_any_fails(app, s):
    good = signed(s)
    bad = signed(s, user_verified=False)
    assert stored(bad).verification_reason == "no_user_verification"
    result = run(app, "--all")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{good}: verified" in lines
    assert any(line.startswith(f"{bad}: failed: no_user_verification") for line in lines)
    assert lines[-1] == "2 checked, 1 verified, 1 failed"


def test_a_signoff_never_verified_on_arrival_fails(app, s, factory):
    made = factory.signoff(s.demo, status="verified")
    result = run(app, made.id)
    assert result.exit_code == 1
    assert "unknown_nonce" in result.output


def test_usage(app):
    assert run(app, "no-such-id").exit_code == 2
    assert run(app).exit_code == 2
