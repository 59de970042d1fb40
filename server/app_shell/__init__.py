"""The coach's offline app (pwa/) served at /app/, and the one JSON call it
needs from the browser's login session to start a device session."""

from flask import Blueprint

bp = Blueprint("app_shell", __name__)

from server.app_shell import views  # noqa: E402, F401  (routes register on import)
