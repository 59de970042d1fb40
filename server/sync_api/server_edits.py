"""Edits made on the server through the ORM (supervisor actions, admin pages,
demo data) sync to devices like any device edit.

Before a flush, each synced record written through the ORM gets a new version
and a server-clock stamp on every field it changed (so device edits merge
against it by the same rules, sync/merge.py). After the flush, its change goes
into the change feed with its scope (W6), and a participant moved to another
coach produces the revoke and grant entries, a record whose scope
columns changed the leave entries of its old scope, and a participant whose
consent changed a change entry for each record that names them (consent.py).
A conflict settled at the desk puts its record in the feed too, so devices
drop it from their inbox.
"""

from flask import g, has_request_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from server.models import Conflict
from server.records.hooks import Reassignable
from server.records.registry import SYNCED, SYNCED_BY_MODEL
from server.sync_api import consent, feed
from server.sync_api.clock import SERVER_DEVICE_ID, server_stamp
from server.sync_api.scopes import ScopeResolver, decisive_columns
from sync.record import FieldMeta, encode_meta, meta_from_json

_PENDING = "sync_feed_pending"


def _user_id() -> int:
    user = getattr(g, "user", None) if has_request_context() else None
    return user.id if user is not None else 0


def _changed(obj, synced) -> list[str]:
    state = inspect(obj)
    names = [*synced.fields, "deleted"]
    return [n for n in names if n in state.attrs and state.attrs[n].history.has_changes()]


def _before_flush(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault(_PENDING, [])
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Conflict):
            if session.is_modified(obj):
                pending.append(("conflict", obj))
            continue
        synced = SYNCED_BY_MODEL.get(type(obj))
        if synced is None:
            continue
        is_new = obj in session.new
        changed = _changed(obj, synced)
        if not is_new and not changed:
            continue
        version = 1 if is_new else (obj.version or 0) + 1
        stamp = FieldMeta(server_stamp().pack(), SERVER_DEVICE_ID, _user_id(), version)
        meta, delete_meta = meta_from_json(obj.field_meta)
        for name in changed:
            if name == "deleted":
                delete_meta = stamp
            else:
                meta[name] = stamp
        if is_new:
            for name in synced.writable:
                if getattr(obj, name, None) is not None:
                    meta[name] = stamp
        obj.field_meta = encode_meta(meta, delete_meta)
        obj.version = version
        old_coach = None
        moves = synced.hook(Reassignable)
        if moves is not None and not is_new and moves.field in changed:
            old_coach = inspect(obj).attrs[moves.field].history.deleted[0]
        pending.append(("record", (obj, synced, old_coach, None if is_new else _old_scope(obj))))
        if (
            not is_new
            and synced.name == consent.PARTICIPANT
            and consent.consent_fields() & set(changed)
        ):
            pending.append(("consent", obj.id))


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    connection = session.connection()
    resolver = ScopeResolver(connection)
    rows = []
    before: dict[tuple[str, str], dict] = {}
    consented: list[str] = []
    for kind, item in pending:
        if kind == "record":
            obj, synced, old_coach, old_scope = item
            if old_scope is not None:
                before[(synced.name, obj.id)] = old_scope
            scope = resolver.of(synced.name, obj.id, _fields(obj))
            rows.append(feed.feed_row(synced.name, obj.id, obj.version, scope))
            if old_coach is not None:
                new_coach = getattr(obj, synced.hook(Reassignable).field)
                rows.extend(feed.access_rows(obj.id, scope.organization_id, old_coach, new_coach))
        elif kind == "consent":
            consented.append(item)
        else:
            rows.append(_conflict_row(connection, resolver, item))
    if before:
        old_resolver = ScopeResolver(connection, before)
        rows.extend(feed.moved_rows(connection, list(before), old_resolver, resolver))
    if consented:
        rows.extend(consent.rows(connection, consented, resolver))
    feed.append(connection, [r for r in rows if r is not None])


def _old_scope(obj) -> dict | None:
    """The scope columns as they were before this flush, if any of them changed."""
    state = inspect(obj)
    old, changed = {}, False
    for name in decisive_columns(SYNCED_BY_MODEL[type(obj)].name):
        history = state.attrs[name].history
        if history.has_changes() and history.deleted:
            changed = True
            old[name] = history.deleted[0]
        else:
            old[name] = getattr(obj, name)
    return old if changed else None


def _fields(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def _conflict_row(connection, resolver: ScopeResolver, conflict: Conflict) -> dict | None:
    synced = SYNCED.get(conflict.record_type)
    if synced is None:
        return None
    row = connection.execute(
        select(synced.table).where(synced.table.c.id == conflict.record_id)
    ).first()
    if row is None:
        return None
    fields = dict(row._mapping)
    scope = resolver.of(synced.name, conflict.record_id, fields)
    return feed.feed_row(synced.name, conflict.record_id, fields["version"], scope)


_installed = False


def install() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        _installed = True
