"""Employer work (työnantajatyö), meeting events (Työkohtaamo) and recruitment panels."""

from flask import Blueprint

bp = Blueprint("employer_work", __name__)

from server.employer_work import employers, events, panels  # noqa: E402, F401  (routes)
