"""One structured log line per request, with a request id.

The id is the caller's `X-Request-Id` when it is a short token of safe
characters (a load balancer's or the app's), otherwise a new one; either way
it is echoed in the response, so a user's report, the proxy's log and ours
meet. A line holds the route pattern (never the path or query string, which
may carry names), method, status, duration and, for sync calls, the device id:
no bodies, no e-mails, no client addresses (the proxy keeps those).
The JSON form is the logging configuration's (gunicorn.conf.py).
"""

import logging
import re
import time
import uuid

from flask import Flask, g, request
from sqlalchemy import inspect

logger = logging.getLogger("polku.request")
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def install(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def route_of_request() -> str:
    """The matched URL rule, e.g. /review/periods/<period_id>; "unmatched" for a 404."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _finish(response):
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-Id"] = request_id
    started = g.get("request_started")
    device = g.get("device")
    logger.info(
        "request",
        extra={
            "request_id": request_id,
            "method": request.method,
            "route": route_of_request(),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "device_id": _device_id(device),
        },
    )
    return response


def _device_id(device) -> str | None:
    """The id without loading the row again: after the commit its attributes
    are expired, and reading one would cost a query (or fail with the connection)."""
    if device is None:
        return None
    identity = inspect(device).identity
    return identity[0] if identity else None
