"""Hand-over mode's way out when the coach forgot the device PIN
(docs/pwa.md): the app's service worker sends the password of the coach who
owns the device, with the device's bearer token, and the server says whether
it is right.

The token is the credential that names the user: the password is checked
against that user's hash only, so the endpoint cannot test the passwords of
anyone else, and a browser's cookie session alone gets nothing (no token, 401).
Like the sync API's bearer calls it is exempt from CSRF: the app sends no
cookie, so a cross-site page cannot make the call on anyone's behalf.

Failures count towards the login throttle (server/auth/throttle.py) under the
owner's e-mail and the client's address, with the same limits as /login, and a
success is recorded like a successful login. Every attempt is audited; the
password is never logged.
"""

from flask import g, request
from werkzeug.security import check_password_hash

from server import audit
from server.app_shell.blueprint import bp
from server.auth import throttle
from server.errors import json_error
from server.extensions import csrf, db
from server.models.base import utcnow
from server.sync_api import devices

WRONG_PASSWORD = "wrong password"  # noqa: S105  (the message, not a password)


@bp.post("/app/device/verify-owner")
@csrf.exempt
def verify_owner():
    """204 if `password` is the device owner's; 401 if not, or without a valid
    device token; 429 (Retry-After) while the login throttle refuses."""
    try:
        device, user = devices.authenticate()
    except devices.DeviceAuthError as error:
        db.session.rollback()
        return json_error(401, str(error), code=error.code)
    g.device, g.user = device, user  # who acts, as for the sync API's calls
    body = request.get_json(silent=True)
    password = body.get("password") if isinstance(body, dict) else None
    if not isinstance(password, str) or not password:
        db.session.commit()
        return json_error(422, "password required", {"password": ["required"]})

    email = throttle.normalize_email(user.email)
    ip = throttle.client_ip()
    detail = {"device_id": device.id}
    # Before the password is looked at: a refused attempt tells nothing about it.
    if (refusal := throttle.refusal(email, ip)) is not None:
        seconds = refusal.seconds_left(utcnow())
        audit.record(
            "device_owner_throttled",
            "users",
            user.id,
            {**detail, "limit": refusal.limit, "retry_after": seconds},
            user_id=user.id,
        )
        db.session.commit()
        response, status = json_error(429, "too many failed attempts")
        response.headers["Retry-After"] = str(seconds)
        return response, status

    # Constant-time comparison of the derived hash (werkzeug uses hmac.compare_digest).
    if not check_password_hash(user.password_hash, password):
        throttle.record(email, ip, succeeded=False)
        audit.record("device_owner_failed", "users", user.id, detail, user_id=user.id)
        db.session.commit()
        return json_error(401, WRONG_PASSWORD, {"password": [WRONG_PASSWORD]})

    throttle.record(email, ip, succeeded=True)
    audit.record("device_owner_verified", "users", user.id, detail, user_id=user.id)
    db.session.commit()
    return "", 204
