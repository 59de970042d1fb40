"""Employer sign-off with real WebAuthn in Chromium (virtual authenticator via
the DevTools protocol): a representative registers a security key online; on
the coach's device, offline, the app computes the challenge with
pwa/js/signoff/ and the key signs it; back online the sign-off is pushed as a
`signoff` record and the server verifies it. Then the rejections a browser
can produce for real. (Here a page drives the sign-off modules directly; the
app's hand-over screen around them is tested in test_pwa_signoff.py.)"""

import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import (
    SignOff,
    WebAuthnCredential,
    WorkDemonstration,
)
from tests.support.browser import LiveServer
from tests.support.browser_signoff import VirtualKey, log_in, log_out, register_key
from tests.support.signoff import scene

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


@pytest.fixture
def server(app, live_server):
    # The app's origin is the live server's: what WebAuthn binds signatures to.
    app.config["WEBAUTHN_ORIGIN"] = live_server.url
    return live_server


@pytest.fixture
def world(app, factory):
    return scene(app, factory, with_key=False)


# The coach's device, as the app will run it: a device session (D1), then with
# the bearer token the signers, the nonce pool and the records (pull), kept in
# the page (the app keeps them in IndexedDB).
PREPARE = """async ({deviceId}) => {
  const input = document.querySelector('input[name=csrf_token]');
  const csrf = input ? input.value : (await (await fetch('/app/session.json')).json()).csrf_token;
  const session = await (await fetch('/api/sync/devices', {
    method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
    body: JSON.stringify({device_id: deviceId, label: 'Työpaikan tabletti'})})).json();
  const api = await import('/app/js/signoff/api.js');
  const assertion = await import('/app/js/signoff/assertion.js');
  const request = (path, init = {}) => fetch(path, {...init,
    headers: {...(init.headers || {}), Authorization: `Bearer ${session.token}`}});
  const signers = await api.fetchSigners(request);
  const pool = await api.topUpNonces(request, 5);
  const records = {};
  let cursor = null, more = true;
  while (more) {
    const query = cursor ? `?cursor=${cursor}` : '';
    const page = await (await request('/api/sync/pull' + query)).json();
    for (const c of page.changes) {
      const key = `${c.record_type}:${c.record_id}`;
      records[key] = {...c.fields, id: c.record_id, deleted: c.deleted};
    }
    cursor = page.cursor; more = page.more;
  }
  window.polku = {deviceId, token: session.token, api, assertion, request, signers, pool, records,
                  outbox: [], used: new Set()};
  return {signers: signers.map((s) => [s.name, s.credentials.length]), pool: pool.length};
}"""

# Offline: the representative picks their name, the key signs, the record goes to the outbox.
SIGN = """async ({demoId, signerName, userVerification, nonce}) => {
  const p = window.polku;
  const all = Object.values(p.records);
  const demonstration = p.records[`work_demonstration:${demoId}`];
  const records = {
    demonstration,
    tasks: all.filter((r) => r.demonstration_id === demoId && 'task' in r),
    participant: p.records[`participant:${demonstration.participant_id}`],
    employer: p.records[`employer:${demonstration.employer_id}`],
  };
  const signer = p.signers.find((s) => s.name === signerName);
  const chosen = nonce || p.api.pickNonce(p.pool, {used: p.used}).nonce;
  p.used.add(chosen);
  const fields = await p.assertion.signDemonstration(
    {records, signer, nonce: chosen, userVerification});
  const id = crypto.randomUUID();
  p.outbox.push({mutation_id: crypto.randomUUID(), record_type: 'signoff', record_id: id,
    op: 'upsert', fields, stamp: `${String(Date.now()).padStart(13, '0')}-00000-${p.deviceId}`,
    base_version: 0});
  return {id, nonce: chosen, online: navigator.onLine};
}"""

PUSH = """async () => {
  const p = window.polku;
  const response = await p.request('/api/sync/push', {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({mutations: p.outbox})});
  p.outbox = [];
  return (await response.json()).results.map((r) => r.status);
}"""


def prepare_device(page: Page, base: str, coach) -> dict:
    # A plain server page, not the app: its service worker would sync on its own.
    log_in(page, base, coach.email, next_page="/coach")
    return page.evaluate(PREPARE, {"deviceId": str(uuid.uuid4())})


def sign(page: Page, world, signer="Jari Mäkelä", user_verification=None, nonce=None) -> dict:
    return page.evaluate(
        SIGN,
        {
            "demoId": world.demo.id,
            "signerName": signer,
            "userVerification": user_verification,
            "nonce": nonce,
        },
    )


def not_arrived(signoff_id: str) -> bool:
    db.session.expire_all()
    return db.session.get(SignOff, signoff_id) is None


def verdict(signoff_id: str) -> tuple[str, str | None]:
    db.session.expire_all()
    signoff = db.session.get(SignOff, signoff_id)
    return signoff.verification_status, signoff.verification_reason


