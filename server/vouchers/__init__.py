"""Coaching vouchers: the coach requests, a supervisor decides and records payment."""

from flask import Blueprint

bp = Blueprint("vouchers", __name__)

from server.vouchers import views  # noqa: E402, F401  (routes register on import)
