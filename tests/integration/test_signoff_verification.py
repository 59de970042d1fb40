"""A sign-off arriving by sync is verified by the server (issue 5): genuine ones
verify and sign the demonstration; each kind of tampering or replay fails with
its reason. Assertions come from a software authenticator with real keys
(tests/support/webauthn.py); the browser tests repeat the main paths with
Chromium's virtual authenticator."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from server.extensions import db
from server.models import (
    AuditEvent,
    Conflict,
    Organization,
    SignoffNonce,
    WebAuthnCredential,
    WorkDemonstration,
)
from server.models.base import utcnow
from server.signoff.reasons import reason_label
from server.signoff.verify import REASONS
from tests.support.signoff import (
    add_key,
    content_on_device,
    nonces,
    person_of,
    push_signoff,
    scene,
    signoff_fields,
    stored,
)
from tests.support.webauthn import SoftAuthenticator


@pytest.fixture
def s(app, factory):
    return scene(app, factory)


def demo_status(demo_id: str) -> str:
    db.session.expire_all()
    return db.session.get(WorkDemonstration, demo_id).status


def test_a_genuine_signoff_verifies_and_signs_the_demonstration(s):
    device = s.device()
    nonce = nonces(device)[0]
    signoff_id, result = push_signoff(device, signoff_fields(device, s, nonce))
    assert result["status"] == "applied"
    signoff = stored(signoff_id)
    assert (signoff.verification_status, signoff.verification_reason) == ("verified", None)
    assert signoff.verified_at is not None
    assert demo_status(s.demo.id) == "signed"
    used = db.session.get(SignoffNonce, nonce)
    assert used.used_by_signoff_id == signoff_id and used.used_at is not None
    key = db.session.scalar(select(WebAuthnCredential))
    assert key.sign_count == 1 and key.last_used_at is not None
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "verify", AuditEvent.entity_id == signoff_id)
    ).detail == {"status": "verified", "reason": None}
    # The device hears of both by pulling.
    device.pull()
    assert device.record("signoff", signoff_id)["verification_status"] == "verified"
    assert device.record("work_demonstration", s.demo.id)["status"] == "signed"


def test_a_demonstration_made_offline_and_signed_in_the_same_push_verifies(s, factory):
    device = s.device()
    nonce = nonces(device)[0]
    demo_id = device.upsert(
        "work_demonstration",
        participant_id=s.participant.id,
        employer_id=s.employer.id,
        title="Työnäyttö: myymälä",
        demonstration_date="2026-11-02",
        overall_result="partly_passed",
    )
    device.upsert("demonstration_task", demonstration_id=demo_id, position=0, task="Kassatyö")
    fields = signoff_fields(device, s, nonce, demo_id=demo_id)
    signoff_id, result = push_signoff(device, fields)
    assert result["status"] == "applied"
    assert stored(signoff_id).verification_status == "verified"
    assert demo_status(demo_id) == "signed"


def test_content_that_does_not_match_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    signed_content = content_on_device(device, s.demo.id)
    # Meanwhile the supervisor changed the recommendation on the server.
    s.demo.recommendation = "Suosittelemme jatkoa työkokeiluna."
    db.session.commit()
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonce, content=signed_content))
    signoff = stored(signoff_id)
    assert signoff.verification_status == "failed"
    assert signoff.verification_reason.startswith("content_mismatch")
    assert demo_status(s.demo.id) != "signed"
    # The signed content stays on the record for anyone to compare.
    assert signoff.signed_content == signed_content.decode()


def test_signed_content_altered_after_signing_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    fields = signoff_fields(device, s, nonce)
    fields["signed_content"] = fields["signed_content"].replace("partly_met", "met")
    signoff_id, _ = push_signoff(device, fields)
    assert stored(signoff_id).verification_reason == (
        "content_mismatch: content_sha256 is not the hash of the signed content"
    )


def test_a_signature_over_other_content_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    fields = signoff_fields(device, s, nonce)
    other = signoff_fields(device, s, nonce, content=b"{}")
    fields.update({k: other[k] for k in ("authenticator_data", "client_data_json", "signature")})
    signoff_id, _ = push_signoff(device, fields)
    assert stored(signoff_id).verification_reason == "challenge_mismatch"


def test_a_forged_signature_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    forger = SoftAuthenticator()
    forger.credential_id = s.key.credential_id  # claims the representative's key id
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonce, key=forger))
    assert stored(signoff_id).verification_reason.startswith("invalid_signature")


def test_a_nonce_issued_to_another_device_fails(s):
    phone, tablet = s.device(), s.device()
    nonce = nonces(phone)[0]
    signoff_id, _ = push_signoff(tablet, signoff_fields(tablet, s, nonce))
    assert stored(signoff_id).verification_reason == "nonce_not_issued_to_device"
    # ... and the nonce stays usable by the device it was issued to.
    second, _ = push_signoff(phone, signoff_fields(phone, s, nonce))
    assert stored(second).verification_status == "verified"


def test_a_nonce_already_used_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    first, _ = push_signoff(device, signoff_fields(device, s, nonce))
    # A second, genuinely signed sign-off with the same nonce: a replay.
    second, _ = push_signoff(device, signoff_fields(device, s, nonce))
    assert stored(first).verification_status == "verified"
    assert stored(second).verification_reason == "nonce_already_used"


def test_an_unknown_or_expired_nonce_fails(s):
    device = s.device()
    pool = nonces(device, 2)
    db.session.execute(
        update(SignoffNonce)
        .where(SignoffNonce.nonce == pool[0])
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    expired, _ = push_signoff(device, signoff_fields(device, s, pool[0]))
    unknown, _ = push_signoff(device, signoff_fields(device, s, "ab" * 32))
    assert stored(expired).verification_reason.startswith("nonce_expired")
    assert stored(unknown).verification_reason == "unknown_nonce"


def test_a_key_of_another_representative_of_the_same_employer_fails(s, factory):
    colleague = factory.representative(s.employer, name="Eeva Mäkelä")
    colleague_key = SoftAuthenticator()
    add_key(colleague, colleague_key)
    device = s.device()
    nonce = nonces(device)[0]
    # Named: Jari. Signed with: Eeva's key.
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonce, key=colleague_key))
    assert stored(signoff_id).verification_reason == "credential_not_of_representative"


def test_a_representative_of_another_employer_fails(s, factory):
    other = factory.employer(db.session.get(Organization, s.coach.organization_id))
    stranger = factory.representative(other, name="Olli Muu")
    stranger_key = SoftAuthenticator()
    add_key(stranger, stranger_key)
    device = s.device()
    nonce = nonces(device)[0]
    fields = signoff_fields(
        device, s, nonce, key=stranger_key, representative_id=person_of(stranger, other).id
    )
    signoff_id, result = push_signoff(device, fields)
    assert result["status"] == "applied"
    assert stored(signoff_id).verification_reason == "credential_not_of_representative"


def test_an_unregistered_or_revoked_key_fails(s):
    device = s.device()
    pool = nonces(device, 2)
    unknown, _ = push_signoff(device, signoff_fields(device, s, pool[0], key=SoftAuthenticator()))
    db.session.execute(update(WebAuthnCredential).values(revoked_at=utcnow()))
    db.session.commit()
    revoked, _ = push_signoff(device, signoff_fields(device, s, pool[1]))
    assert stored(unknown).verification_reason == "unknown_credential"
    assert stored(revoked).verification_reason.startswith("credential_revoked")


def test_no_user_verification_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonce, user_verified=False))
    assert stored(signoff_id).verification_reason == "no_user_verification"
    assert demo_status(s.demo.id) != "signed"


def test_no_user_presence_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonce, user_present=False))
    assert stored(signoff_id).verification_reason == "no_user_presence"


def test_a_wrong_origin_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    fields = signoff_fields(device, s, nonce, origin="http://localhost:8666")
    signoff_id, _ = push_signoff(device, fields)
    assert stored(signoff_id).verification_reason == "wrong_origin: http://localhost:8666"


def test_a_wrong_relying_party_fails(s):
    device = s.device()
    nonce = nonces(device)[0]
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonce, rp_id="evil.example"))
    assert stored(signoff_id).verification_reason == "wrong_rp_id"


def test_registration_data_is_not_a_signature(s):
    device = s.device()
    nonce = nonces(device)[0]
    fields = signoff_fields(device, s, nonce, kind="webauthn.create")
    signoff_id, _ = push_signoff(device, fields)
    assert stored(signoff_id).verification_reason.startswith("malformed_assertion")


def test_counters_uploaded_out_of_order_still_verify(s, factory):
    second_demo = factory.demonstration(s.participant, s.employer, title="Toinen näyttö")
    phone, tablet = s.device(), s.device()
    early = signoff_fields(tablet, s, nonces(tablet)[0], count=3)
    late = signoff_fields(phone, s, nonces(phone)[0], demo_id=second_demo.id, count=7)
    # The later signature (counter 7) syncs first; the earlier one (3) after it.
    later_id, _ = push_signoff(phone, late)
    earlier_id, _ = push_signoff(tablet, early)
    assert stored(later_id).verification_status == "verified"
    assert stored(earlier_id).verification_status == "verified"
    db.session.expire_all()
    assert db.session.scalar(select(WebAuthnCredential.sign_count)) == 7


def test_an_edit_after_signing_needs_a_new_signoff_and_keeps_the_old(s):
    device = s.device()
    signoff_id, _ = push_signoff(device, signoff_fields(device, s, nonces(device)[0]))
    device.pull()
    signed = stored(signoff_id).signed_content
    assert demo_status(s.demo.id) == "signed"
    device.upsert("work_demonstration", s.demo.id, overall_result="not_passed")
    [result] = device.push()
    assert result["status"] == "conflict"
    assert demo_status(s.demo.id) == "needs_new_signoff"
    # Nothing signed was overwritten: the old value, signature and content stay.
    db.session.expire_all()
    assert db.session.get(WorkDemonstration, s.demo.id).overall_result == "passed"
    signoff = stored(signoff_id)
    assert signoff.verification_status == "verified"
    assert signoff.signed_content == signed
    conflict = db.session.scalar(select(Conflict).where(Conflict.record_id == s.demo.id))
    assert conflict.kind == "signed"
    assert [v["value"] for v in conflict.values] == ["passed", "not_passed"]
    device.pull()
    assert device.record("work_demonstration", s.demo.id)["status"] == "needs_new_signoff"


def test_a_replayed_push_changes_nothing(s):
    device = s.device()
    nonce = nonces(device)[0]
    device.upsert("signoff", **signoff_fields(device, s, nonce))
    batch = list(device.outbox)
    device.push()
    device.outbox = batch
    [again] = device.push()
    assert again["status"] == "duplicate"
    db.session.expire_all()
    assert db.session.get(SignoffNonce, nonce).used_by_signoff_id == batch[0]["record_id"]
    assert stored(batch[0]["record_id"]).verification_status == "verified"


def test_every_reason_is_translated(app):
    for code in REASONS:
        for language in ("fi", "sv", "en"):
            label = reason_label(f"{code}: detail", language)
            assert label and label != code, (code, language)
    assert reason_label(None) == ""
    assert reason_label("something_else") == "something_else"


@pytest.mark.parametrize("db_backend", ["postgresql"])
def test_one_nonce_in_two_concurrent_pushes_signs_once(s, app):
    """Two pushes from the same device race with one nonce (say, two tabs):
    the nonce's row lock makes exactly one of them take it."""
    device = s.device()
    nonce = nonces(device)[0]
    batches = []
    for _ in range(2):
        device.upsert("signoff", **signoff_fields(device, s, nonce))
        batches.append(device.outbox.pop())
    start = threading.Barrier(2)
    results = {}

    def slow_take(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE SIGNOFF_NONCES"):
            time.sleep(0.2)  # hold the row lock a while before committing

    def push(mutation):
        client = app.test_client()
        start.wait()
        response = client.post(
            "/api/sync/push", json={"mutations": [mutation]}, headers=device.auth
        )
        results[mutation["record_id"]] = response.get_json()["results"][0]["status"]

    event.listen(db.engine, "after_cursor_execute", slow_take)
    try:
        threads = [threading.Thread(target=push, args=(m,)) for m in batches]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        event.remove(db.engine, "after_cursor_execute", slow_take)
    assert set(results.values()) == {"applied"}
    verdicts = sorted(
        (stored(m["record_id"]).verification_status, stored(m["record_id"]).verification_reason)
        for m in batches
    )
    assert verdicts == [("failed", "nonce_already_used"), ("verified", None)]
