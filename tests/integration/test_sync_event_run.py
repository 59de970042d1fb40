"""Events as they run sync like any record of employer work: a coach's device
pushes the employer taking part and a non-client job seeker, the other coaches
of the organization receive them, and an employer representative's device
never does, not even of an event its own employer took part in and hired at."""

from server.extensions import db
from server.models import EventGuest, MeetingEventEmployer
from tests.support.device import SimDevice


def test_event_records_reach_coaches_but_never_employers(app, factory):
    org = factory.organization()
    employer = factory.employer(org, name="Konepaja Oy")
    anna, ben = factory.user("coach", org), factory.user("coach", org)
    rep = factory.representative(employer)
    phone = SimDevice(app, anna)
    event = phone.upsert("meeting_event", title="Työkohtaamo", event_date="2026-11-20")
    taking_part = phone.upsert(
        "meeting_event_employer", event_id=event, employer_id=employer.id, meetings_held=3
    )
    guest = phone.upsert(
        "event_guest",
        event_id=event,
        name_consent=True,
        name="Maija Vieras",
        meetings_held=1,
        got_work=True,
        employer_id=employer.id,
    )
    assert {r["status"] for r in phone.push()} == {"applied"}
    db.session.expire_all()
    assert db.session.get(MeetingEventEmployer, taking_part).meetings_held == 3
    assert db.session.get(EventGuest, guest).name == "Maija Vieras"

    other = SimDevice(app, ben)
    other.pull()
    assert {(t, i) for t, i in other.replica.records} >= {
        ("meeting_event_employer", taking_part),
        ("event_guest", guest),
    }
    portal = SimDevice(app, rep)
    portal.pull()
    received = {t for t, _ in portal.replica.records}
    assert "employer" in received
    assert not received & {"meeting_event", "meeting_event_employer", "event_guest"}


def test_a_non_clients_meetings_are_checked_like_any_field(app, factory):
    org = factory.organization()
    phone = SimDevice(app, factory.user("coach", org))
    event = phone.upsert("meeting_event", title="Työkohtaamo", event_date="2026-11-20")
    phone.upsert("event_guest", event_id=event, meetings_held=500)
    results = phone.push()
    assert results[-1]["status"] == "rejected"
    assert results[-1]["errors"] == {"meetings_held": ["must be 0 to 100"]}


def test_a_non_client_is_named_only_with_consent(app, factory):
    org = factory.organization()
    phone = SimDevice(app, factory.user("coach", org))
    event = phone.upsert("meeting_event", title="Työkohtaamo", event_date="2026-11-20")
    phone.upsert("event_guest", event_id=event, name="Maija Vieras")
    results = phone.push()
    assert results[-1]["status"] == "rejected"
    assert results[-1]["errors"] == {
        "record_id": ["name: recorded only with the person's consent (name_consent)"]
    }
    guest = phone.upsert("event_guest", event_id=event, name="Maija Vieras", name_consent=True)
    assert phone.push()[-1]["status"] == "applied"
    # Withdrawing consent while keeping the name is refused; with the name emptied it is not.
    phone.upsert("event_guest", guest, name_consent=False)
    assert phone.push()[-1]["status"] == "rejected"
    phone.upsert("event_guest", guest, name_consent=False, name=None)
    assert phone.push()[-1]["status"] == "applied"
