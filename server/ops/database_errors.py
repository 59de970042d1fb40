"""A database that cannot be reached (a restart, a fail-over, a dropped
connection) answers 503 with Retry-After, not 500: the app's sync client and
load balancers try again; the request's transaction was rolled back, so
nothing was half-written. Logged by error class only: SQLAlchemy's message
would carry the statement (its parameters are hidden, see create_app)."""

import logging
import sqlite3

import psycopg
from flask import Flask, current_app
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable

from server.extensions import db

logger = logging.getLogger("polku.database")
RETRY_AFTER_SECONDS = 2


def install(app: Flask) -> None:
    # The driver's own error too: the pull's statements run on the driver's
    # cursor (server/sync_api/compiled.py), where SQLAlchemy does not wrap it.
    for error_class in (OperationalError, psycopg.OperationalError, sqlite3.OperationalError):
        app.register_error_handler(error_class, _unavailable)


def _unavailable(error: Exception):
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session().invalidate()  # the connection is gone: the pool must not hand it out
    original = getattr(error, "orig", None) or error
    logger.warning("database unavailable", extra={"error": type(original).__name__})
    unavailable = ServiceUnavailable("database unavailable; try again")
    response = current_app.make_response(current_app.handle_http_exception(unavailable))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
