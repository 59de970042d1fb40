"""Where a synced record belongs, and who may see it.

Every record hangs under a root: a participant (a coach's caseload), an
employer, or a meeting event, each in one organization. A record's scope is
its root's, plus the employer it concerns and whether it is special-category
data (a wellbeing goal and its assessments). The change feed stores the scope
with every change, so a pull filters on it without walking the records; as
that stored scope is the one at write time, a pull also checks each record's
current scope before sending it (L3b of docs/sync-protocol.md).
"""

from dataclasses import dataclass, replace
from functools import cache

from sqlalchemy import Integer, String, and_, bindparam, literal, select
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from server.auth.policy import employer_ids_of_representative
from server.models import ChangeFeed, Participant, User
from server.records.registry import SYNCED, descendants
from server.sync_api.compiled import Compiled, compile_statement, run
from server.sync_api.id_lists import ids_in_parameter, ids_value

# What an employer representative's device may receive (DESIGN §4).
EMPLOYER_VISIBLE_TYPES = tuple(name for name, t in SYNCED.items() if t.employer_visible)


@dataclass(frozen=True, slots=True)
class Scope:
    organization_id: int | None
    participant_id: str | None = None
    employer_id: str | None = None
    sensitive: bool = False


class ScopeResolver:
    """Scopes of records, walking up to their roots with few queries.

    `pending` holds the fields of records written in the same batch (they may
    not be in the database yet); parents found in the database are cached.
    `fetched` may be shared by the resolvers of one push (P5 and P8): rows read
    from the database there do not change within it, except records the push
    writes, and those are in `pending`, which is asked first.
    """

    def __init__(
        self,
        connection,
        pending: dict[tuple[str, str], dict] | None = None,
        fetched: dict[tuple[str, str], dict | None] | None = None,
    ):
        self.connection = connection
        self.pending = {} if pending is None else pending
        self.fetched = {} if fetched is None else fetched
        self._cache: dict[tuple[str, str], Scope | None] = {}

    def of(self, record_type: str, record_id: str, fields: dict) -> Scope | None:
        """The scope of a record with these fields; None if its parent does not exist."""
        synced = SYNCED[record_type]
        if synced.parent is None:
            scope = Scope(fields.get("organization_id"))
        elif fields.get(synced.parent[0]) is None and fields.get("organization_id"):
            # An optional parent left empty (a return of an employer contact
            # has no participant): the record belongs to its organization.
            scope = Scope(fields["organization_id"])
        else:
            fk, parent_type = synced.parent
            scope = self.of_id(parent_type, fields.get(fk))
            if scope is None:
                return None
        changes = {}
        if synced.scope_key is not None:
            changes[synced.scope_key] = record_id
        if fields.get("participant_id"):
            changes["participant_id"] = fields["participant_id"]
        if fields.get("employer_id"):
            changes["employer_id"] = fields["employer_id"]
        if synced.sensitive is not None:
            name, values = synced.sensitive
            if fields.get(name) in values:
                changes["sensitive"] = True
        # One copy per record (a pull page resolves each of its records).
        return replace(scope, **changes) if changes else scope

    def of_id(self, record_type: str, record_id: str | None) -> Scope | None:
        if not record_id:
            return None
        key = (record_type, record_id)
        if key not in self._cache:
            fields = self.pending.get(key)
            if fields is None:
                if key not in self.fetched:
                    self.fetched[key] = self._fetch(record_type, record_id)
                fields = self.fetched[key]
            self._cache[key] = None if fields is None else self.of(record_type, record_id, fields)
        return self._cache[key]

    def _fetch(self, record_type: str, record_id: str) -> dict | None:
        row = self.connection.execute(_scope_statement(record_type), {"id": record_id}).first()
        return None if row is None else dict(row._mapping)

    def prefetch(self, keys) -> None:
        """Read the scope columns of `keys` and of everything above them, one
        statement per type and level, so `of_id` then asks nothing (a pull page)."""
        dialect = self.connection.dialect.name
        wanted = [k for k in keys if k not in self.pending and k not in self.fetched]
        while wanted:
            by_type: dict[str, list[str]] = {}
            for record_type, record_id in wanted:
                by_type.setdefault(record_type, []).append(record_id)
            parents = []
            for record_type, ids in by_type.items():
                names = sorted(decisive_columns(record_type))
                statement = _scope_rows_statement(record_type, self.connection.dialect)
                rows = run(self.connection, statement, {"ids": ids_value(ids, dialect)})
                found = {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}
                parent = SYNCED[record_type].parent
                for record_id in ids:
                    fields = self.fetched[(record_type, record_id)] = found.get(record_id)
                    if fields and parent is not None and fields.get(parent[0]):
                        parents.append((parent[1], fields[parent[0]]))
            wanted = [
                k for k in dict.fromkeys(parents) if k not in self.pending and k not in self.fetched
            ]


