"""What a coach's device collects online for signing offline: the signers of
the employers in its user's caseload (and no others), and a pool of nonces
bound to the device."""

from datetime import timedelta

from sqlalchemy import func, select, update

from server.extensions import db
from server.models import EmployerContactPerson, SignoffNonce, WebAuthnCredential
from server.models.base import utcnow
from tests.support.device import SimDevice
from tests.support.signoff import add_key, person_of
from tests.support.webauthn import SoftAuthenticator


def signers(device) -> list[dict]:
    response = device.client.get("/api/sync/signers", headers=device.auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["signers"]


def top_up(device, count=None):
    body = {} if count is None else {"count": count}
    return device.client.post("/api/sync/nonces", json=body, headers=device.auth)


def test_a_coach_gets_the_signers_of_their_caseloads_employers_only(app, factory):
    org = factory.organization()
    coach = factory.user("coach", organization=org)
    colleague = factory.user("coach", organization=org)
    mine = factory.employer(org, name="Oma Oy")
    by_period = factory.employer(org, name="Jakso Oy")
    theirs = factory.employer(org, name="Kollegan Oy")
    elsewhere = factory.employer(factory.organization(), name="Muu Oy")
    participant = factory.participant(coach)
    factory.demonstration(participant, mine)
    factory.period(participant, by_period)
    factory.demonstration(factory.participant(colleague), theirs)
    reps = {}
    for employer in (mine, by_period, theirs, elsewhere):
        reps[employer.name] = factory.representative(employer, name=f"Edustaja {employer.name}")
    key = SoftAuthenticator()
    add_key(reps["Oma Oy"], key)
    add_key(reps["Oma Oy"], SoftAuthenticator(), label="vanha", revoked_at=utcnow())
    add_key(reps["Kollegan Oy"], SoftAuthenticator())
    # A contact person without a login, and a deactivated representative, cannot sign.
    factory.representative(mine, name="Entinen", active=False)
    db.session.add(EmployerContactPerson(employer_id=mine.id, name="Ilman tunnusta"))
    db.session.commit()
    device = SimDevice(app, coach)

    found = signers(device)

    assert {s["employer_id"] for s in found} == {mine.id, by_period.id}
    by_name = {s["name"]: s for s in found}
    assert set(by_name) == {"Edustaja Oma Oy", "Edustaja Jakso Oy"}
    assert by_name["Edustaja Oma Oy"] == {
        "representative_id": person_of(reps["Oma Oy"], mine).id,
        "name": "Edustaja Oma Oy",
        "employer_id": mine.id,
        "credentials": [{"id": key.id, "transports": ["usb"]}],
    }
    assert by_name["Edustaja Jakso Oy"]["credentials"] == []


def test_a_supervisor_gets_the_organizations_signers(app, factory):
    org = factory.organization()
    supervisor = factory.user("supervisor", organization=org)
    employer = factory.employer(org)
    factory.representative(employer)
    factory.representative(factory.employer(factory.organization()))
    assert [s["employer_id"] for s in signers(SimDevice(app, supervisor))] == [employer.id]


def test_who_does_not_collect_signoffs_is_refused(app, factory):
    employer = factory.employer()
    rep = factory.representative(employer)
    device = SimDevice(app, rep)
    assert device.client.get("/api/sync/signers", headers=device.auth).status_code == 403
    assert top_up(device).status_code == 403
    assert device.client.get("/api/sync/signers").status_code == 401


def test_the_pool_is_topped_up_and_returned_whole(app, factory):
    device = SimDevice(app, factory.user("coach"))
    first = top_up(device, 5).get_json()["nonces"]
    assert len(first) == 5
    assert all(len(n["nonce"]) == 64 and n["nonce"] == n["nonce"].lower() for n in first)
    # Asked again, the same pool comes back (a device that lost its copy gets it).
    assert top_up(device, 5).get_json()["nonces"] == first
    # A larger pool adds to it; the default is 10; at most 20.
    assert len(top_up(device, 8).get_json()["nonces"]) == 8
    assert len(top_up(device).get_json()["nonces"]) == 10
    for bad in (0, 21, "5", 2.5, True):
        response = top_up(device, bad)
        assert response.status_code == 422, bad
        assert "count" in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(SignoffNonce)) == 10


def test_nonces_are_bound_to_the_device_and_expire(app, factory):
    coach = factory.user("coach")
    phone, tablet = SimDevice(app, coach), SimDevice(app, coach)
    mine = {n["nonce"] for n in top_up(phone, 3).get_json()["nonces"]}
    theirs = {n["nonce"] for n in top_up(tablet, 3).get_json()["nonces"]}
    assert not mine & theirs
    rows = db.session.scalars(select(SignoffNonce).where(SignoffNonce.nonce.in_(mine))).all()
    assert {r.device_id for r in rows} == {phone.device_id}
    expires = rows[0].expires_at
    expires = expires if expires.tzinfo else expires.replace(tzinfo=utcnow().tzinfo)
    assert timedelta(days=29) < expires - utcnow() <= timedelta(days=30)
    # One about to expire no longer counts towards the pool: a fresh one replaces it.
    db.session.execute(
        update(SignoffNonce)
        .where(SignoffNonce.nonce == rows[0].nonce)
        .values(expires_at=utcnow() + timedelta(hours=3))
    )
    db.session.commit()
    pool = {n["nonce"] for n in top_up(phone, 3).get_json()["nonces"]}
    assert len(pool) == 3 and rows[0].nonce not in pool


def test_revoked_keys_are_not_cached(app, factory):
    org = factory.organization()
    coach = factory.user("coach", organization=org)
    employer = factory.employer(org)
    rep = factory.representative(employer)
    factory.demonstration(factory.participant(coach), employer)
    add_key(rep, SoftAuthenticator())
    db.session.execute(update(WebAuthnCredential).values(revoked_at=utcnow()))
    db.session.commit()
    [signer] = signers(SimDevice(app, coach))
    assert signer["credentials"] == []
