"""The supervisor's review desk: team, coaching periods, conflicts, returned records."""

from flask import Blueprint

bp = Blueprint("review", __name__)

from server.review import conflicts, filters, periods, returns, team  # noqa: E402, F401  (routes)
