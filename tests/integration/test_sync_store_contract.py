"""The SyncStore contract (sync/store.py), one suite for every store: the
in-memory reference store of sync/ and the server's SqlStore on SQLite and
PostgreSQL run the same cases through the same engine (sync/protocol.py).

A store that passes here keeps the protocol's promises: pushes apply once,
replays change nothing, concurrent edits leave open conflicts that pulls
list and resolutions close, stale writes write nothing, and pages follow
each other without gaps or repeats.
"""

import uuid

import pytest

from server.extensions import db
from server.models import Device, User
from server.sync_api.fields import policies
from server.sync_api.scopes import PullScope
from server.sync_api.store import SqlStore
from sync.hlc import Clock
from sync.memory_store import MemoryStore
from sync.protocol import PushContext, apply_push, pull
from sync.record import DELETED
from sync.results import PushResult
from sync.store import StaleState, WriteSet

NOW_MS = 1_790_000_000_000
DRIFT_MS = 60_000


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def db_backend(request):
    """Overrides the two-database parameter of conftest: one more, the memory store."""
    return request.param


class MemoryBackend:
    def __init__(self):
        self.memory = MemoryStore()
        self.coach_id = 1
        self.devices = ["device-a", "device-b"]

    def scope(self):
        return None

    def store(self):
        return self.memory

    def commit(self):
        pass

    def rollback(self):
        pass

    def skew_ms(self, device_id: str) -> int:
        return self.memory.skew_ms.get(device_id, 0)


class SqlBackend:
    def __init__(self, factory):
        coach = factory.user("coach")
        self.coach_id = coach.id
        self.devices = [factory.device(coach).id, factory.device(coach).id]
        db.session.commit()

    def scope(self):
        """Read at each pull, as the server does (a coach's caseload grows)."""
        return PullScope.of(db.session.get(User, self.coach_id), db.session)

    def store(self):
        return SqlStore(db.session.connection())

    def commit(self):
        db.session.commit()

    def rollback(self):
        db.session.rollback()

    def skew_ms(self, device_id: str) -> int:
        db.session.expire_all()
        return db.session.get(Device, device_id).max_clock_skew_ms


@pytest.fixture
def backend(request, db_backend):
    if db_backend == "memory":
        return MemoryBackend()
    request.getfixturevalue("app")
    return SqlBackend(request.getfixturevalue("factory"))


class SyncingDevice:
    """The few duties of a device the contract needs: stamp, push, pull pages."""

    def __init__(self, backend, device_id: str, now_ms=lambda: NOW_MS):
        self.backend, self.device_id = backend, device_id
        self.clock = Clock(device_id, now_ms)
        self.versions: dict[tuple[str, str], int] = {}

    def mutation(self, record_type, record_id, op="upsert", **fields) -> dict:
        return {
            "mutation_id": str(uuid.uuid4()),
            "record_type": record_type,
            "record_id": record_id,
            "op": op,
            "fields": fields,
            "stamp": self.clock.send().pack(),
            "base_version": self.versions.get((record_type, record_id), 0),
        }

    def push(self, mutations: list[dict], skew_ms: int = 0) -> list[dict]:
        context = PushContext(
            self.device_id, self.backend.coach_id, NOW_MS - skew_ms, DRIFT_MS, policies()
        )
        results = apply_push(self.backend.store(), mutations, context)
        self.backend.commit()
        return [r.to_wire() for r in results]

    def page(self, cursor=None, limit=1000) -> dict:
        store = self.backend.store()
        wire = pull(store, cursor, self.backend.scope(), limit, server_now_ms=NOW_MS).to_wire()
        self.backend.commit()
        for change in wire["changes"]:
            self.versions[(change["record_type"], change["record_id"])] = change["version"]
        return wire


@pytest.fixture
def devices(backend):
    return [SyncingDevice(backend, device_id) for device_id in backend.devices]


def participant(backend, **fields) -> dict:
    return {"first_name": "Aino", "last_name": "Laine", "coach_id": backend.coach_id, **fields}


def new_id() -> str:
    return str(uuid.uuid4())


def test_a_push_applies_once_and_a_pull_lists_each_record_at_its_latest_version(backend, devices):
    a, _ = devices
    first, second = new_id(), new_id()
    sent = [
        a.mutation("participant", first, **participant(backend)),
        a.mutation("participant", second, **participant(backend, first_name="Eino")),
        a.mutation("participant", first, municipality="Oulu"),
    ]
    results = a.push(sent)
    assert [r["mutation_id"] for r in results] == [m["mutation_id"] for m in sent]
    assert [(r["status"], r["version"]) for r in results] == [
        ("applied", 1),
        ("applied", 1),
        ("applied", 2),
    ]
    page = a.page()
    changes = {c["record_id"]: c for c in page["changes"]}
    assert set(changes) == {first, second} and page["more"] is False
    assert page["server_time_ms"] == NOW_MS
    assert set(changes[first]) == {
        "record_type",
        "record_id",
        "version",
        "deleted",
        "fields",
        "stamps",
    }
    assert changes[first]["version"] == 2
    assert changes[first]["fields"]["municipality"] == "Oulu"
    assert changes[second]["fields"]["first_name"] == "Eino"
    assert a.page(page["cursor"])["changes"] == []


