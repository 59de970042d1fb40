"""A device as the coach's app behaves (L7), on the sync engine alone (sync/, in
memory, no server): for the push, pull and convergence unit tests.
tests/support/device.py's SimDevice is the same device through the real app."""

import uuid

from sync.hlc import Clock, Stamp
from sync.policy import TypePolicy
from sync.protocol import PushContext, apply_push, pull

POLICIES = {
    "goal": TypePolicy("goal", frozenset({"title", "status", "note"})),
    "assessment": TypePolicy("assessment", frozenset({"rating", "comment"}), append_only=True),
}
NOW_MS = 1_700_000_000_000
DRIFT_MS = 60_000


class Device:
    """The device's duties: stamp every write with its clock, take base_version only
    from pulls, take in every pulled stamp, and replace its copy with what it pulls."""

    def __init__(self, device_id: str, user_id: int, now_ms=lambda: NOW_MS) -> None:
        self.device_id, self.user_id = device_id, user_id
        self.clock = Clock(device_id, now_ms)
        self.records: dict[tuple[str, str], dict] = {}  # wire changes, as pulled
        self.conflicts: dict[tuple[str, str], list[dict]] = {}
        self.cursor: str | None = None
        self.outbox: list[dict] = []

    def upsert(self, record_type: str, record_id: str, **fields) -> dict:
        return self._write(record_type, record_id, "upsert", fields)

    def delete(self, record_type: str, record_id: str) -> dict:
        return self._write(record_type, record_id, "delete", {})

    def _write(self, record_type, record_id, op, fields) -> dict:
        seen = self.records.get((record_type, record_id))
        m = {
            "mutation_id": str(uuid.uuid4()),
            "record_type": record_type,
            "record_id": record_id,
            "op": op,
            "fields": fields,
            "stamp": self.clock.send().pack(),
            # What the device has pulled, never a version from a push result:
            # that version may include other devices' writes it has not seen.
            "base_version": seen["version"] if seen else 0,
        }
        self.outbox.append(m)
        return m

    def context(self, server_now_ms=NOW_MS) -> PushContext:
        return PushContext(self.device_id, self.user_id, server_now_ms, DRIFT_MS, POLICIES)

    def push(self, store, mutations=None, server_now_ms=NOW_MS) -> list[dict]:
        batch = self.outbox if mutations is None else mutations
        results = [r.to_wire() for r in apply_push(store, batch, self.context(server_now_ms))]
        done = {r["mutation_id"] for r in results}  # every status is final
        self.outbox = [m for m in self.outbox if m["mutation_id"] not in done]
        return results

    def pull(self, store, scope=None, limit=1000) -> None:
        more = True
        while more:
            page = pull(store, self.cursor, scope, limit, server_now_ms=NOW_MS).to_wire()
            self.apply(page)
            more = page["more"]

    def apply(self, page: dict) -> None:
        for change in page["changes"]:
            key = (change["record_type"], change["record_id"])
            self.records[key] = change
            self.conflicts[key] = []  # the page lists all open conflicts of a changed record
            for stamp in change["stamps"].values():
                self.clock.receive(Stamp.parse(stamp))
        for conflict in page["conflicts"]:
            self.conflicts[(conflict["record_type"], conflict["record_id"])].append(conflict)
        for removal in page["removals"]:
            key = (removal["record_type"], removal["record_id"])
            self.records.pop(key, None)
            self.conflicts.pop(key, None)
        # Saved only after the page is applied, so a crash re-pulls it.
        self.cursor = page["cursor"]


def new_id() -> str:
    return str(uuid.uuid4())
