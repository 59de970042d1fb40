"""Coaching vouchers: the coach requests, a supervisor decides and records payment."""

from server.vouchers import views  # noqa: F401  (routes register on import)
from server.vouchers.blueprint import bp

__all__ = ["bp"]
