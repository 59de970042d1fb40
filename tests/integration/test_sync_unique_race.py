"""Two devices push a new employer with one Y-tunnus at the same moment: the
push that loses the race to the unique constraint re-reads (P8's retry) and
answers that mutation `rejected` with the field and the rule — 200 for both,
never a 409 the app would retry for ever (issue 14)."""

import threading
import time
from contextlib import suppress

import pytest
from sqlalchemy import event, func, select

from server.extensions import db
from server.models import Employer
from tests.support.device import SimDevice


@pytest.fixture
def db_backend():
    return "postgresql"  # SQLite's single writer never lets the two overlap


def test_the_loser_of_a_unique_race_is_rejected_not_409(app, factory):
    coach = factory.user("coach")
    ytunnus = factory.ytunnus()
    devices = [SimDevice(app, coach) for _ in range(2)]
    for n, device in enumerate(devices):
        device.upsert("employer", name=f"Yritys {n} Oy", business_id=ytunnus)
        device.upsert("participant", first_name="A", last_name=f"B{n}", coach_id=coach.id)

    # Both pass the P5 check before either commits: the first push holds its
    # transaction open after its employer insert, until the other's insert
    # (which waits on the unique index for it) has surely been sent.
    both_checked = threading.Barrier(2, timeout=3)

    def hold(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO EMPLOYERS"):
            # Broken: the other insert is blocked on the index: the race is on.
            with suppress(threading.BrokenBarrierError):
                both_checked.wait()
            time.sleep(0.2)

    results, errors = {}, []

    def push(n):
        try:
            results[n] = devices[n].push()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    event.listen(db.engine, "after_cursor_execute", hold)
    try:
        threads = [threading.Thread(target=push, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        event.remove(db.engine, "after_cursor_execute", hold)
    assert not errors, errors
    statuses = sorted([r["status"] for r in results[n]] for n in range(2))
    assert statuses == [["applied", "applied"], ["rejected", "applied"]], results
    loser = next(results[n] for n in range(2) if results[n][0]["status"] == "rejected")
    assert loser[0]["errors"]["business_id"][0].startswith("unique_employer: ")
    db.session.remove()
    count = select(func.count()).select_from(Employer).where(Employer.business_id == ytunnus)
    assert db.session.scalar(count) == 1
