"""Polku server: the Flask application factory.

create_app runs small _configure_* steps in order; each one owns one concern.
"""

import gc
from pathlib import Path

import orjson
from flask import Flask, g, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from server.database import MIGRATIONS_DIR
from server.extensions import csrf, db, htmx, migrate
from sync.record import compact_json


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    _configure_settings(app, overrides or {})
    _configure_gc()
    _configure_json(app)
    _configure_proxy(app)
    _configure_extensions(app)
    _configure_i18n(app)
    _configure_security_headers(app)
    _configure_operations(app)
    _configure_blueprints(app)
    _configure_errors(app)
    _configure_cli(app)
    return app


def _configure_settings(app: Flask, overrides: dict) -> None:
    from server.config import load_config

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    app.config.update(overrides)
    # JSON columns (field metadata, audit details) stored compact and in UTF-8:
    # every synced record carries one, and a push writes hundreds at a time.
    engine_options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    engine_options.setdefault("json_serializer", compact_json)
    engine_options.setdefault("json_deserializer", orjson.loads)
    # A database error's message would otherwise carry the statement's
    # values (names, notes) into the error log.
    engine_options.setdefault("hide_parameters", True)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A pooled connection may have died since its last use (a database
        # restart or fail-over, an idle timeout, pg_terminate_backend): test it
        # when it is taken from the pool instead of failing the request.
        engine_options.setdefault("pool_pre_ping", True)


def _configure_gc() -> None:
    # A push or pull page allocates hundreds of thousands of short-lived
    # objects, and those a request holds survive young collections. With
    # Python's default thresholds (700, 10, 10) that set off a full
    # collection every second or so of such work, and each walks every
    # object the process holds: ~100 ms, measured 15 % of a push and 20 % of
    # a first pull (bench/sync_bench.py). Young collections every 10,000
    # allocations and a full one after 100 middle ones (some 10 million
    # allocations, about 600,000 pushed mutations) keep that cost near 0.3 %.
    # Collections still run, so cyclic garbage is freed, only later.
    gc.set_threshold(10_000, 10, 100)


class _JsonProvider(DefaultJSONProvider):
    """Request bodies parsed by orjson: a push is 500 mutations, and the
    standard parser took a twentieth of it. orjson is stricter (no NaN, no
    lone surrogates, integers within 64 bits): such a body is refused as
    not JSON. Responses keep Flask's encoder (its date format)."""

    def loads(self, s, **kwargs):
        return orjson.loads(s)


def _configure_json(app: Flask) -> None:
    app.json = _JsonProvider(app)


def _configure_proxy(app: Flask) -> None:
    # Behind N trusted reverse proxies (POLKU_TRUSTED_PROXIES), the client's
    # address is the one the nearest proxy appended to X-Forwarded-For; then
    # everything that reads request.remote_addr (the audit log, the login
    # throttle) sees the client, not the proxy. Off by default: the header is
    # the client's own claim unless a proxy we run wrote it.
    if proxies := app.config.get("TRUSTED_PROXY_COUNT", 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)


def _configure_extensions(app: Flask) -> None:
    from server import audit, database
    from server.sync_api import server_edits

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    database.configure_engine_events(app)
    audit.install_write_listener()
    server_edits.install()


def _configure_i18n(app: Flask) -> None:
    from server import i18n, template_filters

    i18n.init_app(app)
    template_filters.install(app)


# The app's files and the server's static files are the same for everyone;
# anything else answered to a logged-in browser or an authenticated device may
# be personal data.
_SHARED_FILES = frozenset(
    {"static", "app_shell.open_app", "app_shell.serve_worker", "app_shell.serve_file"}
)


def _configure_security_headers(app: Flask) -> None:
    @app.after_request
    def set_headers(response):
        # Personal data never stays in the browser's HTTP cache (nor any other's).
        authenticated = g.get("user") is not None or g.get("device") is not None
        if authenticated and request.endpoint not in _SHARED_FILES:
            response.headers["Cache-Control"] = "no-store"
        # Everything the pages need is served by us: no inline scripts, no CDN.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def _configure_operations(app: Flask) -> None:
    from server import ops

    ops.install(app)


def _configure_blueprints(app: Flask) -> None:
    from server.admin import bp as admin_bp
    from server.app_shell import bp as app_shell_bp
    from server.audit_log import bp as audit_log_bp
    from server.auth import bp as auth_bp
    from server.devices import bp as devices_bp
    from server.employer_portal import bp as employer_portal_bp
    from server.employer_work import bp as employer_work_bp
    from server.handover import bp as handover_bp
    from server.home import bp as home_bp
    from server.outcomes import bp as outcomes_bp
    from server.review import bp as review_bp
    from server.signoff.views import bp as signoff_bp
    from server.subjects.views import bp as subjects_bp
    from server.sync_api import bp as sync_bp
    from server.vouchers import bp as vouchers_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(sync_bp, url_prefix="/api/sync")
    app.register_blueprint(app_shell_bp)
    app.register_blueprint(review_bp, url_prefix="/review")
    app.register_blueprint(vouchers_bp, url_prefix="/vouchers")
    app.register_blueprint(employer_work_bp)
    app.register_blueprint(outcomes_bp, url_prefix="/outcomes")
    app.register_blueprint(employer_portal_bp)
    app.register_blueprint(handover_bp)
    app.register_blueprint(signoff_bp)
    app.register_blueprint(audit_log_bp, url_prefix="/audit")
    app.register_blueprint(devices_bp)
    app.register_blueprint(subjects_bp, url_prefix="/subjects")


def _configure_errors(app: Flask) -> None:
    from server import audit, errors

    errors.register(app)
    audit.log_refusals(app)


def _configure_cli(app: Flask) -> None:
    from server import cli

    cli.register(app)
