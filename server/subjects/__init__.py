"""A participant's rights as a data subject (rekisteröidyn oikeudet): access and
portability, consent history, erasure, restriction and the retention rule."""

from flask import Blueprint

bp = Blueprint("subjects", __name__)

from server.subjects import filters, views  # noqa: E402, F401  (routes register on import)
