"""Records as a pull sends them (L6), rendered by the database.

A pull's records go out exactly as stored, so the database writes each one's
JSON text (`sync.record.wire_form`: record type and id, version, deleted,
fields and each field's stamp, stored ready to send) and the server joins the
texts into the page.
Reading the rows into Python, decoding every record's field metadata and
encoding it again cost ~70 µs a record; SQLite renders one in ~6 µs.

The expression is built once per record type and dialect from the registry,
so it lists the same fields as `rows.state_of` (tests/integration/
test_sync_render.py checks the two agree for every type, on both databases).

For the employer side (a representative's pull) a type's fields that name
the participant (registry hook NamesParticipant: a sign-off's signed text,
its hash and the assertion's challenge) go out as null unless that
participant has consented, decided by the database row by row as it
renders. The stored record is untouched: the server verifies signatures
from it (W1b, `flask verify-signoff`), never from what a device holds.
"""

from functools import cache

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Text,
    case,
    cast,
    func,
    literal,
    null,
    select,
)

from server.records.hooks import NamesParticipant
from server.records.registry import SYNCED
from server.sync_api.compiled import Compiled, compile_statement, run
from server.sync_api.id_lists import ids_in_parameter, ids_value
from sync.record import DELETED


def rendered(
    connection, record_type: str, ids: list[str], employer_side: bool = False
) -> dict[str, str]:
    """Record id -> its wire JSON text, for those of `ids` that exist;
    `employer_side`: as a representative may receive it (see above)."""
    if not ids:
        return {}
    # Only types that name the participant render differently for the employer side.
    employer_side = employer_side and _withheld(record_type) is not None
    statement = _statement(record_type, connection.dialect, employer_side)
    return dict(run(connection, statement, {"ids": ids_value(ids, connection.dialect.name)}))


@cache
def _statement(record_type: str, dialect, employer_side: bool = False) -> Compiled:
    """The statement compiled once (its names and paths are constants): the
    expression is large, and building its cache key on every call cost as
    much as running it."""
    table = SYNCED[record_type].table
    wanted = ids_in_parameter(table.c.id, dialect.name, "ids")
    json = _json_of(record_type, dialect.name != "postgresql", employer_side)
    statement = select(table.c.id, json)
    return compile_statement(statement.where(wanted), dialect)


def _withheld(record_type: str) -> NamesParticipant | None:
    return SYNCED[record_type].hook(NamesParticipant)


def _consent_of(record_type: str, record_id, consent: str):
    """SQL: the consent flag of the participant above a record, following the
    registry's parent links (a sign-off: its demonstration's participant)."""
    table = SYNCED[record_type].table
    parent = SYNCED[record_type].parent
    # Correlated to the rendered record however deep it is nested.
    column = table.c[consent if parent is None else parent[0]]
    step = select(column).where(table.c.id == record_id).correlate_except(table)
    return step if parent is None else _consent_of(parent[1], step.scalar_subquery(), consent)


def _json_of(record_type: str, sqlite: bool, employer_side: bool = False):
    """The SQL expression of a record's wire JSON text."""
    table = SYNCED[record_type].table
    names = SYNCED[record_type].fields
    meta = table.c.field_meta
    # The stamps are stored as the wire sends them (sync.record.encode_meta):
    # "s" is taken whole, a deletion's stamp is "d"[0].
    if sqlite:
        json_object = func.json_object
        empty = json_object()
        stamps = meta.op("->")(literal("$.s"))
        delete_stamp = meta.op("->>")(literal("$.d[0]"))
    else:
        json_object = func.json_build_object
        empty = cast(literal("{}"), JSON)
        stamps = meta.op("->")(literal("s"))
        delete_stamp = meta.op("->")(literal("d")).op("->>")(literal(0))
    values = {name: _value(table.c[name], sqlite) for name in names}
    withheld = _withheld(record_type) if employer_side else None
    if withheld is not None:
        fk, parent_type = SYNCED[record_type].parent
        consent = _consent_of(parent_type, table.c[fk], withheld.consent).scalar_subquery()
        # No consent, or no participant found: null.
        for name in withheld.fields:
            values[name] = case((consent, values[name]), else_=null())
    fields = json_object(*_pairs(values.items()))
    deleted = table.c.deleted
    record = json_object(
        *_pairs(
            (
                ("record_type", literal(record_type)),
                ("record_id", table.c.id),
                ("version", table.c.version),
                ("deleted", _boolean(deleted) if sqlite else deleted),
                ("fields", case((deleted, empty), else_=fields)),
                (
                    "stamps",
                    case(
                        (deleted, json_object(literal(DELETED), delete_stamp)),
                        else_=func.coalesce(stamps, empty),
                    ),
                ),
            )
        )
    )
    return record if sqlite else cast(record, Text)


def _pairs(items):
    """json_object's arguments: name, value, name, value …"""
    return [part for name, value in items for part in (literal(name), value)]


def _value(column, sqlite: bool):
    if not sqlite:
        return column  # PostgreSQL renders its own types as JSON
    if isinstance(column.type, Boolean):  # stored as 0/1
        return _boolean(column)
    if isinstance(column.type, DateTime):  # stored as "YYYY-MM-DD HH:MM:SS.ffffff"
        return func.replace(column, " ", "T")
    return column


def _boolean(column):
    """A 0/1 column as JSON true/false (null stays null)."""
    return case(
        (column.is_(None), func.json("null")),
        (column, func.json("true")),
        else_=func.json("false"),
    )
