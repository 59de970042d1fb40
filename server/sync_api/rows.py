"""The rows one push reads, each once: records by type and id, and users.

Authorization (P5), the merge's loads (P6) and the write (P8) of one push
share them; a write that finds them stale forgets them, so the retry reads
again.
"""

from functools import cache
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, select

from server.models import User
from server.records.registry import SYNCED
from server.sync_api.fields import row_columns, temporal_fields
from server.sync_api.id_lists import ids_in_parameter, ids_value
from sync.record import RecordState, meta_from_json


class Pusher(NamedTuple):
    """What the rules ask of the user whose device pushes."""

    id: int
    role: str
    organization_id: int
    active: bool


class Rows:
    def __init__(self, connection):
        self.conn = connection
        self.records: dict[tuple[str, str], dict | None] = {}
        self.scope_rows: dict[tuple[str, str], dict | None] = {}  # see ScopeResolver
        self._users: dict[int, object] = {}
        self._pusher: Pusher | None = None

    def fetch(self, record_type: str, ids: list[str]) -> None:
        """Read the records not read yet; one that does not exist is remembered as None."""
        missing = [i for i in dict.fromkeys(ids) if (record_type, i) not in self.records]
        if not missing:
            return
        dialect = self.conn.dialect.name
        statement = _rows_statement(record_type, dialect)
        for row in self.conn.execute(statement, {"ids": ids_value(missing, dialect)}):
            self.records[(record_type, row.id)] = dict(row._mapping)
        for i in missing:
            self.records.setdefault((record_type, i), None)

    def get(self, key: tuple[str, str]) -> dict | None:
        return self.records.get(key)

    def reread(self, key: tuple[str, str]) -> dict | None:
        """A record the server has just changed itself."""
        record_type, record_id = key
        self.records.pop(key, None)
        self.fetch(record_type, [record_id])
        return self.records[key]

    def user(self, user_id):
        """A user's organization, role and whether active; None if there is no such user."""
        if user_id not in self._users:
            self._users[user_id] = self.conn.execute(_USER_FACTS, {"id": user_id}).first()
        return self._users[user_id]

    def pusher(self, user_id: int) -> Pusher:
        if self._pusher is None or self._pusher.id != user_id:
            facts = self.user(user_id)
            self._pusher = Pusher(user_id, facts.role, facts.organization_id, facts.active)
        return self._pusher

    def forget(self) -> None:
        """What was read may have changed (a concurrent push): the retry reads again."""
        self.records.clear()
        self.scope_rows.clear()


def state_of(record_type: str, row: dict) -> RecordState:
    """A record's row as the merge reads it (dates and times as the wire's text)."""
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


# Built once: SQLAlchemy then finds its compiled form without building and
# hashing a new expression for every push.
_USER_FACTS = select(User.organization_id, User.role, User.active).where(
    User.id == bindparam("id", type_=Integer)
)


@cache
def _rows_statement(record_type: str, dialect: str):
    table = SYNCED[record_type].table
    columns = [table.c[name] for name in row_columns(record_type)]
    return select(*columns).where(ids_in_parameter(table.c.id, dialect, "ids"))
