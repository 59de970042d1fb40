"""GDPR Art. 17: a participant's personal content removed, the proof kept.

Every record of the participant (server/sync_api/participant_records.py)
becomes a tombstone through the ORM, so the server-edit hook
(server/sync_api/server_edits.py) puts each removal in the change feed and
every device that held the record receives it at its next pull, like any
delete. What stays of a record: its ids, links, dates and coded values
(measure, phase, outcome, rating); its text goes. Conflict values and
sign-offs' signed content go too. Audit entries stay, with the participant's
id replaced by a pseudonym.
"""

import hashlib
import hmac

import orjson
from flask import current_app
from sqlalchemy import Enum, String, Text, delete, insert, update
from sqlalchemy.orm import Session

from server import audit
from server.models import (
    AuditEvent,
    AuditRewritePermit,
    Erasure,
    Participant,
)
from server.models.base import utcnow
from server.subjects import export
from server.sync_api import participant_records

# Columns that are the record's identity, links and sync bookkeeping: kept.
_STRUCTURE = frozenset(
    {"id", "version", "deleted", "field_meta", "created_at", "updated_at", "record_type"}
)
# Personal facts that are not text.
_PERSONAL_NUMBERS = frozenset({"birth_year"})


def pseudonym_of(participant_id: str) -> str:
    """Stable for a participant (keyed with the server's secret, so the
    pseudonym cannot be recomputed from a guessed id without it)."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, participant_id.encode(), hashlib.sha256).hexdigest()
    return f"erased-{digest[:20]}"


def _is_text(column) -> bool:
    return isinstance(column.type, String | Text) and not isinstance(column.type, Enum)


def _blank(obj) -> None:
    for column in obj.__table__.columns:
        name = column.key
        if name in _STRUCTURE or column.foreign_keys or name.endswith("_id"):
            continue
        if _is_text(column) or name in _PERSONAL_NUMBERS:
            empty = None if column.nullable else ("" if _is_text(column) else 0)
            if getattr(obj, name) != empty:
                setattr(obj, name, empty)


def _scrub(value, old: str, new: str):
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_scrub(v, old, new) for v in value]
    if isinstance(value, dict):
        return {_scrub(k, old, new): _scrub(v, old, new) for k, v in value.items()}
    return value


def _pseudonymize_audit(session: Session, participant_id: str, ids: list[str], name: str) -> int:
    """Replace the participant's id in the audit log, through the one permit
    the append-only triggers accept (migration 0010), within this transaction."""
    entries = export.audit_entries_of(session, [participant_id], ids)
    targets = [
        e for e in entries if e.entity_id == participant_id or participant_id in _text(e.detail)
    ]
    if not targets:
        return 0
    permits = AuditRewritePermit.__table__
    table = AuditEvent.__table__
    permit_id = session.execute(
        insert(permits).values(kind="pseudonymize").returning(permits.c.id)
    ).scalar_one()
    for entry in targets:
        session.execute(
            update(table)
            .where(table.c.id == entry.id)
            .values(
                entity_id=name if entry.entity_id == participant_id else entry.entity_id,
                detail=_scrub(entry.detail, participant_id, name),
            )
        )
    session.execute(delete(permits).where(permits.c.id == permit_id))
    for entry in targets:
        session.expire(entry)
    return len(targets)


def _text(detail) -> str:
    return "" if detail is None else orjson.dumps(detail).decode()


def erase(
    session: Session,
    participant: Participant,
    reason: str,
    user_id: int | None,
    source: str = "request",
) -> Erasure:
    """Erase and flush (the caller commits). A second call returns the first erasure."""
    # Row lock: two runs (a request and a cron job) erase one participant once.
    session.refresh(participant, with_for_update=True)
    done = export.erasure_of(session, participant.id)
    if done is not None:
        return done
    records = participant_records.records_of(session, participant.id)
    ids = participant_records.record_ids(records)
    for rows in records.values():
        for obj in rows:
            _blank(obj)
            obj.deleted = True
            obj.updated_by_id = user_id
    for conflict in export.conflicts_of(session, participant.id, ids):
        conflict.values = [{**v, "value": None} for v in conflict.values]
        if conflict.resolution is not None:
            conflict.resolution = None
    for restriction in export.restrictions_of(session, participant.id):
        restriction.reason = ""
    session.flush()  # tombstones, their feed rows and their audit entries
    name = pseudonym_of(participant.id)
    count = _pseudonymize_audit(session, participant.id, ids, name)
    erasure = Erasure(
        participant_id=participant.id,
        pseudonym=name,
        source=source,
        reason=reason,
        erased_at=utcnow(),
        erased_by_id=user_id,
        records_erased=len(ids),
        audit_entries_pseudonymized=count,
    )
    session.add(erasure)
    session.flush()
    audit.record(
        "erase", "participants", name, {"erasure": erasure.id, "source": source}, user_id=user_id
    )
    session.flush()
    return erasure
