"""Inserting many rows at once through the database driver (sync push step P8, audit).

A push of 500 mutations writes about 2,000 rows (records, applied mutation
ids, change feed, audit). Handed to SQLAlchemy as dicts, each row's
parameters are looked up and processed one by one, which took half the
push. Here the statement is compiled once per table and column list, each
value goes through its column's own SQLAlchemy bind processor (so what is
stored is exactly what an ORM write stores: SQLite's date and time text,
JSON text, 0/1 booleans), and the driver gets plain tuples to executemany.
"""

from functools import cache
from operator import itemgetter

from sqlalchemy import Table

_NOTHING = object()


def insert_rows(connection, table: Table, rows: list[dict]) -> None:
    """INSERT every row; all rows have the same keys. Columns left out get
    their Python-side default, as SQLAlchemy would give them."""
    if not rows:
        return
    given = tuple(sorted(rows[0]))
    sql, defaults, processors = _compiled(table, given, connection.dialect)
    values = itemgetter(*given)
    # Rows of one push share many values (the time, the audit detail): a
    # value that is the very object the row before had is converted once.
    last = [(_NOTHING, None)] * len(processors)
    params = []
    for row in rows:
        param = [values(row)] if len(given) == 1 else list(values(row))
        param.extend(default() for default in defaults)
        for n, (i, process) in enumerate(processors):
            value = param[i]
            seen, converted = last[n]
            if value is not seen:
                converted = process(value)
                last[n] = (value, converted)
            param[i] = converted
        params.append(tuple(param))
    connection.exec_driver_sql(sql, params)


@cache
def _compiled(table: Table, given: tuple[str, ...], dialect) -> tuple[str, tuple, tuple]:
    defaulted = [c for c in table.columns if c.key not in given and c.default is not None]
    defaults = tuple(_producer(c.default) for c in defaulted)
    columns = (*given, *(c.key for c in defaulted))
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in columns)
    # Identifiers come from the table's metadata (quoted); every value is bound.
    markers = ", ".join([marker] * len(columns))
    sql = f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES ({markers})"  # noqa: S608
    # (position, processor) of the columns whose values need converting.
    processors = tuple(
        (i, process)
        for i, name in enumerate(columns)
        if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    )
    return sql, defaults, processors


def _producer(default):
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:
        return lambda: default.arg(None)  # SQLAlchemy wraps it to take an (unused) context
    raise ValueError(f"bulk inserts do not evaluate SQL defaults: {default!r}")
