"""Deletes and voids through sync (server/sync_api/deletes.py), on SQLite and
PostgreSQL: what the server refuses with a reason, the children that follow
their parent, an edit racing a delete, a voided round left out of figures."""

from datetime import date

from sqlalchemy import select

from server.extensions import db
from server.models import Assessment, AssessmentRound, Goal, Participant
from server.outcomes import figures
from server.outcomes.cohorts import Scope
from tests.support.device import SimDevice, new_caseload


def _only(results: list[dict]) -> dict:
    (result,) = results
    return result


def test_a_participant_with_no_history_is_deleted_and_leaves_every_device(app, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    phone, tablet = SimDevice(app, coach), SimDevice(app, coach)
    pid = phone.upsert(
        "participant",
        first_name="Väärä",
        last_name="Henkilö",
        coach_id=coach.id,
        consent_given=True,
    )
    phone.sync()
    tablet.pull()
    phone.delete("participant", pid)
    assert _only(phone.push())["status"] == "applied"
    tablet.pull()
    assert ("participant", pid) in tablet.replica.deleted
    assert db.session.get(Participant, pid).deleted


def test_deletes_the_server_must_refuse_are_rejected_with_the_reason(app, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    employer = factory.employer(org)
    rep = factory.representative(employer)
    phone = SimDevice(app, coach)
    ids = new_caseload(phone, coach.id)
    phone.sync()
    person = db.session.scalar(
        select(db.Model.metadata.tables["employer_contact_persons"].c.id).where(
            db.Model.metadata.tables["employer_contact_persons"].c.user_id == rep.id
        )
    )
    participant = db.session.get(Participant, ids["participant"])
    demo = factory.demonstration(participant, employer)
    factory.signoff(demo)
    db.session.commit()
    phone.pull()

    workplace = phone.upsert("workplace", employer_id=employer.id, name="Halli 2")
    phone.upsert("coaching_period", ids["period"], employer_id=employer.id, workplace_id=workplace)
    phone.push()
    phone.delete("participant", ids["participant"])
    phone.delete("work_demonstration", demo.id)
    phone.delete("employer_contact_person", person)
    phone.delete("workplace", workplace)
    results = phone.push()
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert "recorded history" in results[0]["errors"]["op"][0]
    assert "signed" in results[1]["errors"]["op"][0]
    # P5's LoginLink hook: only an administrator removes a login's link.
    assert "linked to a login" in results[2]["errors"]["record_id"][0]
    assert "workplace named by coaching periods" in results[3]["errors"]["op"][0]
    assert not db.session.get(Participant, ids["participant"]).deleted


def test_a_round_with_ratings_is_voided_not_deleted(app, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    phone = SimDevice(app, coach)
    ids = new_caseload(phone, coach.id)
    round_id = phone.upsert("assessment_round", period_id=ids["period"], held_on="2026-11-20")
    phone.upsert(
        "assessment", round_id=round_id, goal_id=ids["competence"], rater="coach", rating=2
    )
    phone.sync()
    phone.delete("assessment_round", round_id)
    result = _only(phone.push())
    assert result["status"] == "rejected"
    assert "void it" in result["errors"]["op"][0]

    scope = Scope(org.id, date(2026, 1, 1), date(2026, 12, 31))
    assert figures.compute(scope).ratings["competence"] == {1: (2.0, 1)}
    phone.upsert("assessment_round", round_id, void_reason="Kirjattu väärälle asiakkaalle")
    assert _only(phone.push())["status"] == "applied"
    stored = db.session.get(AssessmentRound, round_id)
    db.session.refresh(stored)
    assert stored.void_reason == "Kirjattu väärälle asiakkaalle" and not stored.deleted
    # Kept, with its (append-only) ratings, but out of what the figures count.
    assert db.session.scalar(select(Assessment).where(Assessment.round_id == round_id))
    counted = db.session.scalars(select(AssessmentRound.id).where(AssessmentRound.counted())).all()
    assert round_id not in counted
    assert figures.compute(scope).ratings.get("competence", {}) == {}


def test_children_follow_their_parent_even_one_another_device_added(app, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    phone, tablet = SimDevice(app, coach), SimDevice(app, coach)
    ids = new_caseload(phone, coach.id)
    phone.sync()
    tablet.pull()
    # The tablet adds a goal the phone has not seen; the phone deletes the period.
    late_goal = tablet.upsert("goal", period_id=ids["period"], area="competence", title="Myöhäinen")
    tablet.push()
    phone.delete("coaching_period", ids["period"])
    assert _only(phone.push())["status"] == "applied"
    goals = db.session.scalars(select(Goal).where(Goal.period_id == ids["period"])).all()
    for goal in goals:
        db.session.refresh(goal)
    assert goals and all(g.deleted for g in goals)
    phone.pull()
    assert ("goal", late_goal) in phone.replica.deleted


def test_an_edit_racing_a_delete_stays_a_conflict_with_both_choices(app, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    phone, tablet = SimDevice(app, coach), SimDevice(app, coach)
    ids = new_caseload(phone, coach.id)
    phone.sync()
    tablet.pull()
    phone.delete("goal", ids["competence"])
    tablet.upsert("goal", ids["competence"], title="Muokattu samaan aikaan")
    phone.push()
    result = _only(tablet.push())
    assert result["status"] == "conflict"
    tablet.pull()
    (conflict,) = [c for c in tablet.replica.conflicts.values() if c["field"] == "_deleted"]
    values = [v["value"] for v in conflict["values"]]
    assert None in values and {"title": "Muokattu samaan aikaan"} in values
