"""The merge rules (M1–M8 of docs/sync-protocol.md), in one place: how one mutation
changes one record.

Who wins is decided by stamps alone (last writer wins, per field, and for the
record's existence), so every delivery order of the same writes ends in the
same values. Versions and devices decide only whether the loser was *seen*:
a write that overwrites a value its device had pulled, or its device's own
earlier write, replaces it silently; anything else becomes a Conflict that
keeps every competing value.

One exception to order-independence: writes whose stamps the server had to
bound (a device clock far ahead, hlc.bound) are ordered by when they arrived,
since that is what bounding means; among themselves they keep their device's
order.
"""

from dataclasses import dataclass, replace
from typing import Any, Literal

from sync.conflicts import Conflict, ConflictValue, conflict_id
from sync.mutation import Mutation
from sync.policy import TypePolicy
from sync.record import DELETED, FieldMeta, RecordState

Status = Literal["applied", "duplicate", "conflict", "rejected"]


@dataclass(frozen=True, slots=True)
class MergeResult:
    state: RecordState | None  # the record after the merge; the input object when unchanged
    status: Status
    changed: bool = False
    conflicts: tuple[Conflict, ...] = ()
    errors: dict[str, list[str]] | None = None


def merge(
    state: RecordState | None, m: Mutation, policy: TypePolicy, *, frozen: bool
) -> MergeResult:
    """Merge `m` into `state` (None: the server has never seen the record). Inputs are not changed.

    `frozen` is the server's word that the record's content is signed.
    """
    if m.op == "upsert":
        # M1: only the type's fields, with values the server accepts.
        errors = policy.check(m.fields, creating=state is None)
        if errors:
            return MergeResult(state, "rejected", errors=errors)
    if policy.append_only:
        return _record_rules(state, m, policy, _append_only(state, m))
    if frozen and state is not None:
        return _signed(state, m)
    if m.op == "delete":
        return _delete(state, m)
    return _record_rules(state, m, policy, _upsert(state, m))


def _record_rules(
    state: RecordState | None, m: Mutation, policy: TypePolicy, outcome: "MergeResult"
) -> "MergeResult":
    """M1b: the record as this upsert leaves it must keep the type's record
    rules (an end not before the start...). Checked on the merged record, not
    the mutation alone: a field written earlier counts too."""
    if policy.check_record is None or not outcome.changed or outcome.state.deleted:
        return outcome
    errors = policy.check_record(outcome.state.fields, frozenset(m.fields), state is None)
    if errors:
        return MergeResult(state, "rejected", errors=errors)
    return outcome


def _incoming(m: Mutation, version: int) -> FieldMeta:
    own = m.device_stamp.pack() if m.device_stamp else None
    return FieldMeta(m.stamp.pack(), m.device_id, m.user_id, version, own)


def _later(new: FieldMeta, current: FieldMeta) -> bool:
    """M4: last-writer-wins order. Stamps of different devices never tie (node = device)."""
    if new.device_id == current.device_id:
        # One device's writes are causally ordered by its own clock, also when
        # the server had to bound them (bounding at different times may
        # reorder them; the device's own stamps cannot).
        return new.own_stamp > current.own_stamp
    return new.stamp > current.stamp


def _clash(new: FieldMeta, base_version: int, current: FieldMeta) -> tuple[bool, bool]:
    """M5: (the new write wins, the loser needs no conflict) for two writes of one field."""
    wins = _later(new, current)
    if new.device_id == current.device_id and not current.shared:
        # The later of one device's own writes stands, whatever order they arrive in.
        return wins, True
    # The device had pulled the current value (its base_version reaches the
    # version that wrote it) and wrote over it: a causal overwrite. Its stamp
    # is higher because a device takes in every pulled stamp (L7); if it is
    # not, keep both values rather than lose either.
    return wins, wins and current.version <= base_version


def _value(value: Any, meta: FieldMeta, mutation_id: str | None) -> ConflictValue:
    return ConflictValue(value, meta.stamp, meta.device_id, meta.user_id, mutation_id)


# A conflict found while merging: (field, kind, values with the winner first).
Found = tuple[str, str, list[ConflictValue]]


def _result(
    state: RecordState, new: RecordState | None, m: Mutation, found: list[Found]
) -> MergeResult:
    after = new or state
    conflicts = tuple(
        Conflict(
            conflict_id(m.mutation_id, field),
            m.record_type,
            m.record_id,
            field,
            kind,
            tuple(values),
            after.version,
            m.mutation_id,
        )
        for field, kind, values in found
    )
    return MergeResult(after, "conflict" if conflicts else "applied", new is not None, conflicts)


