"""HTTP endpoints of the sync protocol (docs/sync-protocol.md; OpenAPI at /api/sync/openapi.json).

Bearer-token calls (push, pull, logout) are exempt from CSRF: they carry no
cookie, so a cross-site page cannot make them on the user's behalf. Device
registration rides on the browser's login session and so needs the CSRF header.
"""

from pathlib import Path

from flask import current_app, g, jsonify, request

from server.auth.logins import CLEAR_ON_LOGOUT
from server.errors import json_error
from server.extensions import csrf, db
from server.ops import metrics
from server.query_args import BadArgument, int_arg
from server.sync_api import arrivals, devices, pull_audit
from server.sync_api.blueprint import bp
from server.sync_api.clock import now_ms
from server.sync_api.devices import device_required
from server.sync_api.fields import policies
from server.sync_api.scopes import PullScope
from server.sync_api.store import SqlStore
from sync.errors import ProtocolError
from sync.mutation import is_uuid
from sync.protocol import PushContext, apply_push, pull
from sync.record import compact_json
from sync.store import StaleState

OPENAPI = Path(__file__).with_name("openapi.json")
MAX_PUSH_BYTES = 2 * 1024 * 1024


@bp.post("/devices")
def register_device():
    """D1: called by the app right after the user logs in (cookie session + CSRF header)."""
    if g.user is None:
        return json_error(401, "log in first")
    body = request.get_json(silent=True) or {}
    errors = {}
    if not is_uuid(body.get("device_id")):
        errors["device_id"] = ["must be a UUID made by the device"]
    label = body.get("label")
    if label is not None and (not isinstance(label, str) or len(label) > 200):
        errors["label"] = ["must be text of at most 200 characters"]
    if errors:
        return json_error(422, "invalid device registration", errors)
    try:
        device, token = devices.register(
            g.user, body["device_id"].lower(), label, request.headers.get("User-Agent")
        )
    except devices.DeviceAuthError as error:
        return json_error(409, str(error), {"device_id": [str(error)]})
    db.session.commit()
    return jsonify(
        device_id=device.id,
        token=token,
        expires_at=device.expires_at.isoformat(),
        user={
            "id": g.user.id,
            "name": g.user.name,
            "role": g.user.role,
            "language": g.user.language,
        },
        server_time_ms=now_ms(),
    ), 201


def _refused(call: str, status: int, message: str, errors: dict | None = None):
    """Nothing of the call is kept but the device's failure (the desk's badge)."""
    db.session.rollback()
    devices.record_refusal(g.device, call, status)
    db.session.commit()
    return json_error(status, message, errors)


@bp.post("/push")
@csrf.exempt
@device_required
def push():
    """P1–P9: merge a batch of the device's mutations."""
    if (request.content_length or 0) > MAX_PUSH_BYTES:
        return _refused(
            "push", 413, f"push body larger than {MAX_PUSH_BYTES} bytes; send fewer mutations"
        )
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _refused("push", 400, "body must be a JSON object", {"mutations": ["missing"]})
    ctx = PushContext(
        device_id=g.device.id,
        user_id=g.user.id,
        server_now_ms=now_ms(),
        max_drift_ms=current_app.config["SYNC_MAX_CLOCK_DRIFT_MS"],
        policies=policies(),
    )
    store = SqlStore(db.session.connection())
    try:
        results = apply_push(store, body.get("mutations"), ctx)
    except ProtocolError as error:
        return _refused("push", error.status, "push refused", error.errors)
    except StaleState:
        return _refused("push", 409, "records changed concurrently; push again")
    devices.record_success(g.device)
    db.session.commit()
    arrivals.decide(db.session, g.user)
    metrics.count_push(results)
    body = {"results": [r.to_wire() for r in results], "server_time_ms": now_ms()}
    return current_app.response_class(compact_json(body), mimetype="application/json")


@bp.get("/pull")
@csrf.exempt
@device_required
def pull_changes():
    """L1–L7: one page of changes after the cursor, within what the user may see."""
    try:
        limit = int_arg("limit", 1000, code=422, message="must be a positive integer")
    except BadArgument as error:
        return _refused("pull", error.code, "invalid pull", error.fields)
    store = SqlStore(db.session.connection())
    try:
        page = pull(
            store,
            request.args.get("cursor") or None,
            PullScope.of(g.user, db.session),
            limit,
            server_now_ms=now_ms(),
        )
    except ProtocolError as error:
        return _refused("pull", error.status, "pull refused", error.errors)
    pull_audit.record(
        db.session.connection(), g.user.id, g.device.id, page.sent, len(page.removals)
    )
    devices.record_success(g.device)
    db.session.commit()
    metrics.count_pull(page)
    return current_app.response_class(page.to_json(), mimetype="application/json")


@bp.post("/logout")
@csrf.exempt
@device_required
def logout_device():
    """D3: end this device's session (the app wipes its local data after)."""
    devices.revoke(g.device)
    db.session.commit()
    response = jsonify(status="logged_out")
    response.headers["Clear-Site-Data"] = CLEAR_ON_LOGOUT
    return response


@bp.get("/openapi.json")
def openapi():
    return current_app.response_class(
        OPENAPI.read_text(encoding="utf-8"), mimetype="application/json"
    )
