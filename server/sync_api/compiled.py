"""Statements of the pull's hot path, compiled once and run through the driver.

A pull page runs a few large statements (the feed read, a render per record
type). Built as SQLAlchemy expressions on every call, each paid more in Python
(building the expression, its cache key, a Row per result row) than the
database took to run it. Here a statement whose every varying value is a named
parameter is compiled once per dialect; a call binds the values and gets the
driver's plain tuples back.
"""

from typing import NamedTuple


class Compiled(NamedTuple):
    sql: str
    constants: dict  # the parameters fixed at compile time (literals in the expression)
    names: frozenset[str]  # the named parameters each call must give
    order: tuple[str, ...] | None  # parameter names in order, for a positional paramstyle


def compile_statement(statement, dialect) -> Compiled:
    # An IN list must be of literals (`in_([literal(v), ...])`): a list of
    # plain values is expanded only as SQLAlchemy executes, bypassed here.
    compiled = statement.compile(dialect=dialect)
    names = frozenset(bind.key for bind in compiled.binds.values() if bind.required)
    constants = compiled.construct_params(dict.fromkeys(names))
    order = tuple(compiled.positiontup) if compiled.positional else None
    return Compiled(str(compiled), constants, names, order)


def run(connection, compiled: Compiled, values: dict) -> list[tuple]:
    """The rows of a compiled statement with `values` for its named parameters,
    read on the connection's own driver cursor (in its transaction): a Result
    would wrap each row again."""
    if missing := compiled.names - values.keys():
        raise KeyError(f"no value for {sorted(missing)}")
    params = {**compiled.constants, **values}
    if compiled.order is not None:
        params = tuple(params[name] for name in compiled.order)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()
