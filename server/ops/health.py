"""Probes for the load balancer and the orchestrator.

/healthz: the process answers (no database: a database outage must not get
every worker restarted). /readyz: the database answers and its schema is at
the migrations' head, so this host may take traffic; 503 otherwise.
"""

from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import jsonify
from sqlalchemy.exc import SQLAlchemyError

from server.extensions import db
from server.ops.blueprint import bp


@cache
def _head_revisions() -> frozenset[str]:
    from server.database import MIGRATIONS_DIR

    return frozenset(ScriptDirectory(MIGRATIONS_DIR).get_heads())


def _probe(code: int, **body):
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return _probe(200, status="ok")


@bp.get("/readyz")
def readyz():
    try:
        with db.engine.connect() as conn:
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as error:
        return _probe(503, status="unavailable", database=type(error).__name__)
    if current != _head_revisions():
        return _probe(
            503, status="unavailable", database="ok", migrations="not at head", at=sorted(current)
        )
    return _probe(200, status="ready", database="ok", migrations="head")
