"""Outcome figures: a dashboard of seed-002-style figures, the records behind them, CSV."""

from flask import Blueprint

bp = Blueprint("outcomes", __name__)

from server.outcomes import views  # noqa: E402, F401  (routes register on import)
