from flask import Blueprint

bp = Blueprint("devices", __name__)

from server.devices import views  # noqa: E402, F401  (routes register on import)
