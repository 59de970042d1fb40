"""The record rules (server/records/rules.py) for an edit made on the server
through the ORM — a conflict settled at the desk, a desk form — so the desk
refuses what a device and the push refuse, with the same messages.

`rule_errors(session, record_type, record, changes)`: {field: [message]} of
the rules the record would break with `changes` (deserialized values)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.records.registry import TYPES
from server.records.rules import field_errors, lookup_errors


def _fields(record) -> dict:
    return {c.key: getattr(record, c.key) for c in type(record).__table__.columns}


def rule_errors(session: Session, record_type: str, record, changes: dict) -> dict:
    rules = TYPES[record_type].record_rules
    if not rules or not changes:
        return {}
    creating = record is None
    merged = {**(_fields(record) if record is not None else {}), **changes}
    table = TYPES[record_type].table

    def find(target_type: str, target_id: str):
        target = session.get(TYPES[target_type].model, target_id)
        return None if target is None else _fields(target)

    def holder(rule, key):
        names = (*rule.get("with", ()), rule["field"])
        equal = (table.c[n] == v for n, v in zip(names, key, strict=True))
        query = select(table.c.id).where(*equal)
        if "organization_id" in table.c:
            query = query.where(table.c.organization_id == merged.get("organization_id"))
        ids = [i for i in session.scalars(query) if i != merged.get("id")]
        return ids[0] if ids else None

    errors = field_errors(record_type, rules, merged, changes, creating)
    for name, messages in lookup_errors(
        record_type, rules, merged, merged.get("id"), changes, creating, find, holder
    ).items():
        errors.setdefault(name, []).extend(messages)
    return errors
