"""Push and pull: the steps of docs/sync-protocol.md (P1–P9, L1–L6), batch at a time.

A push makes a fixed number of store calls (seen, authorize, one load and one
frozen per record type, write) whatever its size; the per-mutation work is
in-memory parsing and merging.
"""

import json
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

from sync.cursor import decode_cursor, encode_cursor
from sync.errors import ProtocolError
from sync.hlc import bound
from sync.merge import merge
from sync.mutation import Mutation, MutationError, parse_mutation
from sync.policy import TypePolicy
from sync.record import RecordState, compact_json
from sync.results import PushResult
from sync.store import Change, RecordKey, Removal, Skipped, StaleState, SyncStore, WriteSet

MAX_BATCH = 500
MAX_PULL_PAGE = 1000
# A concurrent push touching the same records makes `write` fail with
# StaleState; re-reading and re-merging is cheap, so try a few times.
WRITE_ATTEMPTS = 3


@dataclass(frozen=True)
class PushLimits:
    max_batch: int = MAX_BATCH

    def check(self, raw_mutations: object) -> None:
        if not isinstance(raw_mutations, list):
            raise ProtocolError({"mutations": ["must be a list"]})
        if len(raw_mutations) > self.max_batch:
            raise ProtocolError(
                {"mutations": [f"at most {self.max_batch} mutations per push; send the rest next"]},
                status=413,
            )


@dataclass(frozen=True)
class PushContext:
    device_id: str  # from the authenticated session, never from the payload
    user_id: int
    server_now_ms: int
    max_drift_ms: int  # how far ahead of the server a device clock may claim to be
    policies: dict[str, TypePolicy]  # by record type: the types a device may sync
    limits: PushLimits = field(default_factory=PushLimits)


def apply_push(
    store: SyncStore, raw_mutations: list[dict[str, Any]], ctx: PushContext
) -> list[PushResult]:
    """Merge a device's batch; one result per input mutation, in input order."""
    # P1: refuse the whole batch if it is not a list or is too large.
    ctx.limits.check(raw_mutations)
    results: list[PushResult | None] = [None] * len(raw_mutations)
    parsed: list[tuple[int, Mutation]] = []
    skew_ms = 0
    for i, raw in enumerate(raw_mutations):
        # P2: parse and validate each mutation; a bad one is rejected alone.
        try:
            m = parse_mutation(raw, device_id=ctx.device_id, user_id=ctx.user_id)
        except MutationError as error:
            results[i] = PushResult(_raw_id(raw), "rejected", error.errors)
            continue
        if m.record_type not in ctx.policies:
            results[i] = PushResult(
                m.mutation_id, "rejected", {"record_type": ["unknown record type"]}
            )
            continue
        # P3: bound the stamp to server time + drift; remember the skew seen.
        stamp, skew = bound(m.stamp, ctx.server_now_ms, ctx.max_drift_ms)
        skew_ms = max(skew_ms, skew)
        if stamp != m.stamp:
            m = replace(m, stamp=stamp, device_stamp=m.stamp)
        parsed.append((i, m))

    for _ in range(WRITE_ATTEMPTS - 1):
        with suppress(StaleState):
            return _merge_and_write(store, parsed, list(results), ctx, skew_ms)
    return _merge_and_write(store, parsed, results, ctx, skew_ms)


def _raw_id(raw: object) -> str | None:
    mutation_id = raw.get("mutation_id") if isinstance(raw, dict) else None
    return mutation_id if isinstance(mutation_id, str) else None


def _merge_and_write(
    store: SyncStore,
    parsed: list[tuple[int, Mutation]],
    results: list[PushResult | None],
    ctx: PushContext,
    skew_ms: int,
) -> list[PushResult]:
    # P4: drop mutations already merged (idempotency), by an earlier push or
    # earlier in this batch, in one store call.
    seen = set(store.seen([m.mutation_id for _, m in parsed]))
    fresh: list[tuple[int, Mutation]] = []
    for i, m in parsed:
        if m.mutation_id in seen:
            results[i] = PushResult(m.mutation_id, "duplicate")
        else:
            seen.add(m.mutation_id)
            fresh.append((i, m))

    # P5: authorize the batch in one store call; refuse what is not answered.
    # A refusal is a reason, or the field errors of a rule that looks at
    # other records (a value another record already holds).
    verdicts = store.authorize(ctx.user_id, [m for _, m in fresh])
    allowed: list[tuple[int, Mutation]] = []
    for i, m in fresh:
        refusal = verdicts.get(m.mutation_id, "not permitted")
        if refusal:
            errors = refusal if isinstance(refusal, dict) else {"record_id": [refusal]}
            results[i] = PushResult(m.mutation_id, "rejected", errors)
        else:
            allowed.append((i, m))

    # P6: load current states and the signed (frozen) set, one call each per type.
    ids_by_type: dict[str, list[str]] = defaultdict(list)
    for _, m in allowed:
        ids_by_type[m.record_type].append(m.record_id)
    states: dict[RecordKey, RecordState | None] = {}
    frozen: set[RecordKey] = set()
    for record_type, ids in ids_by_type.items():
        unique = list(dict.fromkeys(ids))
        states.update(((record_type, i), s) for i, s in store.load(record_type, unique).items())
        frozen.update((record_type, i) for i in store.frozen(record_type, unique))
    loaded_versions = {key: state.version for key, state in states.items() if state}

    # P7: merge in the device's stamp order (its own causal order); a record
    # edited several times in the batch is merged step by step in memory.
    allowed.sort(key=lambda item: item[1].own_stamp)
    changed: dict[RecordKey, RecordState] = {}
    conflicts, applied, resolved = [], [], {}
    for i, m in allowed:
        key = (m.record_type, m.record_id)
        outcome = merge(states.get(key), m, ctx.policies[m.record_type], frozen=key in frozen)
        if outcome.status == "rejected":
            results[i] = PushResult(m.mutation_id, "rejected", outcome.errors)
            continue
        states[key] = outcome.state
        if outcome.changed:
            changed[key] = outcome.state
        conflicts.extend(outcome.conflicts)
        results[i] = PushResult(
            m.mutation_id,
            outcome.status,
            version=outcome.state.version,
            conflict_ids=tuple(c.id for c in outcome.conflicts),
        )
        applied.append(results[i])
        resolved.update(dict.fromkeys(m.resolves, m))

    # P8: write everything in one transaction (the store's), or nothing.
    store.write(
        WriteSet(
            device_id=ctx.device_id,
            user_id=ctx.user_id,
            states=list(changed.values()),
            loaded_versions={key: loaded_versions.get(key, 0) for key in changed},
            conflicts=conflicts,
            applied=applied,
            resolved=resolved,
            skew_ms=skew_ms,
        )
    )
    # P9: one result per input mutation, in input order.
    return results


