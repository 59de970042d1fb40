"""The in-memory device itself (tests/support/engine_device.py)."""

from sync.hlc import Stamp
from sync.memory_store import MemoryStore
from tests.support.engine_device import Device, new_id


def test_a_device_bases_edits_on_what_it_pulled_and_stamps_after_it():
    store, a, b = MemoryStore(), Device("dev-a", 1), Device("dev-b", 2, now_ms=lambda: 5)
    record = new_id()
    a.upsert("goal", record, title="Kassa")
    a.push(store)
    assert a.outbox == []
    b.pull(store)
    m = b.upsert("goal", record, title="Kassa ja hyllytys")
    assert m["base_version"] == 1
    # b's wall clock is far behind, yet its edit is stamped after the one it saw.
    assert Stamp.parse(m["stamp"]) > Stamp.parse(b.records[("goal", record)]["stamps"]["title"])


def test_a_device_does_not_take_base_version_from_push_results():
    store, a = MemoryStore(), Device("dev-a", 1)
    record = new_id()
    a.upsert("goal", record, title="x")
    [result] = a.push(store)
    assert result["version"] == 1
    assert a.upsert("goal", record, title="y")["base_version"] == 0
