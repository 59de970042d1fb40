"""Prometheus metrics (prometheus_client), safe under several gunicorn workers.

Under gunicorn each worker writes its samples to files in
PROMETHEUS_MULTIPROC_DIR (set by gunicorn.conf.py before any worker
starts) and /metrics adds up every worker's; without it (flask run, tests)
the process's own registry answers.

Labels are route patterns, methods, statuses and sync outcomes only: nothing
that names or counts a person. /metrics answers only a caller that sends
`Authorization: Bearer <POLKU_METRICS_TOKEN>`; with no token configured it
does not exist (404).
"""

import hmac
import os
import time

from flask import Flask, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from server.errors import json_error
from server.ops.blueprint import bp
from server.ops.request_log import route_of_request

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "polku_http_requests",
    "HTTP requests answered, by route and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "polku_http_request_duration_seconds",
    "Time to answer a request, by route",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
PUSHES = Counter("polku_sync_pushes", "Sync pushes merged and committed")
PULLS = Counter("polku_sync_pulls", "Sync pull pages answered")
MUTATIONS = Counter("polku_sync_mutations", "Pushed mutations, by result", ["status"])
CONFLICTS = Counter("polku_sync_conflicts", "Conflicts found by pushed mutations")
PULLED = Counter("polku_sync_pulled_records", "Records sent in pull pages")


def install(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_observe)


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response):
    route = route_of_request()
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    if (started := g.get("metrics_started")) is not None:
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
    return response


def count_push(results) -> None:
    """A committed push's results (sync.protocol.PushResult)."""
    PUSHES.inc()
    for result in results:
        MUTATIONS.labels(result.status).inc()
        if result.conflict_ids:
            CONFLICTS.inc(len(result.conflict_ids))


def count_pull(page) -> None:
    """An answered pull page (sync.protocol.PullPage)."""
    PULLS.inc()
    PULLED.inc(len(page.changes))


def _authorized() -> bool:
    expected = current_app.config.get("METRICS_TOKEN") or ""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), expected.encode())


@bp.get("/metrics")
def metrics_page():
    if not current_app.config.get("METRICS_TOKEN"):
        return json_error(404, "metrics are not enabled (POLKU_METRICS_TOKEN)")
    if not _authorized():
        response, status = json_error(401, "metrics need the bearer token")
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response, status
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    response = current_app.response_class(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
