"""Time-ordered record and mutation ids (UUID version 7)."""

import uuid

import pytest

from sync import ids
from sync.ids import uuid7


@pytest.fixture
def frozen_clock(monkeypatch):
    now = {"ns": 1_795_000_000_000 * 1_000_000}
    monkeypatch.setattr(ids.time, "time_ns", lambda: now["ns"])
    monkeypatch.setattr(ids, "_last_ms", 0)
    return now


def test_an_id_is_a_version_7_uuid_with_the_time_in_front(frozen_clock):
    value = uuid.UUID(uuid7())
    assert value.version == 7 and value.variant == uuid.RFC_4122
    assert value.int >> 80 == 1_795_000_000_000


def test_ids_made_in_one_millisecond_sort_in_the_order_they_were_made(frozen_clock):
    made = [uuid7() for _ in range(5_000)]  # more than the 4,096 a counter holds
    assert made == sorted(made) and len(set(made)) == len(made)
    # Past the counter's room the next millisecond is borrowed.
    assert uuid.UUID(made[-1]).int >> 80 == 1_795_000_000_001


def test_a_clock_stepping_back_does_not_reorder_ids(frozen_clock):
    before = uuid7()
    frozen_clock["ns"] -= 60_000 * 1_000_000  # a minute back
    after = uuid7()
    assert after > before


def test_the_random_part_differs_between_ids(frozen_clock):
    tails = {uuid7()[-12:] for _ in range(100)}
    assert len(tails) == 100
