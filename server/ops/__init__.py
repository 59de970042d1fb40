"""Operations: health and readiness probes, request logs, Prometheus metrics,
and the answer when the database cannot be reached (503).

Nothing here reads or writes personal data: probes answer about the process
and the database, logs and metrics name routes, statuses and device ids.
"""

from flask import Flask

from server.ops import database_errors, health, metrics, request_log  # noqa: F401  (routes)
from server.ops.blueprint import bp


def install(app: Flask) -> None:
    """Request hooks first, so they wrap every other blueprint's own hooks."""
    request_log.install(app)
    metrics.install(app)
    database_errors.install(app)
    app.register_blueprint(bp)
