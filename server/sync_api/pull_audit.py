"""The audit event of a pull: who received which participants' records, on which device.

Read from the page the pull is about to send (not from the feed rows behind
it), so what is logged is what left the server. One event per pull page that
carries records, written in one insert with the pull's read transaction; an
empty pull discloses nothing and writes nothing, so it stays as cheap as before.
"""

from collections import Counter, defaultdict
from functools import cache

import orjson
from sqlalchemy import select

from server import audit
from server.records.registry import SYNCED
from server.sync_api.participant_records import linked_types

RecordKey = tuple[str, str]


def record(connection, user_id: int, device_id: str, records_json: list[str], removals: int):
    """Add the pull's audit event (action "sync_pull") on `connection`."""
    if not records_json:
        return
    records = orjson.loads("[" + ",".join(records_json) + "]")
    owners = _participants(connection, records)
    per_participant = Counter(owner for owner in owners if owner is not None)
    audit.record_many(
        connection,
        [
            {
                "action": "sync_pull",
                "entity_type": "participants",
                "entity_id": None,
                "user_id": user_id,
                "detail": {
                    "device": device_id,
                    "records": len(records),
                    "participants": dict(per_participant),
                    # Records about no participant: employers, their contact people, events.
                    "other_records": len(records) - sum(per_participant.values()),
                    "record_types": dict(Counter(r["record_type"] for r in records)),
                    "removals": removals,
                },
            }
        ],
    )


def _participants(connection, records: list[dict]) -> list[str | None]:
    """Each record's participant (None: about no participant), following the
    registry's parent links: from the page itself where the parent is in it,
    else from the database, one query per record type and level."""
    parent_of: dict[RecordKey, RecordKey | None] = {}
    for r in records:
        key = (r["record_type"], r["record_id"])
        parent = SYNCED[key[0]].parent
        if parent is not None and parent[0] in r["fields"]:
            value = r["fields"][parent[0]]
            parent_of[key] = None if value is None else (parent[1], value)
    owner: dict[RecordKey, str | None] = {}

    def walk(key: RecordKey) -> RecordKey | None:
        """Up the parent links known so far; the last key reached (None: a dead end)."""
        while key[0] != "participant" and key in parent_of:
            key = parent_of[key]
            if key is None:
                return None
        return key

    keys = [(r["record_type"], r["record_id"]) for r in records]
    pending = [k for k in keys if _leads_to_participant(k[0])]
    owner.update((k, None) for k in keys if not _leads_to_participant(k[0]))
    while pending:
        unknown: dict[str, set[str]] = defaultdict(set)
        waiting = []
        for key in pending:
            reached = walk(key)
            if reached is None:
                owner[key] = None
            elif reached[0] == "participant":
                owner[key] = reached[1]
            else:
                unknown[reached[0]].add(reached[1])
                waiting.append(key)
        for record_type, ids in unknown.items():
            fk, parent_type = SYNCED[record_type].parent
            table = SYNCED[record_type].table
            statement = select(table.c.id, table.c[fk]).where(table.c.id.in_(ids))
            found = {ident: value for ident, value in connection.execute(statement)}
            for ident in ids:
                value = found.get(ident)
                parent_of[(record_type, ident)] = None if value is None else (parent_type, value)
        pending = waiting
    return [owner[k] for k in keys]


def _leads_to_participant(record_type: str) -> bool:
    return record_type in _participant_types()


@cache
def _participant_types() -> frozenset[str]:
    return frozenset(t.synced.name for t in linked_types())
