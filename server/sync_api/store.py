"""The database behind the sync engine: sync.store.SyncStore on SQLAlchemy Core.

The engine (sync/protocol.py) decides; this module reads and writes in
batches. Step numbers (P4–P8, L3) are those of docs/sync-protocol.md.
"""

from collections import defaultdict
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import NamedTuple

from flask import current_app
from sqlalchemy import Integer, bindparam, func, or_, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from server import audit, bulk
from server.auth.policy import allowed, employer_ids_of_representative, record_area
from server.models import AppliedMutation, ChangeFeed, Conflict, Device, SignOff, User
from server.models.base import utcnow
from server.records.hooks import (
    ChangedOnline,
    MadeAtDesk,
    Reassignable,
    ServerTime,
    SignedContent,
    VerifiedOnArrival,
)
from server.records.registry import SYNCED, SYNCED_BY_TABLE, descendants
from server.signoff.verify import Expected
from server.sync_api import feed, render
from server.sync_api.compiled import Compiled, compile_statement, run
from server.sync_api.fields import (
    from_wire,
    policies,
    reference_targets,
    row_columns,
    temporal_fields,
)
from server.sync_api.id_lists import ids_in_parameter, ids_value
from server.sync_api.scopes import PullScope, Scope, ScopeResolver
from sync.conflicts import Conflict as EngineConflict
from sync.conflicts import ConflictValue
from sync.record import RecordState, meta_from_json, meta_to_json
from sync.store import Change, Removal, StaleState, WriteSet

# The first window of feed positions a page is looked for in (see _feed_rows).
FEED_WINDOW = 4 * 1000
# Reading a feed row in position order costs about a quarter of seeking one
# listed participant's index (SQLite, measured with 1,052 listed).
SCAN_PER_LISTED = 4
ROOT_TYPES = frozenset(name for name, t in SYNCED.items() if t.parent is None)
TYPE_ORDER = {name: i for i, name in enumerate(SYNCED)}
# What an employer representative may edit: their own employer's details.
REPRESENTATIVE_WRITABLE = frozenset(name for name, t in SYNCED.items() if t.employer_writable)


class Pusher(NamedTuple):
    """What the rules ask of the user whose device pushes."""

    id: int
    role: str
    organization_id: int
    active: bool


