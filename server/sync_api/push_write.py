"""P8 of docs/sync-protocol.md: one push's changes written in one transaction.

W1-W8 below: the records in bulk (parents first), the hooks of their types
(sign-offs verified on arrival, signed content that needs a new sign-off,
times only the server sets), applied mutation ids, conflicts, the change
feed, the device and the audit log.
"""

from collections import defaultdict
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, func, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from server import audit, bulk
from server.models import AppliedMutation, Conflict, Device, SignOff
from server.models.base import utcnow
from server.records.hooks import Reassignable, ServerTime, SignedContent, VerifiedOnArrival
from server.records.registry import ROOTS, SYNCED
from server.signoff.canonical import CanonicalError
from server.signoff.content import ContentMissing, current_content
from server.signoff.verify import Expected, verify_on_arrival
from server.sync_api import consent, feed
from server.sync_api.fields import from_wire
from server.sync_api.resign import Resigner
from server.sync_api.rows import Pusher, Rows
from server.sync_api.scopes import Scope, ScopeResolver, decisive_columns
from sync.record import RecordState, meta_to_json
from sync.store import StaleState, WriteSet

TYPE_ORDER = {name: i for i, name in enumerate(SYNCED)}


class PushWrite:
    def __init__(self, rows: Rows):
        self.rows = rows
        self.conn = rows.conn
        self._settled_rows: list[dict] = []  # W1b's feed rows of records a sign-off settled
        self._settled_keys: set = set()  # records whose conflicts only a sign-off resolved

    def write(self, batch: WriteSet) -> None:
        user = self.rows.pusher(batch.user_id)
        try:
            with self.conn.begin_nested():
                self._write(batch, user)
        except IntegrityError as error:
            # A concurrent push inserted the same record or mutation id first.
            self.rows.forget()
            raise StaleState(str(error.orig)) from error

    def _write(self, batch: WriteSet, user: Pusher) -> None:
        now = utcnow()
        pending = {(s.record_type, s.record_id): self._row_fields(s, user) for s in batch.states}
        resolver = ScopeResolver(self.conn, pending, self.rows.scope_rows)
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
        feed_rows.extend(self._left_scopes(states, pending, resolver))
        feed_rows.extend(self._consent_changes(states, pending, resolver))
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
        # W5: an edit of signed content (a "signed" conflict, or a new task under
        # a signed demonstration): the demonstration needs a new sign-off.
        for target, status in self._needing_new_signoff(batch, pending):
            feed_rows.append(self._set_status(target, status, resolver))
        # W5b: "signed" conflicts all settled with the signed values (the coach
        # went back to them): the signature covers the content again.
        for target, status in self._signed_again(batch):
            feed_rows.append(self._set_status(target, status, resolver))
        # W1b: each sign-off that arrived is verified now, against the content
        # this batch has just written, with its conflicts (W3, W5: an edit made
        # before signing again travels in the same batch); a verified one settles
        # the demonstration's "signed" conflicts (M9) and marks it signed.
        for target, status in self._verify_arrivals(states, batch, now, user, resolver):
            feed_rows.append(self._set_status(target, status, resolver))
        feed_rows.extend(self._settled_rows)
        touched |= self._settled_keys
        # W6: a feed position for each changed record, and for records whose
        # conflicts changed although their fields did not.
        for record_type, record_id in touched - set(pending):
            self.rows.fetch(record_type, [record_id])
            row = self.rows.get((record_type, record_id))
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
        fields = dict(self.rows.get((state.record_type, state.record_id)) or {})
        fields.update(state.fields)
        if state.record_type in ROOTS:
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
                if state.record_type in ROOTS:
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
                self.rows.forget()
                raise StaleState(f"a {record_type} changed meanwhile")

    def _server_time(self, state: RecordState, stamp: ServerTime, now: datetime) -> dict:
        """W1: e.g. a return answered for the first time gets the server's time."""
        before = self.rows.get((state.record_type, state.record_id)) or {}
        if state.fields.get(stamp.when) == stamp.value and before.get(stamp.field) is None:
            return {stamp.field: now}
        return {}

    def _reassignment(self, state: RecordState, key, scope: Scope) -> list[dict]:
        moves = SYNCED[state.record_type].hook(Reassignable)
        if moves is None:
            return []
        before = self.rows.get(key) or {}
        old, new = before.get(moves.field), state.fields.get(moves.field)
        if not before or old == new:
            return []
        return feed.access_rows(state.record_id, scope.organization_id, old, new)

    def _left_scopes(self, states, pending, resolver: ScopeResolver) -> list[dict]:
        """W6: leave rows for the records whose scope columns this push changed."""
        before = {}
        for state in states:
            key = (state.record_type, state.record_id)
            old = self.rows.get(key)
            if old and any(old.get(c) != pending[key].get(c) for c in decisive_columns(key[0])):
                before[key] = old
        if not before:
            return []
        old_fields = {k: self.rows.get(k) for k in pending if self.rows.get(k)}
        old_resolver = ScopeResolver(self.conn, old_fields, self.rows.scope_rows)
        return feed.moved_rows(self.conn, list(before), old_resolver, resolver)

    def _consent_changes(self, states, pending, resolver: ScopeResolver) -> list[dict]:
        """W6: records that name a participant whose consent this push changed
        go out again, rendered by the new consent (consent.py)."""
        participants = [
            s.record_id
            for s in states
            if s.record_type == consent.PARTICIPANT
            and consent.changed(
                self.rows.get((s.record_type, s.record_id)), pending[(s.record_type, s.record_id)]
            )
        ]
        return consent.rows(self.conn, participants, resolver) if participants else []

    def _insert_conflicts(self, conflicts, resolver: ScopeResolver, pending) -> None:
        rows = []
        for c in conflicts:
            key = (c.record_type, c.record_id)
            fields = pending.get(key) or self.rows.get(key) or {}
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

    def _needing_new_signoff(self, batch: WriteSet, pending) -> list:
        """W5: ((type, id), (field, status)) of the demonstrations whose signed
        content an edit of this push proposed to change (SignedContent): a
        "signed" conflict, or a new record of signed content (a task added
        after signing is written, and the signature no longer covers it)."""
        out = {}
        for c in batch.conflicts:
            signed = SYNCED[c.record_type].hook(SignedContent)
            if c.kind != "signed" or signed is None:
                continue
            key = (c.record_type, c.record_id)
            row = pending.get(key) or self.rows.get(key) or {}
            demo_id = signed.demonstration_id(c.record_id, row)
            if demo_id is not None:
                out[(signed.status_of, demo_id)] = (signed.status_field, signed.status)
        added = {}
        for state in batch.states:
            signed = SYNCED[state.record_type].hook(SignedContent)
            key = (state.record_type, state.record_id)
            if signed is None or signed.demonstration == "id" or batch.loaded_versions.get(key):
                continue
            demo_id = signed.demonstration_id(state.record_id, pending.get(key) or {})
            if demo_id is not None:
                added[demo_id] = signed
        arriving = {s.record_id for s in batch.states if s.record_type == "signoff"}
        if added:
            for demo_id in self.conn.execute(
                select(SignOff.demonstration_id).where(
                    SignOff.demonstration_id.in_(list(added)),
                    SignOff.verification_status != "failed",
                    SignOff.deleted.is_(False),
                    SignOff.id.not_in(arriving) if arriving else true(),
                )
            ).scalars():
                signed = added[demo_id]
                out[(signed.status_of, demo_id)] = (signed.status_field, signed.status)
        return list(out.items())

    def _signed_again(self, batch: WriteSet) -> list:
        """W5b: ((type, id), (field, "signed")) of the demonstrations needing a
        new sign-off whose open "signed" conflicts this push resolved, none
        left open, and whose content is again what a verified sign-off signed."""
        if not batch.resolved:
            return []
        table = Conflict.__table__
        settled = self.conn.execute(
            select(table.c.record_type, table.c.record_id).where(
                table.c.id.in_(list(batch.resolved)), table.c.kind == "signed"
            )
        ).all()
        demos = set()
        for record_type, record_id in settled:
            hook = SYNCED[record_type].hook(SignedContent)
            row = self.rows.reread((record_type, record_id)) or {}
            demo_id = hook.demonstration_id(record_id, row) if hook else None
            if demo_id is not None:
                demos.add((hook.status_of, demo_id, hook.status_field))
        out = []
        for status_of, demo_id, field in demos:
            row = self.rows.reread((status_of, demo_id)) or {}
            if (
                row.get(field) != "needs_new_signoff"
                or Resigner(self.rows, demo_id).open_conflicts()
            ):
                continue
            try:
                now = current_content(self.conn, demo_id).decode("utf-8")
            except (ContentMissing, CanonicalError):
                continue
            if self.conn.execute(
                select(SignOff.id).where(
                    SignOff.demonstration_id == demo_id,
                    SignOff.verification_status == "verified",
                    SignOff.deleted.is_(False),
                    SignOff.signed_content == now,
                )
            ).first():
                out.append(((status_of, demo_id), (field, "signed")))
        return out

    def _verify_arrivals(
        self, states, batch: WriteSet, now: datetime, user: Pusher, resolver
    ) -> list:
        """W1b: verify the records that are checked on arrival (a sign-off:
        server/signoff/verify.py); ((type, id), (field, status)) of the records
        a verified one sets the status of. A verified sign-off's settlement
        (sync/resign.py) is written here; its feed rows and the records whose
        conflicts it resolved are left in _settled_rows and _settled_keys."""
        self._settled_rows, self._settled_keys = [], set()
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
            target = (hook.status_of, state.fields[hook.field])
            resign = Resigner(self.rows, target[1])
            outcome = verify_on_arrival(
                self.conn, state.record_id, batch.device_id, expected, now, resign=resign
            )
            if outcome.status == "verified":
                signed = (state.fields.get("signed_content") or "").encode("utf-8")
                settlement = outcome.settlement or resign(signed)
                if settlement is not None:
                    self._settle(settlement, state.record_id, batch, user, now, resolver)
                out[target] = (hook.status_field, hook.status)
        return list(out.items())

    def _settle(self, settlement, signoff_id: str, batch, user: Pusher, now, resolver) -> None:
        """M9: write the values the new signature covers and resolve the
        "signed" conflicts it settles (their values stay: the history)."""
        changed = list(settlement.states.values())
        self._write_states(
            changed, {(s.record_type, s.record_id): s.version - 1 for s in changed}, user, now
        )
        for state in changed:
            key = (state.record_type, state.record_id)
            row = self.rows.reread(key)
            self._settled_rows.append(feed.feed_row(*key, state.version, resolver.of(*key, row)))
        table = Conflict.__table__
        for conflict_id, value in settlement.chosen.items():
            found = self.conn.execute(
                update(table)
                .where(table.c.id == conflict_id, table.c.status == "open")
                .values(
                    status="resolved",
                    resolved_at=now,
                    resolved_by_id=batch.user_id,
                    resolution={"signoff_id": signoff_id, "value": value},
                )
                .returning(table.c.record_type, table.c.record_id)
            ).first()
            if found is not None:
                self._settled_keys.add((found.record_type, found.record_id))
        self._settled_keys -= {(s.record_type, s.record_id) for s in changed}
        # W8 lists the batch's records; these values were written by the sign-off.
        audit.record_many(
            self.conn,
            [
                {
                    "user_id": batch.user_id,
                    "action": "update",
                    "entity_type": SYNCED[s.record_type].table.name,
                    "entity_id": s.record_id,
                    "detail": {"via": "signoff", "signoff_id": signoff_id},
                }
                for s in changed
            ],
        )

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
        row = self.rows.reread(target)
        return feed.feed_row(
            record_type, record_id, version, resolver.of(record_type, record_id, row)
        )

    @staticmethod
    def _audit_action(state: RecordState, loaded_versions) -> str:
        if state.deleted:
            return "delete"
        return "update" if loaded_versions.get((state.record_type, state.record_id)) else "create"
