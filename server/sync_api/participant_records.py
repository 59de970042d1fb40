"""The records that hang off a participant, derived from the sync registry.

A record type belongs to a participant when its scope parent chain
(`RecordType.parent`) leads to "participant"; adding a type to the registry
with such a parent brings it into export, erasure and retention unchanged.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.records.registry import SYNCED, RecordType, descendants

PARTICIPANT = "participant"


@dataclass(frozen=True)
class LinkedType:
    synced: RecordType
    # The foreign key to the parent record, None for the participant itself.
    parent_field: str | None
    parent_type: str | None


@cache
def linked_types() -> tuple[LinkedType, ...]:
    """Every record type of a participant, parents before children (the
    registry's order, which the sync push relies on too)."""
    out = [LinkedType(SYNCED[PARTICIPANT], None, None)]
    out += [LinkedType(t, *t.parent) for t in descendants(PARTICIPANT)]
    return tuple(out)


def records_of(session: Session, participant_id: str) -> dict[str, list]:
    """record type -> every record (tombstones included) that belongs to the participant."""
    ids: dict[str, list[str]] = {}
    found: dict[str, list] = {}
    for linked in linked_types():
        model = linked.synced.model
        if linked.parent_field is None:
            query = select(model).where(model.id == participant_id)
        else:
            parent_ids = ids.get(linked.parent_type, [])
            if not parent_ids:
                ids[linked.synced.name], found[linked.synced.name] = [], []
                continue
            query = select(model).where(getattr(model, linked.parent_field).in_(parent_ids))
        rows = list(session.scalars(query.order_by(model.created_at, model.id)))
        found[linked.synced.name] = rows
        ids[linked.synced.name] = [r.id for r in rows]
    return found


def record_ids(records: dict[str, list]) -> list[str]:
    return [r.id for rows in records.values() for r in rows]