@cache
def decisive_columns(record_type: str) -> frozenset[str]:
    """The columns a record's scope is decided by."""
    synced = SYNCED[record_type]
    decisive = {"organization_id", "participant_id", "employer_id"}
    if synced.parent is not None:
        decisive.add(synced.parent[0])
    if synced.sensitive is not None:
        decisive.add(synced.sensitive[0])
    return frozenset(c.key for c in synced.table.columns if c.key in decisive)


@cache
def _scope_statement(record_type: str):
    """The columns a record's scope is decided by, built once per type."""
    table = SYNCED[record_type].table
    wanted = [table.c[name] for name in sorted(decisive_columns(record_type))]
    return select(*wanted).where(table.c.id == bindparam("id", type_=String))


@cache
def _scope_rows_statement(record_type: str, dialect) -> Compiled:
    """Ids and scope columns of many records, compiled once (a pull page)."""
    table = SYNCED[record_type].table
    wanted = [table.c[name] for name in sorted(decisive_columns(record_type))]
    statement = select(table.c.id, *wanted).where(ids_in_parameter(table.c.id, dialect.name, "ids"))
    return compile_statement(statement, dialect)


def records_under(connection, record_type: str, record_id: str) -> list[tuple[str, str]]:
    """A record and every record under it, parents first: what a grant sends,
    a revoke removes and a record leaving a scope takes along."""
    found: dict[str, list[str]] = {record_type: [record_id]}
    out = [(record_type, record_id)]
    for synced in descendants(record_type):
        fk, parent_type = synced.parent
        parents = found[parent_type]
        ids = []
        if parents:
            table = synced.table
            statement = select(table.c.id).where(table.c[fk].in_(parents))
            ids = list(connection.execute(statement).scalars())
        found[synced.name] = ids
        out.extend((synced.name, i) for i in ids)
    return out


def representative_employers(connection, user_id: int) -> frozenset[str]:
    return frozenset(connection.execute(employer_ids_of_representative(user_id)).scalars())


# On PostgreSQL a coach's pull asks the feed once per participant (up to this
# many): each branch is a plain range on (participant_id, seq), which the
# planner cannot misread. Given "participant_id IN (...) ORDER BY seq LIMIT n"
# it may instead walk the whole feed after the cursor hoping to meet n rows
# early (measured: 0.9 s at 1M rows). SQLite seeks the index per listed
# participant by itself, and one branch is cheaper there. Larger caseloads,
# rare in practice, share one IN-list branch.
PER_PARTICIPANT_BRANCHES = 100


