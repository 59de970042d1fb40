"""Employer work (työnantajatyö), meeting events (Työkohtaamo) and recruitment panels."""

from server.employer_work import employers, events, panels  # noqa: F401  (routes)
from server.employer_work.blueprint import bp

__all__ = ["bp"]
