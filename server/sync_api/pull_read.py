"""L3-L6 of docs/sync-protocol.md: a page of the change feed after a cursor,
within the pulling user's scope (checked again on each record's current scope,
L3b), with each record rendered by the database
(render.py) and its open conflicts.
"""

from collections import defaultdict
from functools import cache
from operator import itemgetter

from sqlalchemy import Integer, bindparam, func, or_, select, union_all

from server.models import ChangeFeed, Conflict
from server.sync_api import render
from server.sync_api.compiled import Compiled, compile_statement, run
from server.sync_api.id_lists import ids_in_parameter, ids_value
from server.sync_api.scopes import (
    PullScope,
    Scope,
    ScopeResolver,
    records_under,
    representative_employers,
)
from sync.conflicts import Conflict as EngineConflict
from sync.conflicts import ConflictValue
from sync.store import Change, Removal, Skipped

# The first window of feed positions a page is looked for in (see _feed_rows).
FEED_WINDOW = 4 * 1000
# Reading a feed row in position order costs about a quarter of seeking one
# listed participant's index (SQLite, measured with 1,052 listed).
SCAN_PER_LISTED = 4


class PullRead:
    def __init__(self, connection):
        self.conn = connection

    def changes_after(
        self, position: int, scope: PullScope, limit: int, backlog: bool = False
    ) -> list:
        entries: list[Change | Removal | Skipped] = []
        start = read_to = position
        while True:
            rows = self._feed_rows(position, scope, limit, backlog)
            entries.extend(self._entries(rows, scope))
            if rows:
                read_to = rows[-1][0]
            # L3b may drop rows: a full read that gave fewer entries than a
            # page is followed by the next, or `more` would end the pull early.
            if len(rows) < limit or len(entries) >= limit:
                break
            position, backlog = rows[-1][0], True
        # Rows dropped after the last entry: the cursor moves past them, or
        # every later pull would read them again (a page of them, for ever).
        last = entries[-1].position if entries else start
        if len(entries) < limit and last < read_to:
            entries.append(Skipped(read_to))
        return entries

    def _entries(self, rows: list, scope: PullScope) -> list:
        if not rows:
            return []
        seen = self._seen_now(scope, [(t, i) for _, t, i, k in rows if k in ("change", "leave")])
        # Each record to send, and whose data it is (for the pull's audit):
        # its current scope's participant; a grant's records are its participant's.
        wanted: dict[tuple[str, str], str | None] = {}
        expansions: dict[int, list[tuple[str, str]]] = {}
        for seq, record_type, record_id, kind in rows:
            if kind == "change":
                if (current := seen.get((record_type, record_id))) is not None:
                    wanted[(record_type, record_id)] = current.participant_id
            elif kind in ("grant", "revoke"):
                records = records_under(self.conn, "participant", record_id)
                expansions[seq] = records
                if kind == "grant":
                    wanted.update(dict.fromkeys(records, record_id))
        rendered = self._rendered(list(wanted), scope.role == "employer_rep")
        conflicts = self._open_conflicts(list(wanted))
        entries: list[Change | Removal] = []
        for seq, record_type, record_id, kind in rows:
            if kind == "revoke":
                entries.extend(Removal(seq, t, i) for t, i in expansions[seq])
                continue
            if kind == "leave":
                # L3b: the record left a scope this user saw it in; a
                # removal unless they may still see it.
                if (record_type, record_id) not in seen:
                    entries.append(Removal(seq, record_type, record_id))
                continue
            keys = expansions[seq] if kind == "grant" else ((record_type, record_id),)
            for key in keys:
                text = rendered.get(key)
                if text is not None:
                    entries.append(Change(seq, *key, text, conflicts.get(key, ()), wanted.get(key)))
        return entries

    def _seen_now(
        self, scope: PullScope, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], Scope]:
        """L3b: which of these records the user may see now, with their current
        scope: a feed row's scope is the one its record had when written."""
        if not keys:
            return {}
        resolver = ScopeResolver(self.conn)
        resolver.prefetch(keys)
        employers = frozenset()
        if scope.role == "employer_rep":
            employers = representative_employers(self.conn, scope.user_id)
        now = {k: resolver.of_id(*k) for k in keys}
        return {k: s for k, s in now.items() if scope.sees(k[0], s, employers)}

    def _feed_rows(self, position: int, scope: PullScope, limit: int, backlog: bool) -> list:
        """L3: the scope's feed rows after the cursor, the first `limit` in
        position order. Each scope branch reads its own index.

        Most pulls are incremental: few rows follow the cursor, and one read
        in index order, unsorted and stopped after `limit` rows, finds them
        all. When that read is full, a backlog follows (a first pull). A branch
        over a list (a coach's caseload) sorts what it finds, so asking for
        everything after the cursor would sort the whole history again for
        every page; the page is looked for in a window of positions instead,
        widened until it holds a page or reaches the end of the feed. When the
        page before was full (`backlog`), the first read is skipped: it would
        only find a full page again.
        """
        dialect = self.conn.dialect
        shape = scope.feed_shape(dialect.name)
        incremental = _feed_statement(shape, dialect, False, False)
        if incremental is None:
            return []  # a role that receives nothing
        values = {**scope.feed_values(dialect.name), "position": position, "limit": limit}
        if not backlog:
            rows = run(self.conn, incremental, values)
            if len(rows) < limit:
                return sorted(rows, key=itemgetter(0))
        end = self.conn.execute(_FEED_END).scalar() or 0
        # On SQLite a window no wider than a few positions per listed
        # participant is cheaper read in position order than by seeking each.
        scan_up_to = SCAN_PER_LISTED * scope.listed(dialect.name) if dialect.name == "sqlite" else 0
        span = FEED_WINDOW
        while True:
            values["upper"] = position + span
            bounded = values["upper"] < end
            if scan_up_to and min(span, end - position) <= scan_up_to:
                statement = _feed_scan_statement(shape, dialect, bounded)
            else:
                statement = _feed_statement(shape, dialect, True, bounded)
            rows = run(self.conn, statement, values)
            if len(rows) >= limit or not bounded:
                return rows
            span *= 8

    def _rendered(
        self, keys: list[tuple[str, str]], employer_side: bool
    ) -> dict[tuple[str, str], str]:
        by_type = defaultdict(list)
        for record_type, record_id in keys:
            by_type[record_type].append(record_id)
        return {
            (record_type, record_id): text
            for record_type, ids in by_type.items()
            for record_id, text in render.rendered(
                self.conn, record_type, ids, employer_side
            ).items()
        }

    def _open_conflicts(self, keys) -> dict[tuple[str, str], tuple[EngineConflict, ...]]:
        if not keys:
            return {}
        dialect = self.conn.dialect
        statement, decode = _conflicts_statement(dialect)
        ids = ids_value({record_id for _, record_id in keys}, dialect.name)
        out = defaultdict(list)
        for row in run(self.conn, statement, {"ids": ids}):
            conflict_id, record_type, record_id, field, kind, values, version, mutation_id = row
            values = tuple(ConflictValue(**v) for v in decode(values))
            conflict = EngineConflict(
                conflict_id, record_type, record_id, field, kind, values, version, mutation_id or ""
            )
            out[(record_type, record_id)].append(conflict)
        return {key: tuple(values) for key, values in out.items()}


