"""The audit log page (Act 906/2019 §17): who read or changed what, and when."""

from flask import Blueprint

bp = Blueprint("audit_log", __name__)

from server.audit_log import views  # noqa: E402, F401  (routes register on import)
