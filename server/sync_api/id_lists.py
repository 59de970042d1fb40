"""`column IN (ids)` with the whole list as one parameter.

Sync asks for up to a thousand ids at a time (a page's records, a push's
mutation ids, a coach's caseload). With a placeholder per id, SQLAlchemy
rebuilds the statement for every list length and the driver binds each id;
one JSON array (SQLite, read back with json_each) or one array (PostgreSQL,
= ANY) costs the same whatever the length.
"""

from sqlalchemy import String, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from sync.record import compact_json


def ids_in(column, ids, dialect: str):
    """The condition, its list bound now."""
    return _ids_in(column, dialect, None, ids_value(ids, dialect))


def ids_in_parameter(column, dialect: str, key: str):
    """The condition with the list as the named parameter `key`, whose value
    (`ids_value`) is given at execution: for a statement compiled once."""
    return _ids_in(column, dialect, key)


def _ids_in(column, dialect: str, key: str | None, value=None):
    required = value is None
    if dialect == "postgresql":
        return column == any_(bindparam(key, value, type_=ARRAY(String), required=required))
    values = func.json_each(bindparam(key, value, type_=String, required=required))
    return column.in_(select(literal_column("value")).select_from(values).scalar_subquery())


def ids_value(ids, dialect: str):
    """The parameter's value: an array on PostgreSQL, a JSON array's text on SQLite."""
    return list(ids) if dialect == "postgresql" else compact_json(list(ids))
