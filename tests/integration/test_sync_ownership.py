"""Nobody writes what is not theirs: the link that gives a representative's
login its rights moves only by an administrator, and a reference into a
caseload must point into one the writer may write (issue 13)."""

from datetime import date

import pytest

from server.extensions import db
from server.models import EmployerContactPerson
from tests.support.device import SimDevice, new_caseload


@pytest.fixture
def team(factory):
    org = factory.organization()
    employer_a = factory.employer(org, name="Pohjolan Puutarha Oy")
    employer_b = factory.employer(org, name="Konehuolto Salo Oy")
    rep = factory.representative(employer_a)
    return {
        "org": org,
        "a": employer_a,
        "b": employer_b,
        "anna": factory.user("coach", org, name="Anna"),
        "ben": factory.user("coach", org, name="Ben"),
        "admin": factory.user("admin", org),
        "rep": rep,
        "link": db.session.query(EmployerContactPerson).filter_by(user_id=rep.id).one(),
    }


def test_a_coach_cannot_move_a_representatives_login_to_another_employer(app, team):
    anna = SimDevice(app, team["anna"])
    anna.upsert("employer_contact_person", team["link"].id, employer_id=team["b"].id)
    [result] = anna.push()
    assert result["status"] == "rejected"
    assert result["errors"] == {
        "record_id": ["employer_id: linked to a login; only an administrator changes it"]
    }
    db.session.expire_all()
    assert db.session.get(EmployerContactPerson, team["link"].id).employer_id == team["a"].id


def test_a_coach_cannot_delete_a_representatives_login_link(app, team):
    anna = SimDevice(app, team["anna"])
    anna.delete("employer_contact_person", team["link"].id)
    [result] = anna.push()
    assert result["status"] == "rejected"
    assert result["errors"] == {
        "record_id": ["user_id: linked to a login; only an administrator removes it"]
    }
    db.session.expire_all()
    assert db.session.get(EmployerContactPerson, team["link"].id).deleted is False


def test_a_coach_still_edits_the_linked_persons_details_and_moves_unlinked_ones(app, team):
    anna = SimDevice(app, team["anna"])
    anna.pull()
    anna.upsert("employer_contact_person", team["link"].id, title="Tuotantopäällikkö")
    unlinked = anna.upsert("employer_contact_person", employer_id=team["a"].id, name="Eeva Ek")
    assert [r["status"] for r in anna.push()] == ["applied", "applied"]
    anna.upsert("employer_contact_person", unlinked, employer_id=team["b"].id)
    assert [r["status"] for r in anna.push()] == ["applied"]
    db.session.expire_all()
    assert db.session.get(EmployerContactPerson, team["link"].id).title == "Tuotantopäällikkö"
    assert db.session.get(EmployerContactPerson, unlinked).employer_id == team["b"].id


def test_an_administrator_may_move_the_link(app, team):
    admin = SimDevice(app, team["admin"])
    admin.pull()
    admin.upsert("employer_contact_person", team["link"].id, employer_id=team["b"].id)
    assert [r["status"] for r in admin.push()] == ["applied"]


def test_a_coach_cannot_hang_a_note_or_demonstration_on_another_coachs_period(app, team):
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    bens = new_caseload(ben, team["ben"].id)
    annas = new_caseload(anna, team["anna"].id)
    ben.push()
    anna.push()
    anna.upsert(
        "note",
        participant_id=annas["participant"],
        period_id=bens["period"],
        body="Väärä jakso",
    )
    anna.upsert(
        "work_demonstration",
        participant_id=annas["participant"],
        employer_id=team["a"].id,
        period_id=bens["period"],
        title="Kasvihuonetyöt",
    )
    results = anna.push()
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    for result in results:
        assert result["errors"] == {
            "record_id": ["period_id: refers to a record outside your caseload"]
        }
    # Her own period is fine.
    anna.upsert(
        "note",
        participant_id=annas["participant"],
        period_id=annas["period"],
        body="Oikea jakso",
    )
    assert [r["status"] for r in anna.push()] == ["applied"]


def test_an_administrator_cannot_write_a_participants_event_attendance(app, team, factory):
    event = factory.event(team["org"], date(2026, 11, 12))
    participant = factory.participant(team["anna"])
    admin = SimDevice(app, team["admin"])
    admin.upsert("event_attendance", event_id=event.id, participant_id=participant.id)
    [result] = admin.push()
    assert result["status"] == "rejected"
    assert result["errors"] == {"record_id": ["not permitted"]}
    # The participant's own coach records it.
    anna = SimDevice(app, team["anna"])
    anna.upsert("event_attendance", event_id=event.id, participant_id=participant.id)
    assert [r["status"] for r in anna.push()] == ["applied"]
