"""The audit log page (Act 906/2019 §17): who read or changed what, and when."""

from server.audit_log import views  # noqa: F401  (routes)
from server.audit_log.blueprint import bp

__all__ = ["bp"]
