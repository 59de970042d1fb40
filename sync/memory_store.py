"""A SyncStore in memory: the reference implementation the tests run against.

Single-threaded. It still checks versions in `write` like a database store
must, so tests can exercise the StaleState path.
"""

from collections.abc import Callable, Hashable

from sync.conflicts import Conflict
from sync.mutation import Mutation
from sync.record import RecordState
from sync.results import PushResult
from sync.store import Change, RecordKey, Removal, StaleState, WriteSet

# (user_id, mutation) -> None when permitted, else the reason.
Rule = Callable[[int, Mutation], str | None]


def permit_all(user_id: int, mutation: Mutation) -> None:
    return None


class MemoryStore:
    def __init__(self, rule: Rule = permit_all) -> None:
        self.rule = rule
        self.states: dict[RecordKey, RecordState] = {}
        self.applied: dict[str, PushResult] = {}
        self.conflicts: dict[str, Conflict] = {}
        self.resolved: dict[str, str] = {}  # conflict id -> resolving mutation id
        self.signed: set[RecordKey] = set()
        self.skew_ms: dict[str, int] = {}
        # The change feed; an entry's position is its index + 1. Entries are
        # ("change", key, None), or ("grant" | "revoke", key, scope).
        self.feed: list[tuple[str, RecordKey, Hashable]] = []
        self._revoked: dict[Hashable, set[RecordKey]] = {}

    def seen(self, mutation_ids: list[str]) -> set[str]:
        return {i for i in mutation_ids if i in self.applied}

    def authorize(self, user_id: int, mutations: list[Mutation]) -> dict[str, str | None]:
        return {m.mutation_id: self.rule(user_id, m) for m in mutations}

    def load(self, record_type: str, record_ids: list[str]) -> dict[str, RecordState]:
        found = ((i, self.states.get((record_type, i))) for i in record_ids)
        return {i: state for i, state in found if state is not None}

    def frozen(self, record_type: str, record_ids: list[str]) -> set[str]:
        return {i for i in record_ids if (record_type, i) in self.signed}

    def write(self, batch: WriteSet) -> None:
        # Check everything before changing anything: all or nothing.
        for state in batch.states:
            key = (state.record_type, state.record_id)
            stored = self.states.get(key)
            if (stored.version if stored else 0) != batch.loaded_versions[key]:
                raise StaleState(key)
        if any(r.mutation_id in self.applied for r in batch.applied):
            raise StaleState("mutation already applied")

        touched: dict[RecordKey, None] = {}
        for state in batch.states:
            key = (state.record_type, state.record_id)
            self.states[key] = state
            touched[key] = None
        self.applied.update((r.mutation_id, r) for r in batch.applied)
        for conflict in batch.conflicts:
            self.conflicts.setdefault(conflict.id, conflict)
            touched[(conflict.record_type, conflict.record_id)] = None
        for conflict_id, m in batch.resolved.items():
            conflict = self.conflicts.get(conflict_id)
            key = (m.record_type, m.record_id)
            if conflict and (conflict.record_type, conflict.record_id) == key:
                self.resolved.setdefault(conflict_id, m.mutation_id)
                touched[key] = None
        self.feed.extend(("change", key, None) for key in touched)
        self.skew_ms[batch.device_id] = max(self.skew_ms.get(batch.device_id, 0), batch.skew_ms)

    def changes_after(
        self, position: int, scope: Hashable, limit: int, backlog: bool = False
    ) -> list[Change | Removal]:
        # Visibility is judged at read time, so entries before a revoke are
        # skipped too; the removal entry tells the device to drop its copy.
        entries: list[Change | Removal] = []
        revoked = self._revoked.get(scope, set())
        for index in range(position, len(self.feed)):
            kind, key, entry_scope = self.feed[index]
            if kind == "revoke" and entry_scope == scope:
                entries.append(Removal(index + 1, *key))
            elif kind != "revoke" and key not in revoked and entry_scope in (None, scope):
                entries.append(Change.of(index + 1, self.states[key], self.open_conflicts(key)))
            if len(entries) == limit:
                break
        return entries

    def open_conflicts(self, key: RecordKey) -> tuple[Conflict, ...]:
        return tuple(
            c
            for c in self.conflicts.values()
            if (c.record_type, c.record_id) == key and c.id not in self.resolved
        )

    def freeze(self, record_type: str, record_id: str) -> None:
        """An employer signed the record's content."""
        self.signed.add((record_type, record_id))

    def revoke(self, scope: Hashable, record_type: str, record_id: str) -> None:
        """`scope` loses access to the record."""
        key = (record_type, record_id)
        self._revoked.setdefault(scope, set()).add(key)
        self.feed.append(("revoke", key, scope))

    def grant(self, scope: Hashable, record_type: str, record_id: str) -> None:
        """`scope` (again) has access: the record's current state is listed for it."""
        key = (record_type, record_id)
        self._revoked.get(scope, set()).discard(key)
        self.feed.append(("grant", key, scope))
