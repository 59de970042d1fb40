"""Property: devices editing concurrently, delivered in any order, converge and lose nothing.

2–5 devices, each with its own clock, edit and delete a few shared records,
push random subsets of their outbox in random order (with duplicates and lost
responses, so retries) and pull now and then. Then:
(a) delivering the same mutations in other orders ends in the same values;
(b) after every device pulls, every copy equals the server's;
(c) every value ever written is current or kept in a conflict, unless its
    overwriter had seen it (a write or delete made on a copy showing it) or
    its own device wrote the field again later;
(d) replaying everything changes nothing.
"""

import copy
import json

from hypothesis import event, given, settings
from hypothesis import strategies as st

from sync.memory_store import MemoryStore
from sync.protocol import apply_push, pull
from sync.record import DELETED
from tests.support.engine_device import NOW_MS, Device

RECORDS = [
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "33333333-3333-4333-8333-333333333333",
]
FIELDS = ["title", "status", "note"]
VALUES = st.sampled_from(["a", "b", "c", 1, None])

record_index = st.integers(0, len(RECORDS) - 1)
edit = st.tuples(
    st.just("edit"),
    st.integers(0, 4),
    record_index,
    st.dictionaries(st.sampled_from(FIELDS), VALUES, min_size=1, max_size=2),
)
push = st.tuples(st.just("push"), st.integers(0, 4), st.booleans())  # bool: response lost
pull_ = st.tuples(st.just("pull"), st.integers(0, 4))
actions = st.lists(
    st.one_of(
        edit,
        edit,
        push,
        pull_,
        st.tuples(st.just("delete"), st.integers(0, 4), record_index),
        st.tuples(st.just("tick"), st.integers(0, 4), st.integers(0, 30)),
    ),
    min_size=10,
    max_size=40,
)


def canon(value) -> str:
    return json.dumps(value, sort_keys=True)


class World:
    """The live run: devices, the server, and what the test knows about causality."""

    def __init__(self, device_count: int, offsets: list[int]) -> None:
        self.walls = [NOW_MS - offsets[i] for i in range(device_count)]
        self.devices = [
            Device(f"dev-{i}", i + 1, now_ms=lambda i=i: self.walls[i]) for i in range(device_count)
        ]
        self.store = MemoryStore()
        self.created: list[tuple[Device, dict]] = []
        # (record, field, value) that some device overwrote or deleted while its copy showed it.
        self.seen_overwritten: set[tuple[str, str, str]] = set()

    def write(self, device: Device, record: str, fields: dict | None) -> None:
        shown = device.records.get(("goal", record))
        if shown and not shown["deleted"]:
            for name in shown["fields"] if fields is None else fields:
                if name in shown["fields"]:
                    self.seen_overwritten.add((record, name, canon(shown["fields"][name])))
        if fields is None:
            m = device.delete("goal", record)
        else:
            m = device.upsert("goal", record, **fields)
        self.created.append((device, m))

    def push(self, data, device: Device, response_lost: bool) -> None:
        # Any mutation the device ever made: unacknowledged ones, and retries
        # and duplicates of delivered ones; in any order.
        mine = [m for d, m in self.created if d is device]
        if not mine:
            return
        batch = data.draw(st.lists(st.sampled_from(mine), max_size=len(mine) + 2))
        if response_lost:
            apply_push(self.store, batch, device.context())
        else:
            device.push(self.store, batch)


def deliver(data, world: World, mutations: list[tuple[Device, dict]]) -> MemoryStore:
    """A fresh server receiving `mutations` in the given order, in small per-device batches."""
    store = MemoryStore()
    i = 0
    while i < len(mutations):
        device = mutations[i][0]
        size = data.draw(st.integers(1, 4))
        batch = []
        while i < len(mutations) and mutations[i][0] is device and len(batch) < size:
            batch.append(mutations[i][1])
            i += 1
        apply_push(store, batch, device.context())
    return store


