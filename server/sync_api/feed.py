"""The change feed: one row per change, in commit order, with the record's scope.

Step W6 of docs/sync-protocol.md ("Each changed record gets a change-feed
position"). Positions come from the table's autoincrement key; they are only
safe to pull after if they are handed out in commit order, which PostgreSQL
does not do by itself (a sequence number is taken at insert, and a slow
transaction may commit a lower number after a faster one was already pulled).
So every writer takes one transaction-level advisory lock right before it
inserts feed rows and holds it until commit: feed writes are serialized, and
a reader can never see position n+1 before n. SQLite allows one writer at a
time anyway.
"""

from sqlalchemy import text

from server import bulk
from server.models import ChangeFeed
from server.sync_api.scopes import Scope, ScopeResolver, records_under

# Any constant will do; it only has to be the same for every writer.
FEED_LOCK_KEY = 7_391_004


def lock_feed(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK_KEY})


def feed_row(record_type: str, record_id: str, version: int, scope: Scope) -> dict:
    return {
        "record_type": record_type,
        "record_id": record_id,
        "version": version,
        "organization_id": scope.organization_id,
        "participant_id": scope.participant_id,
        "employer_id": scope.employer_id,
        "sensitive": scope.sensitive,
        "kind": "change",
        "target_user_id": None,
    }


def moved_rows(
    connection, moved: list[tuple[str, str]], before: ScopeResolver, after: ScopeResolver
) -> list[dict]:
    """Records whose scope columns changed (`before` resolves scopes from their
    old fields, `after` from their new ones): for each that left a scope, and
    each record under it, a "leave" row with the old scope (a removal for
    whoever cannot see it now, L3b); the records under it also get a change
    row with the new scope (the record itself has its own)."""
    rows = []
    for record_type, record_id in moved:
        old, new = before.of_id(record_type, record_id), after.of_id(record_type, record_id)
        if old is None or old == new:
            continue
        rows.append(leave_row(record_type, record_id, old))
        for key in records_under(connection, record_type, record_id)[1:]:
            sub_old, sub_new = before.of_id(*key), after.of_id(*key)
            if sub_old is not None and sub_old != sub_new:
                rows.append(leave_row(*key, sub_old))
                if sub_new is not None:
                    rows.append(feed_row(*key, 0, sub_new))
    return rows


def leave_row(record_type: str, record_id: str, old_scope: Scope) -> dict:
    return {**feed_row(record_type, record_id, 0, old_scope), "kind": "leave"}


def access_rows(participant_id: str, organization_id: int, old_coach, new_coach) -> list[dict]:
    """A participant moved between coaches: the old one's devices drop the
    history (revoke), the new one's receive all of it (grant)."""
    rows = []
    for kind, user_id in (("revoke", old_coach), ("grant", new_coach)):
        if user_id is not None:
            rows.append(
                {
                    "record_type": "participant",
                    "record_id": participant_id,
                    "version": 0,
                    "organization_id": organization_id,
                    "participant_id": participant_id,
                    "employer_id": None,
                    "sensitive": False,
                    "kind": kind,
                    "target_user_id": user_id,
                }
            )
    return rows


def append(connection, rows: list[dict]) -> None:
    if rows:
        lock_feed(connection)
        bulk.insert_rows(connection, ChangeFeed.__table__, rows)
