"""Consent withdrawn: the employer side loses the participant's name at once,
sync included. Every employer-side device that holds a record naming the
participant (a sign-off's signed content) receives it again at its next pull,
rendered without the name; by the desk's consent form and by a coach's push."""

from datetime import date

import pytest

from server.extensions import db
from server.signoff.content import current_content
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

NAME = "Kerttu Suostuja"


@pytest.fixture
def world(factory):
    org = factory.organization()
    employer = factory.employer(org)
    coach = factory.user("coach", org)
    participant = factory.participant(
        coach, first_name="Kerttu", last_name="Suostuja", consent_given=True
    )
    demo = factory.demonstration(participant, employer, title="Työnäyttö")
    content = current_content(db.session.connection(), demo.id).decode()
    signoff = factory.signoff(demo, "verified", signed_content=content)
    return {
        "org": org,
        "coach": coach,
        "supervisor": factory.user("supervisor", org),
        "rep": factory.representative(employer),
        "participant": participant,
        "signoff": signoff,
    }


def _held(device) -> str:
    """Everything the device holds, as text."""
    return repr(device.replica.records)


def _pull_body(device) -> str:
    response = device.client.get(
        "/api/sync/pull", query_string={"cursor": device.cursor}, headers=device.auth
    )
    assert response.status_code == 200
    device.apply(response.get_json())
    return response.get_data(as_text=True)


def _withdraw_at_the_desk(app, world, given="no"):
    desk = app.test_client()
    login(desk, world["supervisor"].email, PASSWORD)
    participant_id = world["participant"].id
    response = desk.post(
        f"/subjects/{participant_id}/consent",
        data={
            "csrf_token": csrf_token(desk, f"/subjects/{participant_id}"),
            "given": given,
            "on_date": date.today().isoformat(),
        },
    )
    assert response.status_code == 302


def test_withdrawal_at_the_desk_reaches_the_representatives_device(app, world):
    rep = SimDevice(app, world["rep"])
    rep.pull()
    assert NAME in _held(rep)

    _withdraw_at_the_desk(app, world)
    body = _pull_body(rep)
    assert world["signoff"].id in body  # sent again, not left as it was
    assert "Kerttu" not in body
    assert NAME not in _held(rep)
    fields = rep.replica.records[("signoff", world["signoff"].id)]
    assert fields["signed_content"] is None and fields["verification_status"] == "verified"

    # Given again: the name comes back the same way.
    _withdraw_at_the_desk(app, world, given="yes")
    _pull_body(rep)
    assert NAME in _held(rep)


def test_withdrawal_pushed_by_the_coach_reaches_the_representatives_device(app, world):
    rep = SimDevice(app, world["rep"])
    rep.pull()
    assert NAME in _held(rep)

    coach = SimDevice(app, world["coach"])
    coach.pull()
    coach.upsert("participant", world["participant"].id, consent_given=False)
    assert [r["status"] for r in coach.push()] == ["applied"]
    body = _pull_body(rep)
    assert world["signoff"].id in body
    assert "Kerttu" not in body
    assert NAME not in _held(rep)


def test_the_coachs_own_device_keeps_the_signed_content(app, world):
    coach = SimDevice(app, world["coach"])
    coach.pull()
    _withdraw_at_the_desk(app, world)
    coach.pull()
    assert NAME in coach.replica.records[("signoff", world["signoff"].id)]["signed_content"]


def test_an_unrelated_edit_of_the_participant_resends_nothing_to_the_employer(app, world):
    rep = SimDevice(app, world["rep"])
    rep.pull()
    coach = SimDevice(app, world["coach"])
    coach.pull()
    coach.upsert("participant", world["participant"].id, phone="+358 40 111 2222")
    assert [r["status"] for r in coach.push()] == ["applied"]
    assert '"changes":[]' in _pull_body(rep)
