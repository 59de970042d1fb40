from flask import Blueprint

bp = Blueprint("sync_api", __name__)

from server.sync_api import signing, views  # noqa: E402, F401  (routes register on import)
