"""Push and pull over HTTP against the real database: the merge cases one by one."""

from datetime import date

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AppliedMutation, AuditEvent, ChangeFeed, Conflict, Goal, Participant
from tests.support.device import SimDevice, new_caseload


@pytest.fixture
def coach(factory):
    return factory.user("coach")


def test_offline_batch_lands_exactly_once(app, coach):
    device = SimDevice(app, coach)
    ids = new_caseload(device, coach.id)
    results = device.push()
    assert [r["status"] for r in results] == ["applied"] * 6, results
    participant = db.session.get(Participant, ids["participant"])
    assert participant.organization_id == coach.organization_id
    assert participant.created_by_id == coach.id
    goal = db.session.get(Goal, ids["wellbeing"])
    assert (goal.area, goal.version) == ("wellbeing", 1)
    assert db.session.scalar(select(func.count()).select_from(ChangeFeed)) == 6
    audited = db.session.scalars(
        select(AuditEvent.entity_id).where(AuditEvent.detail["via"].as_string() == "sync")
    ).all()
    assert sorted(audited) == sorted(ids.values())


def test_replaying_a_batch_changes_nothing(app, coach):
    device = SimDevice(app, coach)
    new_caseload(device, coach.id)
    batch = list(device.outbox)
    device.push()
    feed_before = db.session.scalar(select(func.count()).select_from(ChangeFeed))
    device.outbox = batch + batch[:2]  # the whole batch again, twice for some
    results = device.push()
    assert {r["status"] for r in results} == {"duplicate"}
    assert db.session.scalar(select(func.count()).select_from(ChangeFeed)) == feed_before
    assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == 6
    assert db.session.scalar(select(func.max(Goal.version))) == 1


def test_one_bad_mutation_does_not_block_the_others(app, coach):
    device = SimDevice(app, coach)
    ids = new_caseload(device, coach.id)
    device.push()
    round_id = device.upsert("assessment_round", period_id=ids["period"], held_on="2026-11-20")
    device.upsert(
        "assessment", round_id=round_id, goal_id=ids["competence"], rater="coach", rating=7
    )
    good = device.upsert(
        "assessment", round_id=round_id, goal_id=ids["competence"], rater="employer", rating=4
    )
    results = device.push()
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["errors"] == {"rating": ["must be between 1 and 5"]}
    assert device.attention[0]["errors"] == results[1]["errors"]
    from server.models import Assessment

    assert [a.id for a in db.session.scalars(select(Assessment))] == [good]


def test_child_of_a_rejected_parent_is_refused_not_half_written(app, coach):
    device = SimDevice(app, coach)
    participant = device.upsert("participant", first_name="", last_name="X", coach_id=coach.id)
    device.upsert(
        "coaching_period",
        participant_id=participant,
        coach_id=coach.id,
        measure_type="work_trial",
        start_date="2026-11-02",
    )
    first, second = device.push()
    assert first["errors"] == {"first_name": ["must not be blank"]}
    assert second["errors"] == {
        "record_id": ["participant_id: refers to a record that does not exist"]
    }
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_unknown_field_is_rejected_by_name(app, coach):
    device = SimDevice(app, coach)
    ids = new_caseload(device, coach.id)
    device.push()
    device.upsert("goal", ids["competence"], colour="red")
    (result,) = device.push()
    assert result["status"] == "rejected"
    assert result["errors"] == {"colour": ["unknown field"]}


def test_different_fields_edited_concurrently_both_apply(app, coach):
    a, b = SimDevice(app, coach), SimDevice(app, coach)
    ids = new_caseload(a, coach.id)
    a.sync()
    b.pull()
    a.upsert("goal", ids["competence"], title="Kassatyö itsenäisesti")
    b.upsert("goal", ids["competence"], status="achieved")
    a.push()
    b.push()
    a.pull()
    b.pull()
    goal = db.session.get(Goal, ids["competence"])
    assert (goal.title, goal.status) == ("Kassatyö itsenäisesti", "achieved")
    assert a.record("goal", ids["competence"]) == b.record("goal", ids["competence"])
    assert db.session.scalar(select(func.count()).select_from(Conflict)) == 0