def test_a_replayed_batch_is_duplicates_and_changes_nothing(backend, devices):
    a, _ = devices
    record = new_id()
    batch = [a.mutation("participant", record, **participant(backend))]
    a.push(batch)
    cursor = a.page()["cursor"]
    before = backend.store().load("participant", [record])
    assert [r["status"] for r in a.push(batch + batch)] == ["duplicate", "duplicate"]
    assert backend.store().load("participant", [record]) == before
    assert a.page(cursor)["changes"] == []
    assert backend.store().seen([batch[0]["mutation_id"], new_id()]) == {batch[0]["mutation_id"]}


def test_a_mutation_repeated_within_a_batch_merges_once(backend, devices):
    a, _ = devices
    m = a.mutation("participant", new_id(), **participant(backend))
    assert [r["status"] for r in a.push([m, m])] == ["applied", "duplicate"]


def test_concurrent_edits_leave_an_open_conflict_that_a_resolution_closes(backend, devices):
    a, b = devices
    record = new_id()
    a.push([a.mutation("participant", record, **participant(backend))])
    b.page()
    a.page()
    a.push([a.mutation("participant", record, municipality="Oulu")])
    [result] = b.push([b.mutation("participant", record, municipality="Kempele")])
    assert result["status"] == "conflict"
    [conflict_id] = result["conflict_ids"]
    page = b.page()
    assert [c["conflict_id"] for c in page["conflicts"]] == [conflict_id]
    [conflict] = page["conflicts"]
    assert (conflict["record_id"], conflict["field"], conflict["kind"]) == (
        record,
        "municipality",
        "value",
    )
    resolution = b.mutation("participant", record, municipality="Oulu")
    resolution["resolves"] = [conflict_id]
    assert b.push([resolution])[0]["status"] == "applied"
    after = b.page(page["cursor"])
    assert [c["record_id"] for c in after["changes"]] == [record]
    assert after["conflicts"] == []


def test_a_write_against_a_stale_version_raises_and_writes_nothing(backend, devices):
    a, b = devices
    record = new_id()
    a.push([a.mutation("participant", record, **participant(backend))])
    loaded = backend.store().load("participant", [record])[record]
    backend.commit()
    b.page()
    b.push([b.mutation("participant", record, municipality="Kempele")])
    stale = WriteSet(a.device_id, backend.coach_id, [loaded], {("participant", record): 1}, [], [])
    with pytest.raises(StaleState):
        backend.store().write(stale)
    backend.rollback()
    state = backend.store().load("participant", [record])[record]
    assert (state.version, state.fields["municipality"]) == (2, "Kempele")


def test_a_mutation_id_applied_twice_raises_stale(backend, devices):
    a, _ = devices
    m = a.mutation("participant", new_id(), **participant(backend))
    a.push([m])
    again = WriteSet(
        a.device_id, backend.coach_id, [], {}, [], [PushResult(m["mutation_id"], "applied")]
    )
    with pytest.raises(StaleState):
        backend.store().write(again)
    backend.rollback()


def test_pages_follow_each_other_without_gaps_or_repeats(backend, devices):
    a, _ = devices
    ids = [new_id() for _ in range(5)]
    a.push([a.mutation("participant", i, **participant(backend)) for i in ids])
    got, cursor, mores = [], None, []
    while True:
        page = a.page(cursor, limit=2)
        got += [c["record_id"] for c in page["changes"]]
        mores.append(page["more"])
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert got == ids
    assert mores == [True, True, False]


def test_a_delete_pulls_as_a_tombstone(backend, devices):
    a, _ = devices
    record = new_id()
    a.push([a.mutation("participant", record, **participant(backend))])
    a.page()
    delete = a.mutation("participant", record, op="delete")
    assert a.push([delete])[0]["status"] == "applied"
    [change] = a.page()["changes"]
    assert change["deleted"] is True and change["fields"] == {}
    assert change["stamps"] == {DELETED: delete["stamp"]}


def test_the_largest_clock_skew_a_device_claimed_is_kept(backend, devices):
    a, _ = devices
    a.push([a.mutation("participant", new_id(), **participant(backend))], skew_ms=5_000)
    a.push([a.mutation("participant", new_id(), **participant(backend))], skew_ms=1_000)
    assert backend.skew_ms(a.device_id) == 5_000
