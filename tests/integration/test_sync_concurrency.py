"""The pull cursor never skips a change committed late by a concurrent push.

PostgreSQL hands out sequence numbers at insert, not at commit: without care a
slow transaction commits position 10 after a fast one committed 11 and a
puller already moved its cursor past 11. Here pushers run concurrently, with
a random pause between writing their feed rows and committing, while a puller
follows the feed; it must receive every record. The second test shows the
harness does catch the trap: with the feed lock switched off, records are lost.
"""

import random
import threading
import time

import pytest
from sqlalchemy import event

from server.extensions import db
from server.sync_api import feed
from tests.support.device import SimDevice

PUSHERS = 4
BATCHES = 8
PER_BATCH = 3


@pytest.fixture
def db_backend():
    return "postgresql"


def _slow_commits(engine, longest: float):
    """Pause after a change-feed insert, before the transaction commits."""

    def pause(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO CHANGE_FEED"):
            time.sleep(random.uniform(0, longest))

    event.listen(engine, "after_cursor_execute", pause)
    return lambda: event.remove(engine, "after_cursor_execute", pause)


def _run(app, factory, longest_pause: float = 0.03) -> tuple[set[str], set[str]]:
    coach = factory.user("coach")
    pushers = [SimDevice(app, coach) for _ in range(PUSHERS)]
    puller = SimDevice(app, coach)
    written: set[str] = set()
    received: set[str] = set()
    done = threading.Event()
    errors: list[BaseException] = []

    def push(device: SimDevice):
        try:
            for _ in range(BATCHES):
                for _ in range(PER_BATCH):
                    written.add(
                        device.upsert(
                            "participant", first_name="A", last_name="B", coach_id=coach.id
                        )
                    )
                device.push()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    def follow():
        try:
            while not done.is_set():
                puller.pull(limit=5)
                received.update(i for t, i in puller.replica.records if t == "participant")
                time.sleep(0.005)
        except BaseException as error:
            errors.append(error)

    undo = _slow_commits(db.engine, longest_pause)
    try:
        threads = [threading.Thread(target=push, args=(d,)) for d in pushers]
        follower = threading.Thread(target=follow)
        follower.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        done.set()
        follower.join(timeout=30)
    finally:
        undo()
    assert not errors, errors
    # One last pull from where the puller's cursor stopped: nothing may be missing.
    puller.pull()
    received.update(i for t, i in puller.replica.records if t == "participant")
    return written, received


def test_concurrent_pushers_and_a_following_puller_lose_nothing(app, factory):
    written, received = _run(app, factory)
    assert len(written) == PUSHERS * BATCHES * PER_BATCH
    assert written - received == set()


def test_without_the_feed_lock_the_trap_is_real(app, factory, monkeypatch):
    monkeypatch.setattr(feed, "lock_feed", lambda connection: None)
    # Longer pauses and more tries: the race must be provoked, not just allowed.
    for _attempt in range(10):
        written, received = _run(app, factory, longest_pause=0.08)
        if written - received:
            return
    pytest.fail("no change was skipped without the lock: the harness does not provoke the trap")