# Built once: SQLAlchemy then finds their compiled form without building and
# hashing a new expression for every pull.
_FEED_END = select(func.max(ChangeFeed.seq))
_FEED_COLUMNS = (ChangeFeed.seq, ChangeFeed.record_type, ChangeFeed.record_id, ChangeFeed.kind)


@cache
def _feed_statement(shape: tuple, dialect, ordered: bool, bounded: bool) -> Compiled | None:
    """The feed read of one scope shape, compiled once (see PullScope.feed_shape):
    each branch limited on its own, merged, limited again. None for a role
    that receives nothing."""
    branches = PullScope.feed_branches(shape, dialect.name)
    if not branches:
        return None
    window = _feed_window(bounded)
    limit = bindparam("limit", type_=Integer)
    selects = [select(*_FEED_COLUMNS).where(condition, *window) for condition in branches]
    if ordered:
        selects = [s.order_by(ChangeFeed.seq) for s in selects]
    union = union_all(*(select(s.limit(limit).subquery()) for s in selects)).subquery()
    statement = select(union).limit(limit)
    if ordered:
        statement = statement.order_by(union.c.seq)
    return compile_statement(statement, dialect)


@cache
def _feed_scan_statement(shape: tuple, dialect, bounded: bool) -> Compiled:
    """A window of the feed read in position order, every scope branch
    tested on each row (SQLite: no index answers the branches)."""
    branches = PullScope.feed_branches(shape, dialect.name, indexed=False)
    statement = select(*_FEED_COLUMNS).where(*_feed_window(bounded), or_(*branches))
    statement = statement.order_by(ChangeFeed.seq).limit(bindparam("limit", type_=Integer))
    return compile_statement(statement, dialect)


def _feed_window(bounded: bool) -> list:
    """Positions after the cursor (`position`), up to `upper` when bounded."""
    window = [ChangeFeed.seq > bindparam("position", type_=Integer)]
    if bounded:
        window.append(ChangeFeed.seq <= bindparam("upper", type_=Integer))
    return window


@cache
def _conflicts_statement(dialect) -> tuple[Compiled, object]:
    """L6: the open conflicts of a page's records, compiled once, and how to
    decode their stored values (the JSON column's own result processor)."""
    table = Conflict.__table__
    c = table.c
    columns = (c.id, c.record_type, c.record_id, c.field, c.kind, c["values"], c.version)
    statement = select(*columns, c.mutation_id).where(
        ids_in_parameter(c.record_id, dialect.name, "ids"), c.status == "open"
    )
    process = c["values"].type.dialect_impl(dialect).result_processor(dialect, None)
    return compile_statement(statement, dialect), process or (lambda value: value)
