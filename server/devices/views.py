"""The devices (installs of the coach's app) a user may see, and cutting one
off: a coach's own; a supervisor's and an admin's, their organization's
(server/auth/policy.py). A cut-off device's next call to the server is
answered `device_revoked`, and the app wipes itself (docs/pwa.md)."""

from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, url_for
from sqlalchemy import select

from server import audit
from server.auth import policy
from server.auth.session import login_required
from server.devices.blueprint import bp
from server.devices.names import readable_name
from server.extensions import db
from server.i18n import translate
from server.models import Device, User
from server.models.base import as_utc, utcnow
from server.sync_api import devices


@dataclass
class DeviceRow:
    device: Device
    owner: User
    name: str
    status: str  # active, expired, logged_out, revoked
    revoked_by: User | None

    @property
    def can_revoke(self) -> bool:
        # An expired device still holds its data: cut off, it wipes itself when it calls again.
        return self.status in ("active", "expired")


def _status(device: Device, now: datetime) -> str:
    if device.revoked_by_id is not None:
        return "revoked"
    if device.revoked_at is not None:
        return "logged_out"
    return "expired" if as_utc(device.expires_at) <= now else "active"


def _rows() -> list[DeviceRow]:
    found = db.session.execute(
        policy.visible_devices(g.user)
        .join(User, User.id == Device.user_id)
        .add_columns(User)
        .order_by(User.name, Device.created_at.desc())
    ).all()
    revokers = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(
                User.id.in_({d.revoked_by_id for d, _ in found if d.revoked_by_id is not None})
            )
        )
    }
    now = utcnow()
    return [
        DeviceRow(
            device=device,
            owner=owner,
            name=readable_name(device.user_agent) or device.label or translate("devices.unknown"),
            status=_status(device, now),
            revoked_by=revokers.get(device.revoked_by_id),
        )
        for device, owner in found
    ]


def _may(action: str) -> None:
    if not policy.allowed(g.user, "devices", action):
        abort(403)


@bp.get("/devices/")
@login_required
def list_devices():
    _may("read")
    return render_template("devices/list.html", rows=_rows(), own=g.user.role == "coach")


@bp.post("/devices/<device_id>/revoke")
@login_required
def revoke_device(device_id: str):
    _may("revoke")
    device = db.session.scalar(policy.visible_devices(g.user).where(Device.id == device_id))
    if device is None:
        abort(404)  # another's device is not even said to exist
    if _status(device, utcnow()) in ("active", "expired"):
        keep = g.login_id if device.user_id == g.user.id else None
        devices.cut_off(device, g.user, keep_login=keep)
        audit.record("device_revoked", "devices", device.id, {"owner_id": device.user_id})
        db.session.commit()
    flash(translate("devices.revoked_done"), "info")
    return redirect(url_for("devices.list_devices"))
