"""A pooled PostgreSQL connection the database has dropped (a restart, a
fail-over, an idle timeout, pg_terminate_backend) is replaced when it is
taken from the pool: the next request succeeds instead of failing. One that
dies during a request answers 503 (try again), with nothing half-written and
no record values in the log."""

import logging

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Participant
from tests.support.device import SimDevice
from tests.support.settings import POSTGRES_URL


@pytest.fixture
def db_backend():
    return "postgresql"


def test_a_request_after_the_database_dropped_the_pooled_connection_succeeds(app, factory):
    phone = SimDevice(app, factory.user("coach"))
    phone.pull()
    db.session.remove()
    # Every connection now idle in the pool, by its server process id.
    connections = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    pids = {c.execute(sa.text("SELECT pg_backend_pid()")).scalar() for c in connections}
    for connection in connections:
        connection.close()
    assert pids
    killer = sa.create_engine(POSTGRES_URL)
    with killer.connect() as conn:
        for pid in pids:
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    killer.dispose()
    assert phone.pull() == 0  # asserts the answer was 200


@pytest.fixture
def drop_connection_once(app):
    """The database ends the connection in the middle of the next push: right
    after its change-feed rows are written, before the commit."""
    killer = sa.create_engine(POSTGRES_URL)
    fired = []

    def terminate(conn, _cursor, statement, *_args):
        if not fired and statement.lstrip().upper().startswith("INSERT INTO CHANGE_FEED"):
            fired.append(True)
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with killer.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    sa.event.listen(db.engine, "after_cursor_execute", terminate)
    yield fired
    sa.event.remove(db.engine, "after_cursor_execute", terminate)
    killer.dispose()


def test_a_push_whose_connection_dies_answers_503_and_its_retry_applies_once(
    app, factory, drop_connection_once, caplog
):
    caplog.set_level(logging.INFO)
    coach = factory.user("coach")
    phone = SimDevice(app, coach)
    participant = phone.upsert(
        "participant",
        first_name="Aino",
        last_name="Lehtonen",
        coach_id=coach.id,
        consent_given=True,
    )
    batch = {"mutations": list(phone.outbox)}
    response = phone.client.post("/api/sync/push", json=batch, headers=phone.auth)
    assert drop_connection_once
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json()["error"]["status"] == 503
    assert response.headers["Retry-After"]
    assert "Lehtonen" not in caplog.text and "Aino" not in caplog.text

    (result,) = phone.push()  # the app tries again: nothing was written the first time
    assert result["status"] == "applied"
    assert db.session.get(Participant, participant).version == 1


@pytest.fixture
def drop_connection_before_the_feed_read(app):
    """The database ends the connection of the next pull after its device
    check, so its feed read (on the driver's cursor) finds it gone."""
    killer = sa.create_engine(POSTGRES_URL)
    armed = []

    def terminate(conn, _cursor, statement, *_args):
        if armed and statement.lstrip().upper().startswith("SELECT DEVICES."):
            armed.clear()
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with killer.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    sa.event.listen(db.engine, "after_cursor_execute", terminate)
    yield armed
    sa.event.remove(db.engine, "after_cursor_execute", terminate)
    killer.dispose()


def test_a_pull_whose_connection_dies_on_the_drivers_cursor_answers_503(
    app, factory, drop_connection_before_the_feed_read
):
    coach = factory.user("coach")
    phone = SimDevice(app, coach)
    phone.upsert("participant", first_name="Aino", last_name="L", coach_id=coach.id)
    phone.push()
    drop_connection_before_the_feed_read.append(True)
    response = phone.client.get("/api/sync/pull", headers=phone.auth)
    assert not drop_connection_before_the_feed_read, response.status_code  # it fired
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.headers["Retry-After"]
    assert phone.pull() == 1  # the next try gets the page
