"""The supervisor's review desk: team, coaching periods, conflicts, returned records."""

from server.review import caseload, conflicts, periods, returns, team  # noqa: F401  (routes)
from server.review.blueprint import bp

__all__ = ["bp"]
