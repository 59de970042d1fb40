"""The employer representative's own view: their demonstrations and vouchers, nothing else."""

from server.employer_portal import views  # noqa: F401  (routes register on import)
from server.employer_portal.blueprint import bp

__all__ = ["bp"]
