"""The audit log: writes, reads of personal data, and that it cannot be changed."""

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Goal
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def events(**filters) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).filter_by(**filters).order_by(AuditEvent.id)).all()


def test_creating_a_record_is_audited(factory):
    coach = factory.user("coach")
    participant = factory.participant(coach)
    created = events(action="create", entity_type="participants")
    assert [e.entity_id for e in created] == [participant.id]


def test_update_records_which_fields_changed(factory):
    coach = factory.user("coach")
    period = factory.period(factory.participant(coach))
    goal = factory.goal(period)
    goal.title = "Uusi otsikko"
    goal.status = "achieved"
    db.session.commit()
    (update,) = events(action="update", entity_type="goals")
    assert update.entity_id == goal.id
    assert update.detail == {"fields": ["status", "title"]}


def test_tombstone_is_audited_as_delete(factory):
    coach = factory.user("coach")
    goal = factory.goal(factory.period(factory.participant(coach)))
    db.session.get(Goal, goal.id).deleted = True
    db.session.commit()
    assert [e.entity_id for e in events(action="delete", entity_type="goals")] == [goal.id]


def test_a_tombstone_does_not_turn_later_updates_of_its_flush_into_deletes(factory):
    # The flush's dirty set has no fixed order: ten flushes, each with one
    # tombstone and one plain update, put the tombstone first in some of them.
    coach = factory.user("coach")
    period = factory.period(factory.participant(coach))
    pairs = [(factory.goal(period), factory.goal(period)) for _ in range(10)]
    for removed, edited in pairs:
        # Both loaded first: a load autoflushes, which would split the flush.
        loaded = db.session.get(Goal, removed.id), db.session.get(Goal, edited.id)
        loaded[0].deleted = True
        loaded[1].title = "Muokattu"
        db.session.commit()
    logged = {e.entity_id: e.action for e in events(entity_type="goals") if e.action != "create"}
    assert logged == {
        **{removed.id: "delete" for removed, _ in pairs},
        **{edited.id: "update" for _, edited in pairs},
    }


def test_write_through_a_view_names_the_user(client, factory):
    admin = factory.user("admin")
    login(client, admin.email, PASSWORD)
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": csrf_token(client, "/admin/users"),
            "name": "Uusi Valmentaja",
            "email": "uusi@example.fi",
            "role": "coach",
            "password": "pitkä salasana 123",
        },
    )
    assert response.status_code == 302
    (created,) = events(action="create", entity_type="users", user_id=admin.id)
    assert created.ip == "127.0.0.1"


def test_reading_a_participant_is_audited(client, factory):
    coach = factory.user("coach")
    participant = factory.participant(coach)
    login(client, coach.email, PASSWORD)
    assert client.get(f"/participants/{participant.id}").status_code == 200
    (read,) = events(action="read", entity_type="participants", entity_id=participant.id)
    assert read.user_id == coach.id


def test_caseload_list_read_is_audited_with_ids(client, factory):
    coach = factory.user("coach")
    people = [factory.participant(coach) for _ in range(3)]
    login(client, coach.email, PASSWORD)
    client.get("/coach")
    (read,) = events(action="read", entity_type="participants", user_id=coach.id)
    assert sorted(read.detail["ids"]) == sorted(p.id for p in people)


def test_login_is_audited(client, factory):
    coach = factory.user("coach")
    login(client, coach.email, PASSWORD)
    assert [e.user_id for e in events(action="login")] == [coach.id]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET action = 'nothing'", "DELETE FROM audit_events"],
)
def test_audit_log_is_append_only_in_the_database(factory, statement):
    factory.user("coach")
    assert events()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(sa.text(statement))
    assert events(action="create")
