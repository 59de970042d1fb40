"""`column IN (ids)` with the whole list as one parameter.

Sync asks for up to a thousand ids at a time (a page's records, a push's
mutation ids, a coach's caseload). With a placeholder per id, SQLAlchemy
rebuilds the statement for every list length and the driver binds each id;
one JSON array (SQLite, read back with json_each) or one array (PostgreSQL,
= ANY) costs the same whatever the length.
"""

import json

from sqlalchemy import String, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY


def ids_in(column, ids, dialect: str, key: str | None = None):
    """The condition, its list bound now; with `key`, a named parameter whose
    value is given at execution (`ids_value`), for a statement compiled once."""
    value = ids_value(ids, dialect)
    if dialect == "postgresql":
        return column == any_(bindparam(key, value, type_=ARRAY(String)))
    values = func.json_each(bindparam(key, value, type_=String))
    return column.in_(select(literal_column("value")).select_from(values).scalar_subquery())


def ids_value(ids, dialect: str):
    """The parameter's value: an array on PostgreSQL, a JSON array's text on SQLite."""
    return list(ids) if dialect == "postgresql" else json.dumps(list(ids))
