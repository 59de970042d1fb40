"""Device sessions: a device registers while its user is logged in, and then
authenticates every sync call with its own bearer token (step D1–D3 of
docs/sync-protocol.md). Only the token's SHA-256 is stored."""

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import String, bindparam, select

from server.errors import json_error
from server.extensions import db
from server.models import Device, User
from server.models.base import as_utc, utcnow

# last_seen_at is written at most this often (as a browser login's is).
TOUCH_INTERVAL = timedelta(minutes=1)
# Every sync call runs it: built once, SQLAlchemy finds it compiled.
_BY_TOKEN = select(Device).where(Device.token_hash == bindparam("token_hash", type_=String))


class DeviceAuthError(Exception):
    """The call has no valid device session: the device keeps its outbox and asks to log in."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register(user: User, device_id: str, label: str | None) -> tuple[Device, str]:
    """D1: a new token for this device (an earlier one of the same device stops working)."""
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
    device.token_hash = _hash(token)
    device.expires_at = now + current_app.config["DEVICE_SESSION_LIFETIME"]
    device.revoked_at = None
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
    if device is None or device.revoked_at is not None:
        raise DeviceAuthError("unknown or revoked device token")
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


def revoke(device: Device) -> None:
    """D3: logout ends the device session."""
    device.revoked_at = utcnow()


def device_required(view):
    """The view runs with g.device and g.user of the call's device session, or answers 401."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            g.device, g.user = authenticate()
        except DeviceAuthError as error:
            db.session.commit()
            return json_error(401, str(error))
        return view(*args, **kwargs)

    return wrapped
