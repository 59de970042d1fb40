"""The storage interface the server implements for the sync engine (see docs/sync-protocol.md).

Every method takes or returns a whole batch: a push makes a fixed, small
number of store calls however many mutations it carries.
"""

from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from sync.conflicts import Conflict
from sync.mutation import Mutation
from sync.record import RecordState, wire_json
from sync.results import PushResult

RecordKey = tuple[str, str]  # (record_type, record_id)


class StaleState(Exception):
    """Raised by `write` when a record or mutation id changed after it was read.

    Nothing was written; `apply_push` runs again from P4 with fresh reads.
    """


@dataclass(frozen=True, slots=True)
class WriteSet:
    """Everything one push changes, written by `SyncStore.write` in one transaction."""

    device_id: str
    user_id: int
    states: list[RecordState]  # the new state of each changed record
    # Version of each record in `states` as `load` returned it; 0 = did not exist.
    loaded_versions: dict[RecordKey, int]
    conflicts: list[Conflict]  # new, open
    applied: list[PushResult]  # one per merged mutation: record its id, never merge it again
    resolved: dict[str, Mutation] = field(default_factory=dict)  # conflict id -> resolving mutation
    skew_ms: int = 0  # how far ahead of the server the device's stamps claimed to be (max)


class Change(NamedTuple):
    """A record in the change feed: its current state, rendered, and its open conflicts.

    The state comes as the JSON text of `sync.record.wire_form`, not as a
    RecordState: pull only passes it on, so a store may have the database
    render it (the server's does) instead of decoding and encoding every record.
    A named tuple: a page makes a thousand, and a frozen dataclass costs
    twice as much to build.
    """

    position: int
    record_type: str
    record_id: str
    record_json: str
    conflicts: tuple[Conflict, ...] = ()
    # Whose data the record is (the server's scope; None: nobody's, or a store
    # that does not know): the server's audit of a pull counts by it.
    participant_id: str | None = None

    @classmethod
    def of(cls, position: int, state: RecordState, conflicts: tuple[Conflict, ...] = ()):
        return cls(position, state.record_type, state.record_id, wire_json(state), conflicts)


@dataclass(frozen=True, slots=True)
class Removal:
    """The pulling user lost access to a record: its device must drop its copy."""

    position: int
    record_type: str
    record_id: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """The store read the feed through `position`, and nothing after its last
    entry was for this scope (the server's check of each record's current
    scope dropped it, L3b): the cursor may move past it, or every later pull
    would read the same rows again. Only ever last in what `changes_after`
    returns."""

    position: int


class SyncStore(Protocol):
    def seen(self, mutation_ids: list[str]) -> set[str]:
        """P4: the ids among `mutation_ids` that an earlier push already merged."""
        ...

    def authorize(
        self, user_id: int, mutations: list[Mutation]
    ) -> dict[str, str | dict[str, list[str]] | None]:
        """P5: mutation id -> None if `user_id` may make it, else the reason (e.g.
        "not permitted"), or {field: [rule]} when it breaks a rule that looks at
        other records (a unique value, a reference's owner).

        Decides with the server's scope rules (DESIGN §4), in one query for the
        whole batch. An id missing from the answer counts as refused.
        """
        ...

    def load(self, record_type: str, record_ids: list[str]) -> dict[str, RecordState]:
        """P6: the stored state of those records that exist (tombstones included)."""
        ...

    def frozen(self, record_type: str, record_ids: list[str]) -> set[str]:
        """P6: the ids whose content an employer has signed (edits become "signed" conflicts)."""
        ...

    def write(self, batch: WriteSet) -> None:
        """P8: write `batch` atomically: all of it or, on any error, none of it.

        - Each state is inserted (loaded version 0) or updated only where the
          stored version still equals the loaded one; otherwise raise StaleState.
        - Each applied mutation id is recorded once (unique); a clash with a
          concurrent push of the same id raises StaleState.
        - Conflicts are inserted open; ids are deterministic, so an insert of
          an existing id is a no-op. "signed" conflicts tell the server which
          demonstration needs a new sign-off.
        - Each conflict in `resolved` is marked resolved by its mutation, if it
          is open and belongs to the same record; otherwise it is left alone.
        - Each record in `states` gets a change-feed position (see changes_after),
          and so does each record with a new or resolved conflict, though its
          state did not change: that is how devices hear of its conflicts (L6).
        - The device's recorded clock skew becomes max(stored, skew_ms).
        """
        ...

    def changes_after(
        self, position: int, scope: object, limit: int, backlog: bool = False
    ) -> list[Change | Removal | Skipped]:
        """L3: up to `limit` feed entries after `position`, ascending, visible within `scope`.

        - `backlog` is a hint: the page before this one was full, so more is
          likely to follow the cursor than fits a page (a store may then skip
          a read meant for the few changes of an incremental pull).

        - A Change carries the record's current state (as `wire_json` renders
          it), and all of its open conflicts; one record may appear more than
          once (pull keeps the last).
        - Several entries may share one position (a grant lists a participant's
          history at the grant's position). A position is never cut short:
          all of the last position's entries are returned, even past `limit`.
        - A store that reads feed rows and then drops some may end the list
          with `Skipped(p)`: it read every row up to p, and returned every
          entry at or below p (so only when it returns fewer than `limit`).
        - Scope is the server's (what the pulling user may see). When a user
          gains access to records, their current states appear as Changes at
          the position of the grant; when access is lost, a Removal appears.
        - Positions must never skip: once an entry at position p has been
          returned, no entry below p may commit later. A database sequence
          alone does not guarantee that (PostgreSQL hands out numbers before
          commit, and a slow transaction commits a lower number after a faster
          one is already pulled). Either allocate positions in commit order
          (take a transaction-level lock, e.g. pg_advisory_xact_lock, just
          before inserting feed rows; SQLite's single writer already does) or
          return only positions below the oldest still-running writer.
        """
        ...
