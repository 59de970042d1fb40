"""`column IN (ids)` with the whole list as one named parameter.

Sync asks for up to a thousand ids at a time (a page's records, a push's
mutation ids, a coach's caseload). With a placeholder per id, SQLAlchemy
rebuilds the statement for every list length and the driver binds each id;
one JSON array (SQLite, read back with json_each) or one array (PostgreSQL,
= ANY) costs the same whatever the length, and the statement is built once.
"""

from sqlalchemy import String, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from sync.record import compact_json


def ids_in_parameter(column, dialect: str, key: str):
    """The condition with the list as the named parameter `key`, whose value
    (`ids_value`) is given at execution."""
    if dialect == "postgresql":
        return column == any_(bindparam(key, type_=ARRAY(String), required=True))
    values = func.json_each(bindparam(key, type_=String, required=True))
    return column.in_(select(literal_column("value")).select_from(values).scalar_subquery())


def ids_value(ids, dialect: str):
    """The parameter's value: an array on PostgreSQL, a JSON array's text on SQLite."""
    return list(ids) if dialect == "postgresql" else compact_json(list(ids))
