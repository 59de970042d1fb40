"""A pooled PostgreSQL connection the database has dropped (a restart, a
fail-over, an idle timeout, pg_terminate_backend) is replaced when it is
taken from the pool: the next request succeeds instead of failing."""

import pytest
import sqlalchemy as sa

from server.extensions import db
from tests.conftest import POSTGRES_URL
from tests.sync_device import SimDevice


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