def values(store: MemoryStore) -> dict:
    """The merged outcome per record: existence, every field (hidden ones too) and its stamp."""
    return {
        key: (
            state.deleted,
            state.delete_meta.stamp if state.deleted else None,
            state.fields,
            state.stamps(),
        )
        for key, state in store.states.items()
    }


def kept_values(store: MemoryStore) -> set[tuple[str, str, str]]:
    kept = set()
    for (_, record), state in store.states.items():
        kept.update((record, name, canon(value)) for name, value in state.fields.items())
    for conflict in store.conflicts.values():
        for v in conflict.values:
            if conflict.field != DELETED:
                kept.add((conflict.record_id, conflict.field, canon(v.value)))
            elif v.value is not None:
                kept.update((conflict.record_id, n, canon(x)) for n, x in v.value.items())
    return kept


def superseded_by_own_device(world: World, device: Device, m: dict, name: str) -> bool:
    return any(
        d is device
        and later["record_id"] == m["record_id"]
        and later["stamp"] > m["stamp"]
        and (later["op"] == "delete" or name in later["fields"])
        for d, later in world.created
    )


@settings(max_examples=1000, deadline=None)
@given(data=st.data(), device_count=st.integers(2, 5), script=actions)
def test_devices_converge_and_no_value_is_lost(data, device_count, script):
    offsets = data.draw(st.lists(st.integers(0, 200), min_size=5, max_size=5))
    world = World(device_count, offsets)
    for action in script:
        kind, who = action[0], world.devices[action[1] % device_count]
        if kind == "edit":
            world.write(who, RECORDS[action[2]], action[3])
        elif kind == "delete":
            world.write(who, RECORDS[action[2]], None)
        elif kind == "push":
            world.push(data, who, response_lost=action[2])
        elif kind == "pull":
            who.pull(world.store)
        else:
            world.walls[action[1] % device_count] += action[2]
    for device in world.devices:
        device.push(world.store)
    for device in world.devices:
        device.pull(world.store)
    store = world.store
    for kind in sorted({c.kind for c in store.conflicts.values()}):
        event(f"conflict: {kind}")
    event(f"mutations: {len(world.created) // 10 * 10}+")

    # (a) Other delivery orders of the same mutations end in the same values.
    once = list({m["mutation_id"]: (d, m) for d, m in world.created}.values())
    for order in (data.draw(st.permutations(once)), once[::-1]):
        assert values(deliver(data, world, order)) == values(store)

    # (b) Every device's copy is the server's, conflicts included.
    fresh = pull(store, None, None, server_now_ms=NOW_MS).to_wire()
    server_copy = {(c["record_type"], c["record_id"]): c for c in fresh["changes"]}
    open_conflicts = sorted(c["conflict_id"] for c in fresh["conflicts"])
    for device in world.devices:
        assert device.records == server_copy
        held = sorted(c["conflict_id"] for cs in device.conflicts.values() for c in cs)
        assert held == open_conflicts
    for key, change in server_copy.items():
        state = store.states[key]
        assert (change["version"], change["deleted"]) == (state.version, state.deleted)
        if not state.deleted:
            assert change["fields"] == state.fields

    # (c) Nothing written is lost unless it was knowingly overwritten.
    kept = kept_values(store)
    for device, m in world.created:
        for name, value in m["fields"].items():
            written = (m["record_id"], name, canon(value))
            assert (
                written in kept
                or written in world.seen_overwritten
                or superseded_by_own_device(world, device, m, name)
            ), f"lost {written} from {m['mutation_id']}"

    # (d) Replaying every mutation changes nothing.
    before = copy.deepcopy((store.states, store.conflicts, store.applied, store.feed))
    for device in world.devices:
        mine = [m for d, m in world.created if d is device]
        for start in range(0, len(mine), 7):
            results = apply_push(store, mine[start : start + 7], device.context())
            assert {r.status for r in results} <= {"duplicate"}
    assert (store.states, store.conflicts, store.applied, store.feed) == before
