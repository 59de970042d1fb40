"""Serve the PWA's static files and tell it who is logged in.

Once installed, the service worker answers everything under /app/ itself
(from its cache and IndexedDB); these routes serve the first load, the files
it caches, and updates. sw.js is never cached by HTTP, so a new version is
seen at the next check (the browser caps a worker's cache at 24 h anyway).
"""

from pathlib import Path

from flask import abort, current_app, g, jsonify, send_from_directory, session
from flask_wtf.csrf import generate_csrf

from server.app_shell.blueprint import bp
from server.auth.logins import ENDED_KEY

PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"
# Files the app is built from, by extension; anything else in pwa/ (the test
# runner's package.json, licences) is not served.
SERVED = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".html": "text/html",
}
NOT_SERVED = {"package.json"}


@bp.get("/app/")
def open_app():
    """The bootstrap page: installs the service worker, which then renders the app."""
    response = send_from_directory(PWA_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/app/sw.js")
def serve_worker():
    response = send_from_directory(PWA_DIR, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    # The whole origin: in hand-over mode the worker keeps the server's pages
    # behind the lock too (docs/pwa.md); outside /app/ it answers nothing else.
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/app/session.json")
def show_session():
    """Who is logged in, and the CSRF token for registering the device (D1).
    For the app lock (pwa/js/lock-gate.js): the login's id (a later login has
    a larger one), whether this browser's last login was ended on the server,
    and the idle time after which the app locks."""
    user = g.user
    body = {
        "logged_in": user is not None,
        "user": None,
        "csrf_token": None,
        "login": g.login_id,
        "ended": user is None and bool(session.get(ENDED_KEY)),
        "lock_idle_minutes": current_app.config["APP_LOCK_IDLE_MINUTES"],
    }
    if user is not None:
        body["user"] = {
            "id": user.id,
            "name": user.name,
            "role": user.role,
            "language": user.language,
        }
        body["csrf_token"] = generate_csrf()
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/app/<path:filename>")
def serve_file(filename: str):
    path = Path(filename)
    mimetype = SERVED.get(path.suffix)
    if mimetype is None or path.name in NOT_SERVED or filename == "index.html":
        abort(404)
    # Versioned vendor files never change; the rest is revalidated (the
    # service worker fetches its shell with cache: "reload" anyway).
    max_age = 31536000 if path.parts[0] == "vendor" else 0
    return send_from_directory(PWA_DIR, filename, mimetype=mimetype, max_age=max_age)
