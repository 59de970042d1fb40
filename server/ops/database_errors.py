"""A database that cannot be reached (a restart, a fail-over, a dropped
connection) answers 503 with Retry-After, not 500: the app's sync client and
load balancers try again; the request's transaction was rolled back, so
nothing was half-written. Logged by error class only: SQLAlchemy's message
would carry the statement (its parameters are hidden, see create_app)."""

import logging

from flask import Flask, current_app
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import ServiceUnavailable

from server.extensions import db

logger = logging.getLogger("polku.database")
RETRY_AFTER_SECONDS = 2


def install(app: Flask) -> None:
    app.register_error_handler(OperationalError, _unavailable)


def _unavailable(error: OperationalError):
    db.session.rollback()
    logger.warning("database unavailable", extra={"error": type(error.orig).__name__})
    unavailable = ServiceUnavailable("database unavailable; try again")
    response = current_app.make_response(current_app.handle_http_exception(unavailable))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
