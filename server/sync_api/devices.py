"""Device sessions: a device registers while its user is logged in, and then
authenticates every sync call with its own bearer token (step D1–D3 of
docs/sync-protocol.md). Only the token's SHA-256 is stored."""

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import String, bindparam, select

from server.auth import logins
from server.errors import json_error
from server.extensions import db
from server.models import Device, User
from server.models.base import as_utc, utcnow

# last_seen_at is written at most this often (as a browser login's is).
TOUCH_INTERVAL = timedelta(minutes=1)
# Every sync call runs it: built once, SQLAlchemy finds it compiled.
_BY_TOKEN = select(Device).where(Device.token_hash == bindparam("token_hash", type_=String))


# The answer's code when the device was cut off by its owner or an
# administrator: the app then wipes itself (docs/pwa.md), unlike any other 401.
REVOKED = "device_revoked"
_USER_AGENT_LENGTH = 500


class DeviceAuthError(Exception):
    """The call has no valid device session: the device keeps its outbox and asks
    to log in, unless `code` is REVOKED."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register(
    user: User, device_id: str, label: str | None, user_agent: str | None = None
) -> tuple[Device, str]:
    """D1: a new token for this device (an earlier one of the same device stops working).
    `user_agent`: the registering browser's, which names the device in the device list."""
    token = secrets.token_urlsafe(32)
    device = db.session.get(Device, device_id)
    if device is not None and device.user_id != user.id:
        # Another user's install on a shared browser: a fresh identity, not a takeover.
        raise DeviceAuthError("device id belongs to another user")
    now = utcnow()
    if device is None:
        device = Device(id=device_id, user_id=user.id)
        db.session.add(device)
    device.label = label
    device.user_agent = user_agent[:_USER_AGENT_LENGTH] if user_agent else None
    device.token_hash = _hash(token)
    device.expires_at = now + current_app.config["DEVICE_SESSION_LIFETIME"]
    device.revoked_at = device.revoked_by_id = None
    device.last_seen_at = now
    return device, token


def authenticate() -> tuple[Device, User]:
    """D2: the device and user behind the request's bearer token, or DeviceAuthError."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise DeviceAuthError("missing device token")
    device = db.session.scalar(_BY_TOKEN, {"token_hash": _hash(token.strip())})
    now = utcnow()
    if device is None:
        raise DeviceAuthError("unknown device token")
    if device.revoked_by_id is not None:
        raise DeviceAuthError("this device was cut off: its local data is to be wiped", REVOKED)
    if device.revoked_at is not None:
        raise DeviceAuthError("device logged out")
    if as_utc(device.expires_at) <= now:
        raise DeviceAuthError("device session expired: log in again")
    user = db.session.get(User, device.user_id)
    if user is None or not user.active:
        raise DeviceAuthError("user is not active")
    # Written at most once a minute: on every call it made each pull page a
    # write (and an audit event) of its own.
    if device.last_seen_at is None or as_utc(device.last_seen_at) <= now - TOUCH_INTERVAL:
        device.last_seen_at = now
    return device, user


def record_refusal(device: Device, call: str, status: int) -> None:
    """A push or pull the server refused: the desk shows the device as failing
    (server/review/queries.py). Only the call and the status are kept, no
    content of the request."""
    device.last_error = f"{call}:{status}"


def record_success(device: Device) -> None:
    if device.last_error is not None:  # no write for a device that was well
        device.last_error = None


def revoke(device: Device) -> None:
    """D3: logout ends the device session."""
    device.revoked_at = utcnow()


def cut_off(device: Device, by: User, keep_login: int | None = None) -> None:
    """A lost device cut off by its owner or an administrator (not committed):
    its token stops working and its next call is answered REVOKED. Every
    browser login of its user ends too, but `keep_login` (the one doing
    this, in hand): which of them is on the lost device cannot be known, and
    one left open would register the app again."""
    device.revoked_at = utcnow()
    device.revoked_by_id = by.id
    logins.end_all_of(device.user_id, "device_revoked", keep=keep_login)


def device_required(view):
    """The view runs with g.device and g.user of the call's device session, or answers 401."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            g.device, g.user = authenticate()
        except DeviceAuthError as error:
            db.session.commit()
            return json_error(401, str(error), code=error.code)
        return view(*args, **kwargs)

    return wrapped
