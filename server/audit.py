"""The audit log: every write and every read of a participant's personal data.

Writes through the ORM are caught in one place, a before_flush listener, so no
view can forget them. Bulk writes that bypass the ORM (the sync push) call
`record_many` themselves. Reads are recorded explicitly with `record_read`.
"""

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from server import bulk
from server.extensions import db
from server.models import AppliedMutation, AuditEvent, ChangeFeed
from server.models.base import utcnow

# Bookkeeping of sync itself; its effects are audited as the records it writes.
_NOT_AUDITED = (AuditEvent, AppliedMutation, ChangeFeed)


def _actor() -> tuple[int | None, str | None]:
    if not has_request_context():
        return None, None
    user = getattr(g, "user", None)
    return (user.id if user else None), request.remote_addr


def entity_type(obj) -> str:
    return obj.__tablename__


def _entity_id(obj) -> str | None:
    ident = getattr(obj, "id", None)
    return None if ident is None else str(ident)


def record(
    action: str,
    entity_type: str | None = None,
    entity_id=None,
    detail=None,
    user_id: int | None = None,
) -> None:
    """Add one audit event (login, read, ...) to the current transaction."""
    actor_id, ip = _actor()
    db.session.add(
        AuditEvent(
            user_id=user_id if user_id is not None else actor_id,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            detail=detail,
            ip=ip,
        )
    )


def record_read(obj, detail: dict | None = None) -> None:
    """A read of personal data (e.g. a participant's page), committed at once."""
    record("read", entity_type(obj), _entity_id(obj), detail)
    db.session.commit()


def record_read_list(entity_type: str, ids: list) -> None:
    """A page that shows personal data (names) of several records: one event
    naming them all and the page."""
    if ids:
        record("read", entity_type, None, {"ids": _unique(ids), "page": _page()})
        db.session.commit()


def record_export(entity_type: str | None, ids: list, rows: int) -> None:
    """A file handed out (CSV), with whose data it holds; committed at once.
    Logged even when it names nobody (aggregate figures): every export is."""
    record("export", entity_type, None, {"ids": _unique(ids), "rows": rows, "file": _page()})
    db.session.commit()


def _unique(ids: list) -> list[str]:
    return list(dict.fromkeys(str(i) for i in ids if i is not None))


def _page() -> str | None:
    return request.full_path.rstrip("?") if has_request_context() else None


# Refusals of these are not about personal data: the app's own static files.
_NOT_PERSONAL_ENDPOINTS = frozenset({"static", "app_shell.serve_file", "app_shell.serve_worker"})


def log_refusals(app) -> None:
    """Every 403 and 404 a logged-in user gets from a route (not an unknown
    address, not a static file) is an audited "refused" event."""

    @app.after_request
    def _refused(response):
        user = getattr(g, "user", None)
        if (
            response.status_code in (403, 404)
            and user is not None
            and request.url_rule is not None
            and request.endpoint not in _NOT_PERSONAL_ENDPOINTS
        ):
            user_id = user.id
            # Whatever the refused request had started is not kept.
            db.session.rollback()
            record(
                "refused",
                None,
                None,
                {"status": response.status_code, "method": request.method, "page": _page()},
                user_id=user_id,
            )
            db.session.commit()
        return response


def record_many(connection, rows: list[dict]) -> None:
    """Bulk audit rows (action, entity_type, entity_id, user_id, detail) on a Core connection."""
    if rows:
        now = utcnow()
        _user, ip = _actor()
        rows = [{"at": now, "ip": ip, **r} for r in rows]
        bulk.insert_rows(connection, AuditEvent.__table__, rows)


def _changed_fields(obj) -> list[str]:
    state = db.inspect(obj)
    return sorted(
        attr.key
        for attr in state.attrs
        if attr.key not in ("updated_at", "field_meta", "version") and attr.history.has_changes()
    )


def _on_flush(session: Session, _context) -> None:
    # after_flush: ids are assigned now, history still shows what changed.
    user_id, _ip = _actor()
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, _NOT_AUDITED):
                continue
            detail, logged_as = None, action
            if action == "update":
                fields = _changed_fields(obj)
                if not fields:
                    continue
                detail = {"fields": fields}
                # Synced records are deleted by tombstone.
                if "deleted" in fields and getattr(obj, "deleted", False):
                    logged_as = "delete"
            rows.append(
                {
                    "action": logged_as,
                    "entity_type": entity_type(obj),
                    "entity_id": _entity_id(obj),
                    "user_id": user_id,
                    "detail": detail,
                }
            )
    record_many(session.connection(), rows)


_installed = False


def install_write_listener() -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _on_flush)
        _installed = True