@dataclass(frozen=True, slots=True)
class PullScope:
    """What one user's device may receive; turned into a filter on the change feed."""

    user_id: int
    role: str
    organization_id: int
    # A coach's participants, read once per pull (see PER_PARTICIPANT_BRANCHES).
    caseload: tuple[str, ...] = ()

    @classmethod
    def of(cls, user: User, session) -> "PullScope":
        caseload = ()
        if user.role == "coach":
            # Through the driver: a caseload read through the ORM cost more
            # per id than the pull of an empty page.
            connection = session.connection()
            rows = run(connection, _caseload_statement(connection.dialect), {"coach": user.id})
            caseload = tuple(row[0] for row in rows)
        return cls(user.id, user.role, user.organization_id, caseload)

    def feed_shape(self, dialect: str) -> tuple:
        """What the feed filter's SQL depends on (its values are parameters):
        the role, and the number of per-participant branches (None: one
        branch over the whole list)."""
        if self.role == "coach" and self._per_participant(dialect):
            return (self.role, len(self.caseload))
        return (self.role, None)

    def feed_values(self, dialect: str) -> dict:
        """The values of the named parameters in `feed_branches`."""
        values = {"org": self.organization_id, "user": self.user_id}
        if self.role == "coach":
            if self._per_participant(dialect):
                values.update((f"p{i}", p) for i, p in enumerate(self.caseload))
            else:
                values["caseload"] = ids_value(self.caseload, dialect)
        return values

    def sees(self, record_type: str, scope: Scope | None, employers: frozenset[str]) -> bool:
        """L3b: whether this user may see a record of `scope` now (the same
        rule as `feed_branches`, on the record's current scope); `employers`:
        a representative's employers."""
        if scope is None:
            return False
        if self.role == "employer_rep":
            return (
                scope.employer_id in employers
                and not scope.sensitive
                and record_type in EMPLOYER_VISIBLE_TYPES
            )
        if scope.organization_id != self.organization_id:
            return False
        if self.role == "coach":
            return scope.participant_id is None or scope.participant_id in self.caseload
        if self.role == "supervisor":
            return True
        if self.role == "admin":
            return scope.participant_id is None
        return False

    def _per_participant(self, dialect: str) -> bool:
        return dialect == "postgresql" and len(self.caseload) <= PER_PARTICIPANT_BRANCHES

    def listed(self, dialect: str) -> int:
        """How many ids the feed filter lists in one branch (a coach's caseload
        read as one list): the store may then scan a window in position order."""
        if self.role == "coach" and not self._per_participant(dialect):
            return len(self.caseload)
        return 0

    @staticmethod
    def feed_branches(shape: tuple, dialect: str, indexed: bool = True) -> list:
        """The conditions on the change feed of a `feed_shape`, one per index
        (see ChangeFeed): a pull asks each branch for the rows after its cursor
        and merges them. Every value is a named parameter (`feed_values`), so
        the statement is compiled once per shape. With `indexed` false the
        scope's columns are wrapped so that no index answers them: SQLite then
        reads a window of positions in order (see PullRead._feed_rows)."""
        role, per_participant = shape
        feed = ChangeFeed
        column = (lambda c: c) if indexed else _unindexed
        participant, organization = column(feed.participant_id), column(feed.organization_id)
        # A leave row carries a record's old scope (L3b turns it into a removal).
        change = feed.kind.in_(_literals(("change", "leave")))
        org = bindparam("org", type_=Integer)
        user = bindparam("user", type_=Integer)
        if role == "coach":
            if per_participant is not None:
                own = [
                    and_(participant == bindparam(f"p{i}", type_=String), change)
                    for i in range(per_participant)
                ]
            else:
                own = [and_(ids_in_parameter(participant, dialect, "caseload"), change)]
            grants = feed.kind.in_(_literals(("grant", "revoke")))
            return [
                *own,
                and_(organization == org, participant.is_(None), change),
                and_(column(feed.target_user_id) == user, grants),
            ]
        if role == "supervisor":
            return [and_(organization == org, change)]
        if role == "employer_rep":
            return [
                and_(
                    column(feed.employer_id).in_(employer_ids_of_representative(user)),
                    change,
                    feed.sensitive.is_(False),
                    feed.record_type.in_(_literals(EMPLOYER_VISIBLE_TYPES)),
                )
            ]
        if role == "admin":
            return [and_(organization == org, participant.is_(None), change)]
        return []


@cache
def _caseload_statement(dialect) -> Compiled:
    table = Participant.__table__
    coach = bindparam("coach", type_=Integer)
    return compile_statement(select(table.c.id).where(table.c.coach_id == coach), dialect)


def _unindexed(column):
    # SQLite's documented way to keep a term from using an index: a unary +.
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _literals(values):
    # Literals, not a list of values: SQLAlchemy expands a list only as it
    # executes, and a compiled feed statement is run through the driver.
    return [literal(v) for v in values]