def test_a_representative_registers_a_security_key(page: Page, server, world):
    VirtualKey(page)
    register_key(page, server.url, world.rep, "Sininen YubiKey")
    key = db.session.scalar(select(WebAuthnCredential))
    assert key.user_id == world.rep.id and key.label == "Sininen YubiKey"
    assert key.attachment == "cross-platform" and "usb" in key.transports
    assert key.public_key and key.user_handle


def test_signed_offline_on_a_shared_device_verified_after_sync(page: Page, server, world):
    VirtualKey(page)
    register_key(page, server.url, world.rep, "Sininen YubiKey")
    ready = prepare_device(page, server.url, world.coach)
    assert ready == {"signers": [["Eeva Mäkelä", 0], ["Jari Mäkelä", 1]], "pool": 5}

    page.context.set_offline(True)
    signed = sign(page, world)
    assert signed["online"] is False
    assert not_arrived(signed["id"])
    page.context.set_offline(False)

    assert page.evaluate(PUSH) == ["applied"]
    assert verdict(signed["id"]) == ("verified", None)
    db.session.expire_all()
    assert db.session.get(WorkDemonstration, world.demo.id).status == "signed"
    # The supervisor sees it verified.
    log_out(page)
    log_in(page, server.url, world.supervisor.email)
    page.goto(f"{server.url}/review/periods/{world.period.id}")
    expect(page.get_by_text("Allekirjoitus vahvistettu").first).to_be_visible()


def test_without_user_verification_the_signoff_fails(page: Page, server, world):
    key = VirtualKey(page)
    register_key(page, server.url, world.rep, "Avain")
    prepare_device(page, server.url, world.coach)
    # A client that did not insist on the PIN, and a key that did not ask for it.
    key.user_verified(False)
    signed = sign(page, world, user_verification="discouraged")
    assert page.evaluate(PUSH) == ["applied"]
    assert verdict(signed["id"]) == ("failed", "no_user_verification")


def test_a_signature_made_on_another_origin_fails(page: Page, app, server, world):
    VirtualKey(page)
    register_key(page, server.url, world.rep, "Avain")
    # The same relying party (localhost) on another port: a look-alike app.
    other = LiveServer(app).start()
    try:
        prepare_device(page, other.url, world.coach)
        signed = sign(page, world)
        assert page.evaluate(PUSH) == ["applied"]
    finally:
        other.stop()
    assert verdict(signed["id"]) == ("failed", f"wrong_origin: {other.url}")


def test_content_changed_before_the_signoff_arrives_fails(page: Page, server, world):
    VirtualKey(page)
    register_key(page, server.url, world.rep, "Avain")
    prepare_device(page, server.url, world.coach)
    signed = sign(page, world)
    demo = db.session.get(WorkDemonstration, world.demo.id)
    demo.overall_result = "partly_passed"  # changed on the server meanwhile
    db.session.commit()
    assert page.evaluate(PUSH) == ["applied"]
    status, reason = verdict(signed["id"])
    assert (status, reason.split(":")[0]) == ("failed", "content_mismatch")


def test_a_replayed_nonce_fails(page: Page, server, world):
    VirtualKey(page)
    register_key(page, server.url, world.rep, "Avain")
    prepare_device(page, server.url, world.coach)
    first = sign(page, world)
    second = sign(page, world, nonce=first["nonce"])
    assert page.evaluate(PUSH) == ["applied", "applied"]
    assert verdict(first["id"]) == ("verified", None)
    assert verdict(second["id"]) == ("failed", "nonce_already_used")


def test_a_nonce_of_another_device_fails(page: Page, server, world):
    VirtualKey(page)
    register_key(page, server.url, world.rep, "Avain")
    phone_pool = prepare_device(page, server.url, world.coach)
    assert phone_pool["pool"] == 5
    phone_nonce = page.evaluate("() => window.polku.pool[0].nonce")
    page.evaluate(PREPARE, {"deviceId": str(uuid.uuid4())})  # now the tablet
    signed = sign(page, world, nonce=phone_nonce)
    assert page.evaluate(PUSH) == ["applied"]
    assert verdict(signed["id"]) == ("failed", "nonce_not_issued_to_device")


def test_a_key_of_another_representative_fails(page: Page, server, world):
    VirtualKey(page)
    register_key(page, server.url, world.colleague, "Eevan avain")
    prepare_device(page, server.url, world.coach)
    # A device that mixed up its signers: it asks for Eeva's key under Jari's
    # name, so Eeva signs a record that names Jari.
    page.evaluate(
        """() => { const p = window.polku;
          const jari = p.signers.find((s) => s.name === 'Jari Mäkelä');
          const eeva = p.signers.find((s) => s.name === 'Eeva Mäkelä');
          jari.credentials = eeva.credentials; }"""
    )
    signed = sign(page, world, signer="Jari Mäkelä")
    assert page.evaluate(PUSH) == ["applied"]
    assert verdict(signed["id"]) == ("failed", "credential_not_of_representative")
