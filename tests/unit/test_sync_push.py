"""Push: P1–P9 of docs/sync-protocol.md against the in-memory store (what every
store must do is in tests/integration/test_sync_store_contract.py)."""

import pytest

from sync.errors import ProtocolError
from sync.hlc import Stamp
from sync.memory_store import MemoryStore
from sync.protocol import MAX_BATCH, apply_push
from sync.store import StaleState
from tests.support.engine_device import DRIFT_MS, NOW_MS, Device, new_id


def statuses(results):
    return [r["status"] for r in results]


def test_one_bad_mutation_does_not_block_the_others():
    store, a = MemoryStore(), Device("dev-a", 1)
    good = a.upsert("goal", new_id(), title="ok")
    bad_id = {**a.upsert("goal", new_id(), title="x"), "mutation_id": "nope"}
    unknown_field = a.upsert("goal", new_id(), title="x", colour="red")
    unknown_type = a.upsert("widget", new_id(), size=3)
    results = a.push(store, [bad_id, good, unknown_field, unknown_type])
    assert statuses(results) == ["rejected", "applied", "rejected", "rejected"]
    assert results[0] == {
        "mutation_id": "nope",
        "status": "rejected",
        "errors": {"mutation_id": ["must be a UUID"]},
    }
    assert results[2]["errors"] == {"colour": ["unknown field"]}
    assert results[3]["errors"] == {"record_type": ["unknown record type"]}
    assert len(store.states) == 1


def test_a_rejected_mutation_is_not_recorded_so_a_fixed_retry_can_apply():
    store, a = MemoryStore(), Device("dev-a", 1)
    record = new_id()
    a.upsert("assessment", record, rating=4)
    a.push(store)
    second = a.upsert("assessment", record, rating=2)
    assert statuses(a.push(store, [second])) == ["rejected"]
    assert statuses(a.push(store, [second])) == ["rejected"]
    assert second["mutation_id"] not in store.applied


def test_too_many_mutations_refuse_the_whole_push():
    store, a = MemoryStore(), Device("dev-a", 1)
    batch = [a.upsert("goal", new_id(), title="x") for _ in range(MAX_BATCH + 1)]
    with pytest.raises(ProtocolError) as caught:
        apply_push(store, batch, a.context())
    assert caught.value.status == 413
    assert caught.value.errors == {
        "mutations": ["at most 500 mutations per push; send the rest next"]
    }
    assert store.states == {}
    assert len(a.push(store, batch[:MAX_BATCH])) == MAX_BATCH


def test_a_push_that_is_not_a_list_is_refused():
    with pytest.raises(ProtocolError) as caught:
        apply_push(MemoryStore(), {"mutations": []}, Device("dev-a", 1).context())
    assert caught.value.errors == {"mutations": ["must be a list"]}


def test_unauthorized_mutations_are_rejected_naming_the_record():
    def rule(user_id, m):
        return None if m.fields.get("title") != "secret" else "not permitted"

    store, a = MemoryStore(rule), Device("dev-a", 1)
    results = a.push(
        store,
        [a.upsert("goal", new_id(), title="secret"), a.upsert("goal", new_id(), title="fine")],
    )
    assert results[0]["errors"] == {"record_id": ["not permitted"]}
    assert statuses(results) == ["rejected", "applied"]


def test_a_mutation_the_store_did_not_answer_for_is_refused():
    class Forgetful(MemoryStore):
        def authorize(self, user_id, mutations):
            return {}

    store, a = Forgetful(), Device("dev-a", 1)
    [result] = a.push(store, [a.upsert("goal", new_id(), title="x")])
    assert result["errors"] == {"record_id": ["not permitted"]}


class CountingStore(MemoryStore):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name in {"seen", "authorize", "load", "frozen", "write"}:
            self.calls.append(name)
        return super().__getattribute__(name)


def test_a_push_makes_a_fixed_number_of_store_calls_however_large():
    store, a = CountingStore(), Device("dev-a", 1)
    for _ in range(200):
        a.upsert("goal", new_id(), title="x")
        a.upsert("assessment", new_id(), rating=3)
    a.push(store)
    assert sorted(store.calls) == sorted(
        ["seen", "authorize", "load", "frozen", "load", "frozen", "write"]
    )