def _upsert(state: RecordState | None, m: Mutation) -> MergeResult:
    if state is None:
        meta = _incoming(m, 1)
        new = RecordState(
            m.record_type, m.record_id, dict(m.fields), dict.fromkeys(m.fields, meta), version=1
        )
        return MergeResult(new, "applied", True)

    # M8: the version this mutation makes, should it change anything.
    version = state.version + 1
    incoming = _incoming(m, version)
    fields, meta = dict(state.fields), dict(state.meta)
    deleted, delete_meta = state.deleted, state.delete_meta
    found: list[Found] = []
    changed = False

    if deleted:
        # M7: existence is a last-writer-wins register too: an upsert is a vote
        # for "exists", and a later one brings the record back.
        wins, silent = _clash(incoming, m.base_version, delete_meta)
        if wins:
            deleted, delete_meta, changed = False, None, True
        if not silent:
            edit = _value(dict(m.fields), incoming, m.mutation_id)
            tomb = _value(None, state.delete_meta, None)
            pair = [edit, tomb] if wins else [tomb, edit]
            found.append((DELETED, "delete", pair))

    # M7: fields merge even while the record stays deleted, so the hidden values
    # are the same whichever order writes arrive in (a later undelete shows them).
    for name, value in m.fields.items():
        current = meta.get(name)
        if current is None:
            fields[name], meta[name], changed = value, incoming, True
            continue
        wins, silent = _clash(incoming, m.base_version, current)
        old = fields.get(name)
        if not silent and old == value:
            # M6: two devices agree without knowing it: no conflict, but the value
            # now has two authors, which the later stamp alone cannot tell.
            agreed = replace(incoming if wins else current, shared=True)
            if agreed != current:
                fields[name], meta[name], changed = value, agreed, True
        elif wins:
            fields[name], meta[name], changed = value, incoming, True
        if not silent and old != value:
            ours, theirs = _value(value, incoming, m.mutation_id), _value(old, current, None)
            pair = [ours, theirs] if wins else [theirs, ours]
            found.append((name, "value", pair))

    new = None
    if changed:
        new = RecordState(
            state.record_type, state.record_id, fields, meta, deleted, delete_meta, version
        )
    return _result(state, new, m, found)


def _delete(state: RecordState | None, m: Mutation) -> MergeResult:
    if state is None:
        # M7: keep the tombstone even for a record never seen: the device's own
        # create may still be on its way and must not bring the record back.
        new = RecordState(
            m.record_type, m.record_id, deleted=True, delete_meta=_incoming(m, 1), version=1
        )
        return MergeResult(new, "applied", True)

    version = state.version + 1
    incoming = _incoming(m, version)
    if state.deleted:
        # M7, M6: both want it gone, no conflict. The later delete is what later edits
        # must beat; a concurrent one from another device is a second author.
        wins, silent = _clash(incoming, m.base_version, state.delete_meta)
        if silent:
            delete_meta = incoming if wins else state.delete_meta
        else:
            delete_meta = replace(incoming if wins else state.delete_meta, shared=True)
        if delete_meta == state.delete_meta:
            return _result(state, None, m, [])
        return _result(state, replace(state, delete_meta=delete_meta, version=version), m, [])

    # M7: the delete wins only if it is later than every field write; a field
    # write its device had not seen races it.
    wins_all = True
    racing: dict[FieldMeta, dict[str, Any]] = {}
    for name, current in state.meta.items():
        wins, silent = _clash(incoming, m.base_version, current)
        wins_all = wins_all and wins
        if not silent:
            racing.setdefault(current, {})[name] = state.fields.get(name)

    found: list[Found] = []
    if racing:
        edits = [_value(values, meta, None) for meta, values in racing.items()]
        edits.sort(key=lambda v: v.stamp, reverse=True)
        tomb = _value(None, incoming, m.mutation_id)
        values = [tomb, *edits] if wins_all else [*edits, tomb]
        found.append((DELETED, "delete", values))

    new = None
    if wins_all:
        new = replace(state, deleted=True, delete_meta=incoming, version=version)
    return _result(state, new, m, found)


def _append_only(state: RecordState | None, m: Mutation) -> MergeResult:
    # M2: assessments, sign-offs, notes: each is a statement made once, never a
    # shared document, so there is nothing to merge and nothing to conflict.
    if m.op == "delete":
        return MergeResult(
            state, "rejected", errors={"op": ["append-only records cannot be deleted"]}
        )
    if state is None:
        return _upsert(None, m)
    if m.fields == state.fields:
        return MergeResult(state, "duplicate")
    return MergeResult(
        state, "rejected", errors={"record_id": ["append-only record already exists"]}
    )


def _signed(state: RecordState, m: Mutation) -> MergeResult:
    """M3: signed content is never overwritten: each change becomes a "signed" conflict."""
    incoming = _incoming(m, state.version)  # only describes the proposal: nothing is written
    found: list[Found] = []
    if m.op == "delete":
        latest = max(state.meta.values(), key=lambda meta: meta.stamp, default=None)
        signed = _signed_value(dict(state.fields), latest)
        proposal = _value(None, incoming, m.mutation_id)
        found.append((DELETED, "signed", [signed, proposal]))
    else:
        for name, value in m.fields.items():
            old = state.fields.get(name)
            if old != value:
                signed = _signed_value(old, state.meta.get(name))
                proposal = _value(value, incoming, m.mutation_id)
                found.append((name, "signed", [signed, proposal]))
    return _result(state, None, m, found)


def _signed_value(value: Any, meta: FieldMeta | None) -> ConflictValue:
    if meta is None:
        return ConflictValue(value, None, None, None, None)
    return _value(value, meta, None)
