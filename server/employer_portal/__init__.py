"""The employer representative's own view: their demonstrations and vouchers, nothing else."""

from flask import Blueprint

bp = Blueprint("employer_portal", __name__)

from server.employer_portal import views  # noqa: E402, F401  (routes register on import)