@dataclass(frozen=True, slots=True)
class PullPage:
    changes: list[str]  # each record's JSON text (Change.record_json), passed on as is
    removals: list[dict[str, str]]
    conflicts: list[dict[str, Any]]
    cursor: str
    more: bool
    server_time_ms: int
    # (record type, participant id) of each change, for the caller's audit;
    # not sent.
    sent: list[tuple[str, str | None]] = field(default_factory=list)

    def to_json(self) -> str:
        """The page as the response body. The records are already JSON: they
        are joined in, not decoded and encoded again (most of a pull's cost)."""
        rest = {
            "removals": self.removals,
            "conflicts": self.conflicts,
            "cursor": self.cursor,
            "more": self.more,
            "server_time_ms": self.server_time_ms,
        }
        tail = compact_json(rest)
        return '{"changes":[' + ",".join(self.changes) + "]," + tail[1:]

    def to_wire(self) -> dict[str, Any]:
        return json.loads(self.to_json())


def pull(
    store: SyncStore,
    cursor: str | None,
    scope: object,
    limit: int = MAX_PULL_PAGE,
    *,
    server_now_ms: int,
) -> PullPage:
    """One page of what changed within `scope` since `cursor`."""
    # L1: decode the cursor (none: from the beginning).
    position, backlog = decode_cursor(cursor)
    # L2: a page holds 1..MAX_PULL_PAGE entries.
    if type(limit) is not int or limit < 1:
        raise ProtocolError({"limit": ["must be a positive integer"]})
    limit = min(limit, MAX_PULL_PAGE)
    # L3: ask for one entry more than the page holds, to know if more follow.
    entries = store.changes_after(position, scope, limit + 1, backlog)
    # L3b: the store read further than its last entry (it dropped the rest).
    read_to = entries.pop().position if entries and isinstance(entries[-1], Skipped) else None
    # L4: "more" when that extra entry exists; it is left for the next page.
    # Entries of one position (a grant lists a participant's whole history
    # at the grant's position) are never split: the cursor moves past a
    # position only with all of it.
    more = len(entries) > limit
    entries = entries[: _page_end(entries, limit)]
    # L5: the next cursor is the last entry's position, and says whether more
    # followed; past what the store read and dropped when nothing followed.
    end = entries[-1].position if entries else position
    if not more and read_to is not None:
        end = max(end, read_to)
    next_cursor = encode_cursor(end, more)
    # L6: render, keeping each record's last entry only.
    last: dict[RecordKey, Change | Removal] = {}
    for entry in entries:
        key = _key(entry)
        last.pop(key, None)
        last[key] = entry
    changes, removals, conflicts, sent = [], [], [], []
    for entry in last.values():
        if isinstance(entry, Removal):
            removals.append({"record_type": entry.record_type, "record_id": entry.record_id})
        else:
            changes.append(entry.record_json)
            conflicts.extend(c.to_wire() for c in entry.conflicts)
            sent.append((entry.record_type, entry.participant_id))
    return PullPage(changes, removals, conflicts, next_cursor, more, server_now_ms, sent)


def _page_end(entries: list[Change | Removal], limit: int) -> int:
    """Where the page ends: at `limit`, moved so that no position is split.

    The page ends before the split position when that leaves something to
    send, otherwise after all of it (one position larger than a page).
    """
    if len(entries) <= limit or entries[limit].position != entries[limit - 1].position:
        return limit
    split = entries[limit - 1].position
    first = next(i for i, e in enumerate(entries) if e.position == split)
    if first > 0:
        return first
    return next((i for i, e in enumerate(entries) if e.position != split), len(entries))


def _key(entry: Change | Removal) -> RecordKey:
    return entry.record_type, entry.record_id
