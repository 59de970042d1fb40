"""Records as a pull sends them (L6), rendered by the database.

A pull's records go out exactly as stored, so the database writes each one's
JSON text (`sync.record.wire_form`: record type and id, version, deleted,
fields and each field's stamp) and the server joins the texts into the page.
Reading the rows into Python, decoding every record's field metadata and
encoding it again cost ~70 µs a record; SQLite renders one in ~6 µs.

The expression is built once per record type and dialect from the registry,
so it lists the same fields as `SqlStore._state` (tests/integration/
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

from server.sync_api.id_lists import ids_in
from server.sync_api.registry import TYPES
from sync.record import DELETED


def rendered(connection, record_type: str, ids: list[str]) -> dict[str, str]:
    """Record id -> its wire JSON text, for those of `ids` that exist."""
    if not ids:
        return {}
    dialect = connection.dialect.name
    table = TYPES[record_type].table
    statement = select(table.c.id, _json_of(record_type, dialect)).where(
        ids_in(table.c.id, ids, dialect)
    )
    return dict(connection.execute(statement).all())


@cache
def _json_of(record_type: str, dialect: str):
    """The SQL expression of a record's wire JSON text."""
    table = TYPES[record_type].table
    sqlite = dialect != "postgresql"
    json_object = func.json_object if sqlite else func.json_build_object
    each = func.json_each(table.c.field_meta).table_valued("key", "value")
    if sqlite:
        field_stamp = func.json_extract(each.c.value, "$.s")
        stamps = func.json_group_object(each.c.key, field_stamp)
        delete_stamp = func.json_extract(table.c.field_meta, f"$.{DELETED}.s")
        empty = json_object()
    else:
        field_stamp = each.c.value.op("->>")("s")
        stamps = func.coalesce(func.json_object_agg(each.c.key, field_stamp), _pg_empty())
        delete_stamp = table.c.field_meta.op("->")(DELETED).op("->>")("s")
        empty = _pg_empty()
    fields = json_object(
        *_pairs((name, _value(table.c[name], sqlite)) for name in TYPES[record_type].fields)
    )
    live_stamps = select(stamps).where(each.c.key != DELETED).scalar_subquery()
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
                    case((deleted, json_object(literal(DELETED), delete_stamp)), else_=live_stamps),
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


def _pg_empty():
    return cast(literal("{}"), JSON)
