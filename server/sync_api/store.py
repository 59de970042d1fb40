"""The database behind the sync engine: sync.store.SyncStore on SQLAlchemy Core.

The engine (sync/protocol.py) decides; the store reads and writes in batches,
one module per step of the protocol (docs/sync-protocol.md):
push_auth (P5), push_write (P8) and pull_read (L3-L6). The duplicate check
(P4) and the merge's reads (P6) are short and live here; rows.py holds what
one push has read, shared by its steps.
"""

from functools import cache

from sqlalchemy import select

from server.models import AppliedMutation, SignOff
from server.records.hooks import SignedContent
from server.records.registry import SYNCED
from server.sync_api.id_lists import ids_in_parameter, ids_value
from server.sync_api.pull_read import PullRead
from server.sync_api.push_auth import PushAuthorization
from server.sync_api.push_write import PushWrite
from server.sync_api.rows import Rows, state_of
from server.sync_api.scopes import PullScope
from sync.record import RecordState
from sync.store import WriteSet


class SqlStore:
    """One push or pull on one connection (the request's transaction)."""

    def __init__(self, connection):
        self.conn = connection
        self.rows = Rows(connection)
        self._authorization = PushAuthorization(self.rows)
        self._write = PushWrite(self.rows)

    def seen(self, mutation_ids: list[str]) -> set[str]:
        """P4."""
        if not mutation_ids:
            return set()
        dialect = self.conn.dialect.name
        statement = _seen_statement(dialect)
        return set(
            self.conn.execute(statement, {"ids": ids_value(mutation_ids, dialect)}).scalars()
        )

    def authorize(self, user_id: int, mutations: list) -> dict[str, str | dict | None]:
        """P5."""
        return self._authorization.authorize(user_id, mutations)

    def load(self, record_type: str, record_ids: list[str]) -> dict[str, RecordState]:
        """P6."""
        self.rows.fetch(record_type, record_ids)
        out = {}
        for i in record_ids:
            row = self.rows.get((record_type, i))
            if row is not None:
                out[i] = state_of(record_type, row)
        return out

    def frozen(self, record_type: str, record_ids: list[str]) -> set[str]:
        """P6: signed content (a demonstration, its tasks) whose demonstration
        has a sign-off that has not failed verification."""
        signed_content = SYNCED[record_type].hook(SignedContent)
        if signed_content is None or not record_ids:
            return set()
        self.rows.fetch(record_type, record_ids)
        demo_of = {
            i: signed_content.demonstration_id(i, row)
            for i in record_ids
            if (row := self.rows.get((record_type, i))) is not None
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

    def write(self, batch: WriteSet) -> None:
        """P8."""
        self._write.write(batch)

    def changes_after(
        self, position: int, scope: PullScope, limit: int, backlog: bool = False
    ) -> list:
        """L3-L6."""
        return PullRead(self.conn).changes_after(position, scope, limit, backlog)


@cache
def _seen_statement(dialect: str):
    column = AppliedMutation.__table__.c.mutation_id
    return select(column).where(ids_in_parameter(column, dialect, "ids"))