class SqlStore:
    """One push or pull on one connection (the request's transaction)."""

    def __init__(self, connection):
        self.conn = connection
        self._employers: set[str] | None = None  # a representative's, read once
        self._rows: dict[tuple[str, str], dict | None] = {}
        self._user: Pusher | None = None
        self._users: dict[int, object] = {}
        self._scope_rows: dict[tuple[str, str], dict | None] = {}  # see ScopeResolver

    # -- reading rows -----------------------------------------------------------

    def _fetch_rows(self, record_type: str, ids: list[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if (record_type, i) not in self._rows]
        if not missing:
            return
        dialect = self.conn.dialect.name
        statement = _rows_statement(record_type, dialect)
        for row in self.conn.execute(statement, {"ids": ids_value(missing, dialect)}):
            self._rows[(record_type, row.id)] = dict(row._mapping)
        for i in missing:
            self._rows.setdefault((record_type, i), None)

    def _state(self, record_type: str, row: dict) -> RecordState:
        fields = {name: row[name] for name in SYNCED[record_type].fields}
        for name in temporal_fields(record_type):
            if fields[name] is not None:
                fields[name] = fields[name].isoformat()
        meta, delete_meta = meta_from_json(row["field_meta"] or {})
        return RecordState(
            record_type,
            row["id"],
            fields,
            meta,
            bool(row["deleted"]),
            delete_meta,
            row["version"],
        )

    # -- P4 ---------------------------------------------------------------------

    def seen(self, mutation_ids: list[str]) -> set[str]:
        if not mutation_ids:
            return set()
        dialect = self.conn.dialect.name
        statement = _seen_statement(dialect)
        return set(
            self.conn.execute(statement, {"ids": ids_value(mutation_ids, dialect)}).scalars()
        )

    # -- P5 ---------------------------------------------------------------------

    def authorize(self, user_id: int, mutations: list) -> dict[str, str | None]:
        user = self._load_user(user_id)
        by_type = defaultdict(list)
        for m in mutations:
            by_type[m.record_type].append(m.record_id)
        for record_type, ids in by_type.items():
            self._fetch_rows(record_type, ids)
        # Records created earlier in this batch count as existing for later ones,
        # but only once authorized: a refused parent cannot shelter its children.
        pending: dict[tuple[str, str], dict] = {}
        resolver = ScopeResolver(self.conn, pending, self._scope_rows)
        verdicts = {}
        for m in mutations:
            reason = self._refusal(user, m, resolver, pending)
            verdicts[m.mutation_id] = reason
            key = (m.record_type, m.record_id)
            # A new record shelters children only if it is complete: one the merge
            # will reject (P7) must not leave a child pointing at nothing.
            if (
                reason is None
                and self._rows.get(key) is None
                and m.op == "upsert"
                and not policies()[m.record_type].check(m.fields, creating=True)
            ):
                fields = dict(m.fields)
                if m.record_type in ROOT_TYPES:
                    fields["organization_id"] = user.organization_id
                pending[key] = fields
        return verdicts

    def _load_user(self, user_id: int) -> Pusher:
        if self._user is None or self._user.id != user_id:
            facts = self._user_facts(user_id)
            self._user = Pusher(user_id, facts.role, facts.organization_id, facts.active)
        return self._user

    def _refusal(self, user: Pusher, m, resolver: ScopeResolver, pending) -> str | None:
        synced = SYNCED[m.record_type]
        key = (m.record_type, m.record_id)
        row = self._rows.get(key)
        if row is None and key in pending:
            row = pending[key]
        if synced.hook(ChangedOnline) is not None:
            return f"{m.record_type} is changed online only"
        if (desk := synced.hook(MadeAtDesk)) is not None:
            if row is None:
                return "not permitted"
            if user.role == "coach" and row.get(desk.addressee) != user.id:
                return "not permitted"
        old_scope = None
        if row is not None:
            old_scope = resolver.of(m.record_type, m.record_id, row)
        merged = {**(row or {}), **m.fields}
        if m.record_type in ROOT_TYPES:
            merged["organization_id"] = (row or {}).get("organization_id", user.organization_id)
        new_scope = resolver.of(m.record_type, m.record_id, merged)
        if new_scope is None:
            fk = synced.parent[0] if synced.parent else "record_id"
            return f"{fk}: refers to a record that does not exist"
        if refusal := self._reference_refusal(user, m, resolver):
            return refusal
        for scope, fields in ((old_scope, row), (new_scope, merged)):
            if scope is None:
                continue
            area = "wellbeing" if scope.sensitive else record_area(m.record_type)
            # A participant's own coach is in its fields, not yet in the database.
            moves = synced.hook(Reassignable)
            own_coach = fields.get(moves.field) if moves is not None else None
            if not self._may_write(user, m.record_type, area, scope, resolver, own_coach):
                return "not permitted"
        return None

    def _may_write(
        self, user: Pusher, record_type, area, scope: Scope, resolver, own_coach=None
    ) -> bool:
        if scope.organization_id != user.organization_id:
            return False
        if user.role == "employer_rep":
            return (
                record_type in REPRESENTATIVE_WRITABLE
                and scope.employer_id in self._represented(user.id)
            )
        if not allowed(user, area, "write"):
            return False
        if user.role == "coach" and scope.participant_id is not None:
            coach = own_coach or self._coach_of(scope.participant_id, resolver)
            return coach == user.id
        return True

    def _represented(self, user_id: int) -> set[str]:
        # Once per push, not once per mutation.
        if self._employers is None:
            query = employer_ids_of_representative(user_id)
            self._employers = set(self.conn.execute(query).scalars())
        return self._employers

    def _coach_of(self, participant_id: str, resolver: ScopeResolver):
        fields = resolver.pending.get(("participant", participant_id))
        if fields is None:
            self._fetch_rows("participant", [participant_id])
            fields = self._rows.get(("participant", participant_id))
        return None if fields is None else fields.get("coach_id")

    def _reference_refusal(self, user: Pusher, m, resolver: ScopeResolver) -> str | None:
        """Every other reference must exist and stay inside the user's organization."""
        targets = reference_targets(m.record_type)
        for name, value in m.fields.items():
            target = targets.get(name)
            if value is None or target is None:
                continue
            if target == "users":
                row = self._user_facts(value)
                if row is None or row.organization_id != user.organization_id:
                    return f"{name}: refers to a user that does not exist"
                if name == "coach_id" and (row.role != "coach" or not row.active):
                    return f"{name}: must be an active coach"
                if name == "coach_id" and user.role == "coach" and value != user.id:
                    # Moving a participant to another coach is a supervisor's decision.
                    return f"{name}: only a supervisor may assign another coach"
                continue
            target_type = SYNCED_BY_TABLE.get(target)
            scope = resolver.of_id(target_type.name, value) if target_type else None
            if scope is None or scope.organization_id != user.organization_id:
                return f"{name}: refers to a record that does not exist"
        return None

    def _user_facts(self, user_id):
        if user_id not in self._users:
            self._users[user_id] = self.conn.execute(_USER_FACTS, {"id": user_id}).first()
        return self._users[user_id]

    # -- P6 ---------------------------------------------------------------------

    def load(self, record_type: str, record_ids: list[str]) -> dict[str, RecordState]:
        self._fetch_rows(record_type, record_ids)
        out = {}
        for i in record_ids:
            row = self._rows.get((record_type, i))
            if row is not None:
                out[i] = self._state(record_type, row)
        return out

    def frozen(self, record_type: str, record_ids: list[str]) -> set[str]:
        """Signed content (a demonstration, its tasks) whose demonstration has a
        sign-off that has not failed verification."""
        signed_content = SYNCED[record_type].hook(SignedContent)
        if signed_content is None or not record_ids:
            return set()
        self._fetch_rows(record_type, record_ids)
        demo_of = {
            i: signed_content.demonstration_id(i, row)
            for i in record_ids
            if (row := self._rows.get((record_type, i))) is not None
        }
        signed = set(
            self.conn.execute(
                select(SignOff.demonstration_id).where(
                    SignOff.demonstration_id.in_(set(demo_of.values())),
                    SignOff.verification_status != "failed",
                    SignOff.deleted.is_(False),
                )
            ).scalars()
        )
        return {i for i, demo_id in demo_of.items() if demo_id in signed}

    # -- P8 ---------------------------------------------------------------------

    def write(self, batch: WriteSet) -> None:
        user = self._load_user(batch.user_id)
        try:
            with self.conn.begin_nested():
                self._write(batch, user)
        except IntegrityError as error:
            # A concurrent push inserted the same record or mutation id first.
            self._forget()
            raise StaleState(str(error.orig)) from error

    def _forget(self) -> None:
        """What was read may have changed (a concurrent push): the retry reads again."""
        self._rows.clear()
        self._scope_rows.clear()

    def _write(self, batch: WriteSet, user: Pusher) -> None:
        now = utcnow()
        pending = {(s.record_type, s.record_id): self._row_fields(s, user) for s in batch.states}
        resolver = ScopeResolver(self.conn, pending, self._scope_rows)
        feed_rows: list[dict] = []
        # W1: records in bulk, a statement per type and shape, parents before
        # children (the registry is in that order).
        states = sorted(batch.states, key=lambda s: TYPE_ORDER[s.record_type])
        self._write_states(states, batch.loaded_versions, user, now)
        for state in states:
            key = (state.record_type, state.record_id)
            scope = resolver.of(state.record_type, state.record_id, pending[key])
            feed_rows.append(
                feed.feed_row(state.record_type, state.record_id, state.version, scope)
            )
            feed_rows.extend(self._reassignment(state, key, scope))
        # W1b: each sign-off that arrived is verified now, against the content
        # this batch has just written; a verified one marks its demonstration signed.
        for target, status in self._verify_arrivals(states, batch, now):
            feed_rows.append(self._set_status(target, status, resolver))
        # W2: applied mutation ids, so a replay is a duplicate.
        if batch.applied:
            bulk.insert_rows(
                self.conn,
                AppliedMutation.__table__,
                [
                    {
                        "mutation_id": r.mutation_id,
                        "device_id": batch.device_id,
                        "applied_at": now,
                        "result": r.to_wire(),
                    }
                    for r in batch.applied
                ],
            )
        # W3: new conflicts (ids are deterministic: a re-insert is a no-op).
        touched = {(c.record_type, c.record_id) for c in batch.conflicts}
        if batch.conflicts:
            self._insert_conflicts(batch.conflicts, resolver, pending)
        # W4: conflicts settled by a resolving mutation.
        for conflict_id, m in batch.resolved.items():
            self.conn.execute(
                update(Conflict.__table__)
                .where(
                    Conflict.id == conflict_id,
                    Conflict.status == "open",
                    Conflict.record_id == m.record_id,
                )
                .values(
                    status="resolved",
                    resolved_at=now,
                    resolved_by_id=batch.user_id,
                    resolution={"mutation_id": m.mutation_id, "fields": m.fields, "op": m.op},
                )
            )
            touched.add((m.record_type, m.record_id))
        # W5: an edit of signed content: the demonstration needs a new sign-off.
        for target, status in self._needing_new_signoff(batch.conflicts, pending):
            feed_rows.append(self._set_status(target, status, resolver))
        # W6: a feed position for each changed record, and for records whose
        # conflicts changed although their fields did not.
        for record_type, record_id in touched - set(pending):
            self._fetch_rows(record_type, [record_id])
            row = self._rows[(record_type, record_id)]
            scope = resolver.of(record_type, record_id, row)
            feed_rows.append(feed.feed_row(record_type, record_id, row["version"], scope))
        feed.append(self.conn, feed_rows)
        # W7: the device: last sync and the largest clock skew seen.
        self.conn.execute(
            update(Device.__table__)
            .where(Device.id == batch.device_id)
            .values(
                last_sync_at=now,
                max_clock_skew_ms=func.max(Device.max_clock_skew_ms, batch.skew_ms)
                if self.conn.dialect.name == "sqlite"
                else func.greatest(Device.max_clock_skew_ms, batch.skew_ms),
            )
        )
        # W8: the audit log, one event per changed record.
        detail = {"via": "sync", "device_id": batch.device_id}
        audit.record_many(
            self.conn,
            [
                {
                    "user_id": batch.user_id,
                    "action": self._audit_action(s, batch.loaded_versions),
                    "entity_type": SYNCED[s.record_type].table.name,
                    "entity_id": s.record_id,
                    "detail": detail,
                }
                for s in batch.states
            ],
        )

    def _row_fields(self, state: RecordState, user: Pusher) -> dict:
        fields = dict(self._rows.get((state.record_type, state.record_id)) or {})
        fields.update(state.fields)
        if state.record_type in ROOT_TYPES:
            fields.setdefault("organization_id", user.organization_id)
        return fields

    def _write_states(self, states, loaded_versions, user: Pusher, now: datetime) -> None:
        inserts: dict[tuple, list[dict]] = defaultdict(list)
        updates: dict[tuple, list[dict]] = defaultdict(list)
        for state in states:
            values = from_wire(state.record_type, state.fields)
            values.update(
                version=state.version,
                deleted=state.deleted,
                field_meta=meta_to_json(state),
                updated_at=now,
                updated_by_id=user.id,
            )
            for stamp in SYNCED[state.record_type].hooks:
                if isinstance(stamp, ServerTime):
                    values.update(self._server_time(state, stamp, now))
            loaded = loaded_versions.get((state.record_type, state.record_id), 0)
            if loaded == 0:
                values.update(id=state.record_id, created_at=now, created_by_id=user.id)
                if state.record_type in ROOT_TYPES:
                    values["organization_id"] = user.organization_id
                inserts[(state.record_type, *sorted(values))].append(values)
            else:
                values.update(b_id=state.record_id, b_loaded=loaded)
                updates[(state.record_type, *sorted(values))].append(values)
        # Inserts first: an update in the same batch may concern a child of a new record.
        for (record_type, *_columns), rows in inserts.items():
            bulk.insert_rows(self.conn, SYNCED[record_type].table, rows)
        for (record_type, *columns), rows in updates.items():
            table = SYNCED[record_type].table
            statement = (
                update(table)
                .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_loaded"))
                .values({c: bindparam(c) for c in columns if not c.startswith("b_")})
            )
            # Only where the stored version is still the one merged against.
            if self.conn.execute(statement, rows).rowcount != len(rows):
                self._forget()
                raise StaleState(f"a {record_type} changed meanwhile")

    def _server_time(self, state: RecordState, stamp: ServerTime, now: datetime) -> dict:
        """W1: e.g. a return answered for the first time gets the server's time."""
        before = self._rows.get((state.record_type, state.record_id)) or {}
        if state.fields.get(stamp.when) == stamp.value and before.get(stamp.field) is None:
            return {stamp.field: now}
        return {}

    def _reassignment(self, state: RecordState, key, scope: Scope) -> list[dict]:
        moves = SYNCED[state.record_type].hook(Reassignable)
        if moves is None:
            return []
        before = self._rows.get(key) or {}
        old, new = before.get(moves.field), state.fields.get(moves.field)
        if not before or old == new:
            return []
        return feed.access_rows(state.record_id, scope.organization_id, old, new)

    def _insert_conflicts(self, conflicts, resolver: ScopeResolver, pending) -> None:
        rows = []
        for c in conflicts:
            key = (c.record_type, c.record_id)
            fields = pending.get(key) or self._rows.get(key) or {}
            scope = resolver.of(c.record_type, c.record_id, fields) or Scope(None)
            rows.append(
                {
                    "id": c.id,
                    "record_type": c.record_type,
                    "record_id": c.record_id,
                    "field": c.field,
                    "kind": c.kind,
                    "values": [v.to_wire() for v in c.values],
                    "status": "open",
                    "organization_id": scope.organization_id,
                    "participant_id": scope.participant_id,
                    "created_at": utcnow(),
                    "version": c.version,
                    "mutation_id": c.mutation_id,
                }
            )
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        self.conn.execute(dialect.insert(Conflict.__table__).on_conflict_do_nothing(), rows)

    def _needing_new_signoff(self, conflicts, pending) -> list:
        """W5: ((type, id), (field, status)) of the demonstrations whose signed
        content an edit of this push proposed to change (SignedContent)."""
        out = {}
        for c in conflicts:
            signed = SYNCED[c.record_type].hook(SignedContent)
            if c.kind != "signed" or signed is None:
                continue
            key = (c.record_type, c.record_id)
            row = pending.get(key) or self._rows.get(key) or {}
            demo_id = signed.demonstration_id(c.record_id, row)
            if demo_id is not None:
                out[(signed.status_of, demo_id)] = (signed.status_field, signed.status)
        return list(out.items())

    def _verify_arrivals(self, states, batch: WriteSet, now: datetime) -> list:
        """W1b: verify the records that are checked on arrival (a sign-off:
        server/signoff/verify.py); ((type, id), (field, status)) of the records
        a verified one sets the status of."""
        arrived = [
            (s, hook)
            for s in states
            if (hook := SYNCED[s.record_type].hook(VerifiedOnArrival)) is not None
            and not batch.loaded_versions.get((s.record_type, s.record_id))
        ]
        if not arrived:
            return []
        expected = Expected.from_config(current_app.config)
        out = {}
        for state, hook in arrived:
            outcome = hook.verify(self.conn, state.record_id, batch.device_id, expected, now)
            if outcome.status == "verified":
                target = (hook.status_of, state.fields[hook.field])
                out[target] = (hook.status_field, hook.status)
        return list(out.items())

    def _set_status(self, target: tuple[str, str], status: tuple[str, str], resolver) -> dict:
        """Set a server-set status (a demonstration signed, or needing a new
        sign-off) and version it, so it syncs; its feed row."""
        record_type, record_id = target
        field, value = status
        table = SYNCED[record_type].table
        version = self.conn.execute(
            update(table)
            .where(table.c.id == record_id)
            .values({field: value, "version": table.c.version + 1})
            .returning(table.c.version)
        ).scalar_one()
        self._rows.pop(target, None)
        self._fetch_rows(record_type, [record_id])
        row = self._rows[target]
        return feed.feed_row(
            record_type, record_id, version, resolver.of(record_type, record_id, row)
        )

    @staticmethod
    def _audit_action(state: RecordState, loaded_versions) -> str:
        if state.deleted:
            return "delete"
        return "update" if loaded_versions.get((state.record_type, state.record_id)) else "create"

    # -- L3 ---------------------------------------------------------------------

    def changes_after(
        self, position: int, scope: PullScope, limit: int, backlog: bool = False
    ) -> list:
        rows = self._feed_rows(position, scope, limit, backlog)
        if not rows:
            return []
        wanted: dict[tuple[str, str], None] = {}
        expansions: dict[int, list[tuple[str, str]]] = {}
        for seq, record_type, record_id, kind in rows:
            if kind == "change":
                wanted[(record_type, record_id)] = None
            else:
                records = records_of_participant(self.conn, record_id)
                expansions[seq] = records
                if kind == "grant":
                    wanted.update(dict.fromkeys(records))
        rendered = self._rendered(list(wanted))
        conflicts = self._open_conflicts(list(wanted))
        entries: list[Change | Removal] = []
        for seq, record_type, record_id, kind in rows:
            if kind == "revoke":
                entries.extend(Removal(seq, t, i) for t, i in expansions[seq])
                continue
            keys = expansions[seq] if kind == "grant" else ((record_type, record_id),)
            for key in keys:
                text = rendered.get(key)
                if text is not None:
                    entries.append(Change(seq, key[0], key[1], text, conflicts.get(key, ())))
        return entries

    def _feed_rows(self, position: int, scope: PullScope, limit: int, backlog: bool) -> list:
        """L3: the scope's feed rows after the cursor, the first `limit` in
        position order. Each scope branch reads its own index.

        Most pulls are incremental: few rows follow the cursor, and one read
        in index order, unsorted and stopped after `limit` rows, finds them
        all. When that read is full, a backlog follows (a first pull). A branch
        over a list (a coach's caseload) sorts what it finds, so asking for
        everything after the cursor would sort the whole history again for
        every page; the page is looked for in a window of positions instead,
        widened until it holds a page or reaches the end of the feed. When the
        page before was full (`backlog`), the first read is skipped: it would
        only find a full page again.
        """
        dialect = self.conn.dialect
        shape = scope.feed_shape(dialect.name)
        incremental = _feed_statement(shape, dialect, False, False)
        if incremental is None:
            return []  # a role that receives nothing
        values = {**scope.feed_values(dialect.name), "position": position, "limit": limit}
        if not backlog:
            rows = run(self.conn, incremental, values)
            if len(rows) < limit:
                return sorted(rows, key=itemgetter(0))
        end = self.conn.execute(_FEED_END).scalar() or 0
        # On SQLite a window no wider than a few positions per listed
        # participant is cheaper read in position order than by seeking each.
        scan_up_to = SCAN_PER_LISTED * scope.listed(dialect.name) if dialect.name == "sqlite" else 0
        span = FEED_WINDOW
        while True:
            values["upper"] = position + span
            bounded = values["upper"] < end
            if scan_up_to and min(span, end - position) <= scan_up_to:
                statement = _feed_scan_statement(shape, dialect, bounded)
            else:
                statement = _feed_statement(shape, dialect, True, bounded)
            rows = run(self.conn, statement, values)
            if len(rows) >= limit or not bounded:
                return rows
            span *= 8

    def _rendered(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        by_type = defaultdict(list)
        for record_type, record_id in keys:
            by_type[record_type].append(record_id)
        return {
            (record_type, record_id): text
            for record_type, ids in by_type.items()
            for record_id, text in render.rendered(self.conn, record_type, ids).items()
        }

    def _open_conflicts(self, keys) -> dict[tuple[str, str], tuple[EngineConflict, ...]]:
        if not keys:
            return {}
        dialect = self.conn.dialect
        statement, decode = _conflicts_statement(dialect)
        ids = ids_value({record_id for _, record_id in keys}, dialect.name)
        out = defaultdict(list)
        for row in run(self.conn, statement, {"ids": ids}):
            conflict_id, record_type, record_id, field, kind, values, version, mutation_id = row
            values = tuple(ConflictValue(**v) for v in decode(values))
            conflict = EngineConflict(
                conflict_id, record_type, record_id, field, kind, values, version, mutation_id or ""
            )
            out[(record_type, record_id)].append(conflict)
        return {key: tuple(values) for key, values in out.items()}


# Statements a push runs for every batch, built once: SQLAlchemy then finds
# their compiled form without building and hashing a new expression each time.
_USER_FACTS = select(User.organization_id, User.role, User.active).where(
    User.id == bindparam("id", type_=Integer)
)
_FEED_END = select(func.max(ChangeFeed.seq))
_FEED_COLUMNS = (ChangeFeed.seq, ChangeFeed.record_type, ChangeFeed.record_id, ChangeFeed.kind)


@cache
def _rows_statement(record_type: str, dialect: str):
    table = SYNCED[record_type].table
    columns = [table.c[name] for name in row_columns(record_type)]
    return select(*columns).where(ids_in_parameter(table.c.id, dialect, "ids"))


@cache
def _seen_statement(dialect: str):
    column = AppliedMutation.__table__.c.mutation_id
    return select(column).where(ids_in_parameter(column, dialect, "ids"))


@cache
def _feed_statement(shape: tuple, dialect, ordered: bool, bounded: bool) -> Compiled | None:
    """The feed read of one scope shape, compiled once (see PullScope.feed_shape):
    each branch limited on its own, merged, limited again. None for a role
    that receives nothing."""
    branches = PullScope.feed_branches(shape, dialect.name)
    if not branches:
        return None
    window = _feed_window(bounded)
    limit = bindparam("limit", type_=Integer)
    selects = [select(*_FEED_COLUMNS).where(condition, *window) for condition in branches]
    if ordered:
        selects = [s.order_by(ChangeFeed.seq) for s in selects]
    union = union_all(*(select(s.limit(limit).subquery()) for s in selects)).subquery()
    statement = select(union).limit(limit)
    if ordered:
        statement = statement.order_by(union.c.seq)
    return compile_statement(statement, dialect)


@cache
def _feed_scan_statement(shape: tuple, dialect, bounded: bool) -> Compiled:
    """A window of the feed read in position order, every scope branch
    tested on each row (SQLite: no index answers the branches)."""
    branches = PullScope.feed_branches(shape, dialect.name, indexed=False)
    statement = select(*_FEED_COLUMNS).where(*_feed_window(bounded), or_(*branches))
    statement = statement.order_by(ChangeFeed.seq).limit(bindparam("limit", type_=Integer))
    return compile_statement(statement, dialect)


def _feed_window(bounded: bool) -> list:
    """Positions after the cursor (`position`), up to `upper` when bounded."""
    window = [ChangeFeed.seq > bindparam("position", type_=Integer)]
    if bounded:
        window.append(ChangeFeed.seq <= bindparam("upper", type_=Integer))
    return window


@cache
def _conflicts_statement(dialect) -> tuple[Compiled, object]:
    """L6: the open conflicts of a page's records, compiled once, and how to
    decode their stored values (the JSON column's own result processor)."""
    table = Conflict.__table__
    c = table.c
    columns = (c.id, c.record_type, c.record_id, c.field, c.kind, c["values"], c.version)
    statement = select(*columns, c.mutation_id).where(
        ids_in_parameter(c.record_id, dialect.name, "ids"), c.status == "open"
    )
    process = c["values"].type.dialect_impl(dialect).result_processor(dialect, None)
    return compile_statement(statement, dialect), process or (lambda value: value)


def records_of_participant(connection, participant_id: str) -> list[tuple[str, str]]:
    """Every record under a participant, parents first: what a grant sends and a revoke removes."""
    found: dict[str, list[str]] = {"participant": [participant_id]}
    out = [("participant", participant_id)]
    for synced in descendants("participant"):
        fk, parent_type = synced.parent
        parents = found[parent_type]
        ids = []
        if parents:
            table = synced.table
            statement = select(table.c.id).where(table.c[fk].in_(parents))
            ids = list(connection.execute(statement).scalars())
        found[synced.name] = ids
        out.extend((synced.name, i) for i in ids)
    return out