def test_a_stale_write_is_retried_with_fresh_reads():
    class RacedOnce(MemoryStore):
        raced = False

        def write(self, batch):
            if not self.raced:  # another push commits a write to the same record first
                self.raced = True
                other.push(self)
                raise StaleState("raced")
            super().write(batch)

    store, other = RacedOnce(), Device("dev-b", 2)
    a = Device("dev-a", 1, now_ms=lambda: NOW_MS + 1)  # edits a moment after dev-b
    record = new_id()
    other.upsert("goal", record, title="B", status="open")
    a.upsert("goal", record, title="A")
    [result] = a.push(store)
    assert result["status"] == "conflict"
    assert store.states[("goal", record)].fields == {"title": "A", "status": "open"}


def test_a_write_that_stays_stale_gives_up():
    class AlwaysStale(MemoryStore):
        def write(self, batch):
            raise StaleState("raced")

    a = Device("dev-a", 1)
    a.upsert("goal", new_id(), title="A")
    with pytest.raises(StaleState):
        a.push(AlwaysStale())


def test_a_clock_far_ahead_is_bounded_recorded_and_cannot_win_forever():
    year_ms = 365 * 24 * 3600 * 1000
    store = MemoryStore()
    ahead = Device("dev-a", 1, now_ms=lambda: NOW_MS + year_ms)
    honest_now = [NOW_MS]
    honest = Device("dev-b", 2, now_ms=lambda: honest_now[0])
    record = new_id()
    ahead.upsert("goal", record, title="from the future")
    ahead.push(store)
    assert store.skew_ms["dev-a"] == year_ms
    meta = store.states[("goal", record)].meta["title"]
    assert Stamp.parse(meta.stamp).wall_ms == NOW_MS + DRIFT_MS

    honest_now[0] = NOW_MS + DRIFT_MS + 1  # a minute later, without having seen it
    honest.upsert("goal", record, title="now")
    [result] = honest.push(store, server_now_ms=honest_now[0])
    assert store.states[("goal", record)].fields["title"] == "now"
    assert result["status"] == "conflict"  # concurrent: the bounded value is kept


def test_a_bounded_devices_own_edits_keep_their_order_whatever_order_they_arrive_in():
    year_ms = 365 * 24 * 3600 * 1000
    wall = [NOW_MS + year_ms]
    store, a = MemoryStore(), Device("dev-a", 1, now_ms=lambda: wall[0])
    record = new_id()
    first = a.upsert("goal", record, title="first")
    wall[0] += 10
    second = a.upsert("goal", record, title="second")
    # Sent in reverse, in pushes the server bounds at different times: bounded,
    # "first" would carry the larger stamp; the device's own order still holds.
    assert statuses(a.push(store, [second], server_now_ms=NOW_MS)) == ["applied"]
    assert statuses(a.push(store, [first], server_now_ms=NOW_MS + 5_000)) == ["applied"]
    assert store.states[("goal", record)].fields["title"] == "second"
    assert store.conflicts == {}


def test_edits_to_signed_content_become_signed_conflicts():
    store, a = MemoryStore(), Device("dev-a", 1)
    record = new_id()
    a.upsert("goal", record, title="Signed")
    a.push(store)
    a.pull(store)
    store.freeze("goal", record)
    a.upsert("goal", record, title="Changed")
    [result] = a.push(store)
    assert result["status"] == "conflict"
    [conflict] = store.conflicts.values()
    assert conflict.kind == "signed" and result["conflict_ids"] == [conflict.id]
    assert store.states[("goal", record)].fields["title"] == "Signed"


def test_a_pushed_resolution_marks_its_conflict_resolved():
    store, a, b = MemoryStore(), Device("dev-a", 1), Device("dev-b", 2)
    record = new_id()
    a.upsert("goal", record, title="A")
    b.upsert("goal", record, title="B")
    a.push(store)
    b.push(store)
    [conflict] = store.conflicts.values()
    a.pull(store)
    resolution = a.upsert("goal", record, title="A ja B")
    resolution["resolves"] = [conflict.id]
    [result] = a.push(store)
    assert result["status"] == "applied"
    assert store.resolved == {conflict.id: resolution["mutation_id"]}
    assert store.open_conflicts(("goal", record)) == ()


def test_a_resolution_cannot_settle_another_records_conflict():
    store, a, b = MemoryStore(), Device("dev-a", 1), Device("dev-b", 2)
    record = new_id()
    a.upsert("goal", record, title="A")
    b.upsert("goal", record, title="B")
    a.push(store)
    b.push(store)
    [conflict] = store.conflicts.values()
    stray = a.upsert("goal", new_id(), title="x")
    stray["resolves"] = [conflict.id]
    a.push(store)
    assert store.resolved == {}
