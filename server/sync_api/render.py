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
    select,
)

from server.records.registry import SYNCED
from server.sync_api.compiled import Compiled, compile_statement, run
from server.sync_api.id_lists import ids_in_parameter, ids_value
from sync.record import DELETED


def rendered(connection, record_type: str, ids: list[str]) -> dict[str, str]:
    """Record id -> its wire JSON text, for those of `ids` that exist."""
    if not ids:
        return {}
    statement = _statement(record_type, connection.dialect)
    return dict(run(connection, statement, {"ids": ids_value(ids, connection.dialect.name)}))


@cache
def _statement(record_type: str, dialect) -> Compiled:
    """The statement compiled once (its names and paths are constants): the
    expression is large, and building its cache key on every call cost as
    much as running it."""
    table = SYNCED[record_type].table
    wanted = ids_in_parameter(table.c.id, dialect.name, "ids")
    statement = select(table.c.id, _json_of(record_type, dialect.name != "postgresql"))
    return compile_statement(statement.where(wanted), dialect)


def _json_of(record_type: str, sqlite: bool):
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
    fields = json_object(*_pairs((name, _value(table.c[name], sqlite)) for name in names))
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
