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


def ids_in(column, ids, dialect: str):
    ids = list(ids)
    if dialect == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(String)))
    values = func.json_each(bindparam(None, json.dumps(ids), type_=String))
    return column.in_(select(literal_column("value")).select_from(values).scalar_subquery())
