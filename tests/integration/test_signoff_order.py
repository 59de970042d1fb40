"""The server, not the device, orders sign-offs (issue 13 item 6).

A sign-off's `signed_at` is the device's clock: any device, or a forger, sets
it. The status follows the server's arrival order, and an attempt that fails
verification never changes a verified demonstration's status. A failed
sign-off is kept as evidence, shown as an invalid submission from the device
that pushed it, never as the signature of the representative it names.
"""

import re

import pytest

from server.extensions import db
from server.models import SignOff, WorkDemonstration
from server.signoff.status import latest_signoff, signoff_status, signoffs_by_demonstration
from tests.support.factories import PASSWORD
from tests.support.signoff import nonces, push_signoff, scene, signoff_fields, stored
from tests.support.web import login
from tests.support.webauthn import SoftAuthenticator

FUTURE = "2099-12-31T23:59:00+00:00"
PAST = "2001-01-01T00:00:00+00:00"


@pytest.fixture
def s(app, factory):
    return scene(app, factory)


def status_now(demo_id: str) -> str:
    db.session.expire_all()
    demo = db.session.get(WorkDemonstration, demo_id)
    return signoff_status(demo, signoffs_by_demonstration(db.session, [demo_id])[demo_id])


def forged(device, s, nonce, **fields) -> dict:
    """A sign-off naming the representative, signed with a key that is not theirs."""
    forger = SoftAuthenticator()
    forger.credential_id = s.key.credential_id  # claims the representative's key id
    return {**signoff_fields(device, s, nonce, key=forger), **fields}


def test_a_later_failed_attempt_never_unsigns_a_verified_demonstration(s):
    device = s.device()
    pool = nonces(device, 2)
    genuine, _ = push_signoff(device, signoff_fields(device, s, pool[0]))
    assert stored(genuine).verification_status == "verified"
    # A forged sign-off, dated (by the device) after the genuine one.
    fake, result = push_signoff(device, forged(device, s, pool[1], signed_at=FUTURE))
    assert result["status"] == "applied"  # kept as evidence, and the device learns its verdict
    assert stored(fake).verification_reason.startswith("invalid_signature")
    assert status_now(s.demo.id) == "verified"
    db.session.expire_all()
    assert db.session.get(WorkDemonstration, s.demo.id).status == "signed"
    device.pull()
    assert device.record("signoff", fake)["verification_status"] == "failed"


def test_the_order_is_arrival_not_the_device_clock(s):
    phone, tablet = s.device(), s.device()
    # The tablet's clock runs decades ahead: its failed attempt arrives first ...
    push_signoff(tablet, forged(tablet, s, nonces(tablet)[0], signed_at=FUTURE))
    # ... and the phone's genuine sign-off, with a clock decades behind, later.
    late, _ = push_signoff(phone, {**signoff_fields(phone, s, nonces(phone)[0]), "signed_at": PAST})
    assert stored(late).verification_status == "verified"
    assert status_now(s.demo.id) == "verified"
    db.session.expire_all()
    assert latest_signoff(db.session.query(SignOff).all()).id == late


def test_among_failed_attempts_the_last_to_arrive_decides(s):
    device = s.device()
    pool = nonces(device, 2)
    push_signoff(device, forged(device, s, pool[0], signed_at=FUTURE))
    second, _ = push_signoff(
        device, {**signoff_fields(device, s, pool[1], user_verified=False), "signed_at": PAST}
    )
    db.session.expire_all()
    latest = latest_signoff(db.session.query(SignOff).all())
    assert latest.id == second and latest.verification_reason == "no_user_verification"


def _signoff_articles(page: str) -> list[str]:
    return re.findall(r'<article class="signoff[^"]*">.*?</article>', page, re.S)


@pytest.mark.parametrize("who", ["supervisor", "rep"])
def test_a_forged_signoff_is_shown_as_an_invalid_submission_not_as_a_signature(s, app, who):
    device = s.device()
    pool = nonces(device, 2)
    push_signoff(device, signoff_fields(device, s, pool[0]))
    push_signoff(device, forged(device, s, pool[1], signed_at=FUTURE))
    client = app.test_client()
    login(client, getattr(s, who).email, PASSWORD)
    path = (
        f"/review/periods/{s.period.id}"
        if who == "supervisor"
        else f"/employer/demonstrations/{s.demo.id}"
    )
    page = client.get(path, headers={"Accept-Language": "fi"}).get_data(as_text=True)
    genuine_article, forged_article = _signoff_articles(page)
    assert "Jari Mäkelä" in genuine_article and "Allekirjoitus vahvistettu" in genuine_article
    assert "Allekirjoittaja" not in forged_article and "Jari Mäkelä" not in forged_article
    assert "Virheellinen lähetys" in forged_article
    assert "laitteelta test (käyttäjä Sanna Virtanen)" in forged_article
    assert "ei kenenkään allekirjoitus" in forged_article
    # The demonstration's status is the verified signature's.
    assert 'class="badge signoff-verified"' in page
    assert 'class="badge signoff-failed">Allekirjoitus ei kelpaa</span></h3>' not in page
