"""A coaching period's hand-over summary, to print: one version for the new
employee, one for the employer (never any wellbeing goal or its assessments)."""

from server.handover import views  # noqa: F401  (routes register on import)
from server.handover.blueprint import bp

__all__ = ["bp"]
