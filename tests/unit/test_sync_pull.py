"""Pull: L1–L6 of docs/sync-protocol.md against the in-memory store (what every
store must do is in tests/integration/test_sync_store_contract.py)."""

import base64

import pytest

from sync.cursor import decode_cursor, encode_cursor
from sync.errors import ProtocolError
from sync.memory_store import MemoryStore
from sync.protocol import MAX_PULL_PAGE, pull
from sync.record import RecordState
from sync.store import Change, Skipped
from tests.support.engine_device import NOW_MS, Device, new_id


def page(store, cursor=None, scope=None, limit=MAX_PULL_PAGE):
    return pull(store, cursor, scope, limit, server_now_ms=NOW_MS).to_wire()


def seeded(count):
    store, a = MemoryStore(), Device("dev-a", 1)
    ids = [new_id() for _ in range(count)]
    for record in ids:
        a.upsert("goal", record, title=record[:4])
    a.push(store)
    return store, a, ids


def test_the_cursor_tells_the_store_when_a_backlog_is_being_paged():
    class Spy(MemoryStore):
        hints: list

        def changes_after(self, position, scope, limit, backlog=False):
            self.hints.append(backlog)
            return super().changes_after(position, scope, limit)

    store, _, _ = seeded(5)
    store.__class__ = Spy
    store.hints, cursor = [], None
    for _ in range(4):  # pages of 2, 2 and 1, then an incremental pull
        cursor = page(store, cursor, limit=2)["cursor"]
    # Only the pulls after a full page hint at a backlog.
    assert store.hints == [False, True, True, False]


def test_revoked_access_sends_a_removal_and_hides_the_record():
    store, a, [kept, moved] = seeded(2)
    coach = Device("dev-c", 3)
    coach.pull(store, scope="coach-3")
    store.revoke("coach-3", "goal", moved)
    a.upsert("goal", moved, status="open")  # later changes stay hidden too
    a.push(store)
    p = page(store, coach.cursor, scope="coach-3")
    assert p["removals"] == [{"record_type": "goal", "record_id": moved}]
    assert p["changes"] == []
    coach.apply(p)
    assert set(coach.records) == {("goal", kept)}
    # Other scopes are unaffected.
    assert {c["record_id"] for c in page(store, scope="coach-4")["changes"]} == {kept, moved}


def test_granted_access_sends_the_records_current_state():
    store, _, [record] = seeded(1)
    store.revoke("coach-3", "goal", record)
    cursor = page(store, scope="coach-3")["cursor"]
    store.grant("coach-3", "goal", record)
    p = page(store, cursor, scope="coach-3")
    assert [c["record_id"] for c in p["changes"]] == [record]
    assert p["removals"] == []


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "bm90IGpzb24",
        base64.urlsafe_b64encode(b'{"v":2,"p":1}').decode(),
        base64.urlsafe_b64encode(b'{"v":1,"p":-1}').decode(),
        base64.urlsafe_b64encode(b'{"v":1,"p":"7"}').decode(),
        base64.urlsafe_b64encode(b"[1]").decode(),
        5,
    ],
)
def test_a_bad_cursor_is_a_clear_error(cursor):
    with pytest.raises(ProtocolError) as caught:
        page(MemoryStore(), cursor)
    assert caught.value.errors == {
        "cursor": ["not a cursor from this server; pull again without one"]
    }


def test_cursor_round_trip_is_url_safe():
    token = encode_cursor(123_456_789)
    assert decode_cursor(token) == (123_456_789, False)
    assert decode_cursor(encode_cursor(7, backlog=True)) == (7, True)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize("limit", [0, -3, "10", 2.5])
def test_a_bad_limit_is_a_clear_error(limit):
    with pytest.raises(ProtocolError) as caught:
        page(MemoryStore(), limit=limit)
    assert caught.value.errors == {"limit": ["must be a positive integer"]}


def test_a_limit_above_the_maximum_is_capped():
    class Spy(MemoryStore):
        def changes_after(self, position, scope, limit, backlog=False):
            self.asked = limit
            return super().changes_after(position, scope, limit)

    store = Spy()
    page(store, limit=10 * MAX_PULL_PAGE)
    assert store.asked == MAX_PULL_PAGE + 1


def test_a_conflict_from_a_write_that_lost_still_reaches_devices_that_pulled():
    store, a, [record] = seeded(1)
    b = Device("dev-b", 2, now_ms=lambda: NOW_MS - 1_000)  # its edit loses
    observer = Device("dev-c", 3)
    a.pull(store)
    a.upsert("goal", record, title="A")
    a.push(store)
    observer.pull(store)
    b.upsert("goal", record, title="B")
    b.push(store)
    p = page(store, observer.cursor)
    assert [c["version"] for c in p["changes"]] == [2]  # unchanged record, listed again
    assert [c["kind"] for c in p["conflicts"]] == ["value"]


def test_keeping_the_winner_settles_the_conflict_on_every_device():
    store, a, [record] = seeded(1)
    b = Device("dev-b", 2, now_ms=lambda: NOW_MS - 1_000)
    a.pull(store)
    b.pull(store)
    a.upsert("goal", record, title="A")
    b.upsert("goal", record, title="B")
    a.push(store)
    b.push(store)
    b.pull(store)
    [conflict] = b.conflicts[("goal", record)]
    fix = b.upsert("goal", record, title="A")  # the value already there
    fix["resolves"] = [conflict["conflict_id"]]
    b.push(store)
    a.pull(store)
    assert a.conflicts[("goal", record)] == []


def test_entries_of_one_position_are_never_split_across_pages():
    # A grant lists a participant's whole history at one feed position.
    class GrantStore:
        def __init__(self):
            self.history = [
                Change.of(1, RecordState("goal", f"g{i}", {"title": str(i)}, version=1))
                for i in range(3)
            ] + [Change.of(2, RecordState("goal", f"h{i}", {}, version=1)) for i in range(5)]

        def changes_after(self, position, scope, limit, backlog=False):
            # Like the server's store: whole positions, the last one complete.
            after = [e for e in self.history if e.position > position]
            if len(after) <= limit:
                return after
            last = after[limit - 1].position
            return [e for e in after if e.position <= last]

    store = GrantStore()
    first = pull(store, None, "scope", limit=4, server_now_ms=0)
    assert [c["record_id"] for c in first.to_wire()["changes"]] == ["g0", "g1", "g2"] and first.more
    second = pull(store, first.cursor, "scope", limit=4, server_now_ms=0)
    assert len(second.changes) == 5  # one position larger than a page: all of it
    # "more" may then promise a page that turns out empty; it never hides one.
    third = pull(store, second.cursor, "scope", limit=4, server_now_ms=0)
    assert third.changes == [] and not third.more


def test_the_cursor_moves_past_what_the_store_read_and_dropped():
    """L3b/L5: a store that read on past its last entry (the rows after it were
    dropped) ends its list with Skipped; the cursor goes there when nothing
    more follows, and stays at the page's end when more does."""

    class Dropping(MemoryStore):
        def changes_after(self, position, scope, limit, backlog=False):
            entries = super().changes_after(position, scope, limit)
            return entries if len(entries) >= limit else [*entries, Skipped(40)]

    store, _, _ = seeded(3)
    store.__class__ = Dropping
    assert decode_cursor(page(store)["cursor"]).position == 40
    assert decode_cursor(page(store, encode_cursor(40))["cursor"]).position == 40
    full = page(store, limit=2)
    assert full["more"] and decode_cursor(full["cursor"]).position == 2