def test_same_field_concurrently_keeps_both_values_and_resolution_syncs(app, coach):
    a, b = SimDevice(app, coach), SimDevice(app, coach)
    ids = new_caseload(a, coach.id)
    a.sync()
    b.pull()
    goal_id = ids["competence"]
    a.upsert("goal", goal_id, title="Kassatyö")
    b.upsert("goal", goal_id, title="Asiakaspalvelu")
    a.push()
    (result,) = b.push()
    assert result["status"] == "conflict"
    a.pull()
    b.pull()
    (conflict,) = a.replica.conflicts.values()
    assert conflict["field"] == "title"
    values = {v["value"]: v["device_id"] for v in conflict["values"]}
    assert values == {"Kassatyö": a.device_id, "Asiakaspalvelu": b.device_id}
    winner = conflict["values"][0]["value"]
    assert db.session.get(Goal, goal_id).title == winner
    assert list(b.replica.conflicts) == [conflict["conflict_id"]]
    # Resolve on one device with a merged value; the other device's inbox clears.
    a.resolve(conflict, "Kassatyö ja asiakaspalvelu")
    a.sync()
    b.pull()
    assert b.replica.conflicts == {}
    assert a.replica.conflicts == {}
    assert b.record("goal", goal_id)["title"] == "Kassatyö ja asiakaspalvelu"
    stored = db.session.get(Conflict, conflict["conflict_id"])
    db.session.refresh(stored)
    assert stored.status == "resolved"
    assert stored.resolved_by_id == coach.id


def test_assessments_are_append_only(app, coach):
    device = SimDevice(app, coach)
    ids = new_caseload(device, coach.id)
    round_id = device.upsert("assessment_round", period_id=ids["period"], held_on="2026-11-20")
    assessment = device.upsert(
        "assessment", round_id=round_id, goal_id=ids["competence"], rater="participant", rating=3
    )
    device.push()
    device.upsert("assessment", assessment, rating=5)
    device.delete("assessment", assessment)
    results = device.push()
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    from server.models import Assessment

    assert db.session.get(Assessment, assessment).rating == 3


def test_edit_racing_a_delete_is_kept_as_conflict(app, coach):
    a, b = SimDevice(app, coach), SimDevice(app, coach)
    ids = new_caseload(a, coach.id)
    a.sync()
    b.pull()
    a.delete("goal", ids["work_community"])
    b.upsert("goal", ids["work_community"], title="Tutustuu työyhteisöön")
    a.push()
    (result,) = b.push()
    assert result["status"] == "conflict"
    conflict = db.session.scalars(select(Conflict)).one()
    assert (conflict.kind, conflict.field) == ("delete", "_deleted")
    kept = [v["value"] for v in conflict.values]
    assert {"title": "Tutustuu työyhteisöön"} in kept and None in kept


def test_a_clock_far_ahead_cannot_win_forever(app, coach):
    app.config["SYNC_MAX_CLOCK_DRIFT_MS"] = 0
    ahead = SimDevice(app, coach, now_ms=lambda: 10**13 - 1)  # year 2286
    honest = SimDevice(app, coach)
    ids = new_caseload(honest, coach.id)
    honest.sync()
    ahead.pull()
    ahead.upsert("goal", ids["competence"], title="Kellon mukaan aina voittaja")
    ahead.push()
    from server.models import Device

    skew = db.session.get(Device, ahead.device_id).max_clock_skew_ms
    assert skew > 10**12
    import time

    time.sleep(0.01)
    honest.pull()
    honest.upsert("goal", ids["competence"], title="Myöhempi muokkaus")
    honest.push()
    db.session.expire_all()
    assert db.session.get(Goal, ids["competence"]).title == "Myöhempi muokkaus"


def test_signed_content_is_frozen_and_needs_new_signoff(app, factory, coach):
    from server.models import DemonstrationTask, SignOff, WorkDemonstration

    employer = factory.employer(db.session.get(type(coach.organization), coach.organization_id))
    device = SimDevice(app, coach)
    ids = new_caseload(device, coach.id)
    demo = device.upsert(
        "work_demonstration",
        participant_id=ids["participant"],
        employer_id=employer.id,
        title="Työnäyttö",
        demonstration_date="2026-11-20",
        overall_result="passed",
    )
    task = device.upsert(
        "demonstration_task", demonstration_id=demo, task="Kassatyö", result="met", position=0
    )
    device.push()
    contact = factory.representative(employer)
    from server.models import EmployerContactPerson

    rep_contact = db.session.scalar(select(EmployerContactPerson).filter_by(user_id=contact.id))
    db.session.add(
        SignOff(
            demonstration_id=demo,
            representative_id=rep_contact.id,
            signed_at=date(2026, 11, 20),
            content_version=1,
            content_sha256="0" * 64,
            nonce="n",
            credential_id="c",
            authenticator_data="a",
            client_data_json="{}",
            signature="s",
        )
    )
    db.session.commit()
    device.upsert("demonstration_task", task, result="not_met")
    (result,) = device.push()
    assert result["status"] == "conflict"
    db.session.expire_all()
    assert db.session.get(DemonstrationTask, task).result == "met"
    assert db.session.get(WorkDemonstration, demo).status == "needs_new_signoff"
    conflict = db.session.scalars(select(Conflict)).one()
    assert conflict.kind == "signed"
    assert [v["value"] for v in conflict.values] == ["met", "not_met"]
