"""Outcome figures: a dashboard of seed-002-style figures, the records behind them, CSV."""

from server.outcomes import views  # noqa: F401  (routes register on import)
from server.outcomes.blueprint import bp

__all__ = ["bp"]
