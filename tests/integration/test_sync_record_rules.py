"""Rules at the door (issue 14): a push that breaks a record rule or a unique
value is that mutation's `rejected`, naming the field and the rule, and the
rest of the batch applies — never a 409 that stalls the device's outbox."""

from datetime import date

from sqlalchemy import select

from server.extensions import db
from server.models import CoachingPeriod, Employer, EmployerContact, Workplace
from tests.support.device import SimDevice


def _statuses(results):
    return [r["status"] for r in results]


def test_a_used_y_tunnus_is_that_employers_rejection_and_the_rest_applies(app, factory):
    coach = factory.user("coach")
    org_employer = factory.employer(coach.organization)
    device = SimDevice(app, coach)
    duplicate = device.upsert("employer", name="Toinen Oy", business_id=org_employer.business_id)
    child = device.upsert("workplace", employer_id=duplicate, name="Halli")
    fresh = device.upsert("employer", name="Kolmas Oy", business_id=factory.ytunnus())
    workplace = device.upsert("workplace", employer_id=fresh, name="Varasto")
    results = device.push()
    assert _statuses(results) == ["rejected", "rejected", "applied", "applied"], results
    assert list(results[0]["errors"]) == ["business_id"]
    assert results[0]["errors"]["business_id"][0].startswith("unique_employer: ")
    # The child of the refused employer is refused too, not half written.
    assert results[1]["errors"] == {
        "record_id": ["employer_id: refers to a record that does not exist"]
    }
    assert [m["mutation"]["record_id"] for m in device.attention] == [duplicate, child]
    ids = set(db.session.scalars(select(Employer.id)))
    assert fresh in ids and duplicate not in ids
    assert db.session.get(Workplace, workplace) is not None


def test_two_new_employers_with_one_y_tunnus_in_one_batch(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    ytunnus = factory.ytunnus()
    first = device.upsert("employer", name="A Oy", business_id=ytunnus)
    device.upsert("employer", name="B Oy", business_id=ytunnus)
    results = device.push()
    assert _statuses(results) == ["applied", "rejected"]
    assert list(results[1]["errors"]) == ["business_id"]
    # Renaming the first one (same record, same Y-tunnus) is no clash with itself.
    device.pull()
    device.upsert("employer", first, name="A Oy Ab", business_id=ytunnus)
    assert _statuses(device.push()) == ["applied"]


def test_a_second_attendance_of_one_participant_at_one_event(app, factory):
    coach = factory.user("coach")
    participant = factory.participant(coach)
    event = factory.event(coach.organization, event_date=date(2026, 10, 1))
    factory.attendance(event, participant)
    device = SimDevice(app, coach)
    device.upsert(
        "event_attendance", event_id=event.id, participant_id=participant.id, attended=True
    )
    results = device.push()
    assert _statuses(results) == ["rejected"]
    assert results[0]["errors"]["participant_id"][0].startswith("unique_event_attendance: ")


def test_cross_field_rules_at_push(app, factory):
    coach = factory.user("coach")
    participant = factory.participant(coach)
    device = SimDevice(app, coach)
    base = {
        "participant_id": participant.id,
        "coach_id": coach.id,
        "measure_type": "work_trial",
        "start_date": "2026-11-02",
    }
    bad_end = device.upsert("coaching_period", **base, phase="ended", end_date="2026-11-01")
    bad_plan = device.upsert("coaching_period", **base, planned_end_date="2026-10-01")
    active_with_end = device.upsert(
        "coaching_period", **base, phase="active", end_date="2026-12-01"
    )
    good = device.upsert("coaching_period", **base, phase="ended", end_date="2026-12-01")
    employer = factory.employer(coach.organization)
    device.upsert(
        "employer_contact",
        employer_id=employer.id,
        coach_id=coach.id,
        contact_date="2026-11-03",
        kind="visit",
        adopted_alternative_recruitment=True,
    )
    results = device.push()
    assert _statuses(results) == ["rejected", "rejected", "rejected", "applied", "rejected"]
    assert [list(r.get("errors", {})) for r in results] == [
        ["end_date"],
        ["planned_end_date"],
        ["phase"],
        [],
        ["informed_of_alternative_recruitment"],
    ]
    assert results[0]["errors"]["end_date"] == [
        "end_not_before_start: must not be before start_date"
    ]
    assert set(db.session.scalars(select(CoachingPeriod.id))) == {good}
    assert db.session.scalars(select(EmployerContact)).all() == []
    assert {bad_end, bad_plan, active_with_end}.isdisjoint(
        db.session.scalars(select(CoachingPeriod.id))
    )


def test_an_edit_is_checked_on_the_merged_record(app, factory):
    """The rule reads the stored fields too: an end date alone, on an active period."""
    coach = factory.user("coach")
    period = factory.period(factory.participant(coach))
    device = SimDevice(app, coach)
    device.pull()
    device.upsert("coaching_period", period.id, end_date="2026-12-01")
    assert list(device.push()[0]["errors"]) == ["phase"]
    device.upsert("coaching_period", period.id, end_date="2026-12-01", phase="ended")
    assert _statuses(device.push()) == ["applied"]


def test_a_stored_inconsistency_does_not_block_an_unrelated_edit(app, factory):
    coach = factory.user("coach")
    period = factory.period(
        factory.participant(coach),
        start_date=date(2026, 9, 1),
        planned_end_date=date(2026, 8, 1),
    )
    device = SimDevice(app, coach)
    device.pull()
    device.upsert("coaching_period", period.id, outcome_at_end="studies")
    assert _statuses(device.push()) == ["applied"]


def test_the_workplace_must_be_of_the_periods_employer(app, factory):
    coach = factory.user("coach")
    org = coach.organization
    mine, other = factory.employer(org), factory.employer(org)
    device = SimDevice(app, coach)
    theirs = device.upsert("workplace", employer_id=other.id, name="Muu halli")
    own = device.upsert("workplace", employer_id=mine.id, name="Oma halli")
    participant = factory.participant(coach)
    base = {
        "participant_id": participant.id,
        "coach_id": coach.id,
        "measure_type": "work_trial",
        "start_date": "2026-11-02",
        "employer_id": mine.id,
    }
    device.upsert("coaching_period", **base, workplace_id=theirs)
    good = device.upsert("coaching_period", **base, workplace_id=own)
    results = device.push()
    assert _statuses(results) == ["applied", "applied", "rejected", "applied"]
    assert results[2]["errors"]["workplace_id"][0].startswith("workplace_of_employer: ")
    # Moving the period to another employer leaves its workplace behind: refused.
    device.pull()
    device.upsert("coaching_period", good, employer_id=other.id)
    assert list(device.push()[0]["errors"]) == ["workplace_id"]
    device.upsert("coaching_period", good, employer_id=other.id, workplace_id=theirs)
    assert _statuses(device.push()) == ["applied"]


def test_birth_year_at_least_fourteen_years_ago(app, factory):
    coach = factory.user("coach")
    device = SimDevice(app, coach)
    names = {"first_name": "A", "last_name": "B", "coach_id": coach.id}
    device.upsert("participant", **names, birth_year=date.today().year - 13)
    device.upsert("participant", **names, birth_year=date.today().year - 14)
    results = device.push()
    assert _statuses(results) == ["rejected", "applied"]
    assert results[0]["errors"]["birth_year"][0].startswith("birth_year_age: ")
