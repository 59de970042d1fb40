"""Moving a caseload at the desk: one participant, or all of a leaving coach's;
supervisors of the organization only; the devices follow (the old one gets
the removal, the new one the history); audited; errors name the field."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, CoachingPeriod, Participant
from server.subjects import restrictions
from tests.support.device import SimDevice, new_caseload
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


@pytest.fixture
def team(factory):
    org = factory.organization()
    return {
        "org": org,
        "anna": factory.user("coach", org, name="Anna Lähtevä"),
        "ben": factory.user("coach", org, name="Ben Jatkaja"),
        "supervisor": factory.user("supervisor", org, name="Sari Esihenkilö"),
    }


def _as(client, user):
    login(client, user.email, PASSWORD)
    return csrf_token(client, "/review/caseload")


def test_one_participant_moves_and_the_devices_follow(app, client, team):
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    ids = new_caseload(anna, team["anna"].id)
    anna.sync()
    ben.pull()
    token = _as(client, team["supervisor"])
    page = client.get("/review/caseload").get_data(as_text=True)
    assert "Lehtonen, Aino (Anna Lähtevä)" in page

    answer = client.post(
        "/review/caseload/move",
        data={"participant": ids["participant"], "to_coach": team["ben"].id, "csrf_token": token},
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, ids["participant"]).coach_id == team["ben"].id
    # The running period follows the participant.
    assert db.session.get(CoachingPeriod, ids["period"]).coach_id == team["ben"].id
    ben.pull()
    assert ("goal", ids["wellbeing"]) in ben.replica.records
    assert ("coaching_period", ids["period"]) in ben.replica.records
    anna.pull()
    assert not [k for k in anna.replica.records if k[1] in set(ids.values())]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "caseloads")
    ).one()
    assert event.user_id == team["supervisor"].id
    assert event.detail == {
        "from": team["anna"].id,
        "to": team["ben"].id,
        "ids": [ids["participant"]],
    }


def test_a_leaving_coachs_whole_caseload_moves(app, client, team, factory):
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    first = new_caseload(anna, team["anna"].id)
    second = new_caseload(anna, team["anna"].id)
    anna.sync()
    ended = factory.period(
        db.session.get(Participant, first["participant"]), phase="ended", coach_id=team["anna"].id
    )
    frozen = factory.participant(team["anna"], first_name="Rauha", last_name="Rajoitettu")
    restrictions.restrict(db.session, frozen.id, "kiistetty", team["supervisor"].id)
    db.session.commit()
    frozen_id, ended_id = frozen.id, ended.id
    token = _as(client, team["supervisor"])
    answer = client.post(
        "/review/caseload/move",
        data={"from_coach": team["anna"].id, "to_coach": team["ben"].id, "csrf_token": token},
        follow_redirects=True,
    )
    page = answer.get_data(as_text=True)
    assert "Siirretty 2 asiakasta valmentajalle Ben Jatkaja." in page
    assert "1 asiakasta jäi siirtämättä" in page
    db.session.expire_all()
    moved = db.session.scalars(
        select(Participant.id).where(Participant.coach_id == team["ben"].id)
    ).all()
    assert set(moved) == {first["participant"], second["participant"]}
    assert db.session.get(Participant, frozen_id).coach_id == team["anna"].id
    # An ended period keeps the coach who ran it.
    assert db.session.get(CoachingPeriod, ended_id).coach_id == team["anna"].id
    ben.pull()
    for ids in (first, second):
        assert ("goal", ids["competence"]) in ben.replica.records
    anna.pull()
    assert not [k for k in anna.replica.records if k[0] == "goal"]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"to_coach": "", "participant": ""}, "to_coach", "Uusi valmentaja: valitse"),
        ({"to_coach": "ben", "participant": ""}, "participant", "Asiakas: valitse"),
        ({"to_coach": "anna", "participant": "p"}, "to_coach", "eri valmentaja"),
        ({"to_coach": "ben", "from_coach": "ben"}, "all_to_coach", "eri valmentaja"),
        ({"to_coach": "ben", "from_coach": "supervisor"}, "from_coach", "Nykyinen valmentaja"),
        ({"to_coach": "supervisor", "from_coach": "anna"}, "all_to_coach", "Uusi valmentaja"),
    ],
)
def test_refusals_name_the_field_and_link_to_it(client, team, factory, form, field, message):
    participant_id = factory.participant(team["anna"]).id
    token = _as(client, team["supervisor"])
    data = {"csrf_token": token}
    for key, value in form.items():
        data[key] = {
            "p": participant_id,
            **{k: str(team[k].id) for k in ("anna", "ben", "supervisor")},
        }.get(value, value)
    answer = client.post("/review/caseload/move", data=data)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert f'<a href="#{field}">' in page and message in page
    assert f'id="{field}" ' in page and 'aria-invalid="true"' in page
    db.session.expire_all()
    assert db.session.get(Participant, participant_id).coach_id == team["anna"].id


def test_only_a_supervisor_of_the_organization_moves(client, team, factory):
    participant = factory.participant(team["anna"])
    other_org = factory.organization()
    outsider = factory.user("supervisor", other_org)
    stranger = factory.user("coach", other_org)
    # A coach may not move, not even their own participant.
    login(client, team["anna"].email, PASSWORD)
    token = csrf_token(client, "/review/returns")
    data = {"participant": participant.id, "to_coach": team["ben"].id, "csrf_token": token}
    assert client.post("/review/caseload/move", data=data).status_code == 403
    assert client.get("/review/caseload").status_code == 403
    client.post("/logout", data={"csrf_token": token})
    # Another organization's supervisor sees none of it and cannot move it.
    token = _as(client, outsider)
    assert participant.last_name not in client.get("/review/caseload").get_data(as_text=True)
    data = {"participant": participant.id, "to_coach": stranger.id, "csrf_token": token}
    assert client.post("/review/caseload/move", data=data).status_code == 422
    # Nor hand it to a coach of their own.
    data["to_coach"] = team["ben"].id
    assert client.post("/review/caseload/move", data=data).status_code == 422
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).coach_id == team["anna"].id


def test_the_move_needs_the_csrf_token(app, team, factory):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    participant = factory.participant(team["anna"])
    _as(client, team["supervisor"])
    data = {"participant": participant.id, "to_coach": team["ben"].id}
    assert client.post("/review/caseload/move", data=data).status_code == 400
    db.session.expire_all()
    assert db.session.get(Participant, participant.id).coach_id == team["anna"].id
