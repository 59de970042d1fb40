"""A work demonstration's sign-off status as the supervisor and employer see it.

- needs_new_signoff: the signed content was changed afterwards (server-set status)
- verified: a sign-off verified by the server (a later failed attempt changes nothing)
- failed / pending: the latest attempt, when none verified
- unsigned: no sign-off yet

Order is the server's: when a sign-off arrived (`created_at`, set by the push
that brought it; ties in one push by id), never the device's `signed_at`,
which any device clock, or a forger, may set.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Device, SignOff, User, WorkDemonstration
from server.models.base import as_utc
from server.signoff.canonical import CanonicalError
from server.signoff.content import ContentMissing, current_content
from server.signoff.verify import uploading_device

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def arrival(signoff: SignOff) -> tuple:
    """The server's order of sign-offs: arrival, then id (one push gives one time)."""
    return (as_utc(signoff.created_at) or _EPOCH, signoff.id)


def latest_signoff(signoffs) -> SignOff | None:
    """The sign-off that decides the status: the last verified one to arrive;
    only when none verified, the last attempt. An invalid submission is
    evidence of an attempt, never a change to a signed demonstration."""
    live = [s for s in signoffs if not s.deleted]
    verified = [s for s in live if s.verification_status == "verified"]
    return max(verified or live, key=arrival, default=None)


def signoff_status(demonstration: WorkDemonstration, signoffs) -> str:
    if demonstration.status == "needs_new_signoff":
        return "needs_new_signoff"
    latest = latest_signoff(signoffs)
    return "unsigned" if latest is None else latest.verification_status


def signoffs_by_demonstration(session: Session, demonstration_ids) -> dict[str, list[SignOff]]:
    found: dict[str, list[SignOff]] = defaultdict(list)
    ids = list(demonstration_ids)
    if ids:
        for signoff in session.scalars(
            select(SignOff).where(SignOff.demonstration_id.in_(ids), SignOff.deleted.is_(False))
        ):
            found[signoff.demonstration_id].append(signoff)
    return found


def statuses(session: Session, demonstrations) -> dict[str, str]:
    """Sign-off status per demonstration id, in one query."""
    signoffs = signoffs_by_demonstration(session, [d.id for d in demonstrations])
    return {d.id: signoff_status(d, signoffs.get(d.id, [])) for d in demonstrations}


def signed_content(signoff: SignOff) -> dict | None:
    """The canonical content the representative signed (docs/signoff-canonical.md), parsed."""
    if not signoff.signed_content:
        return None
    try:
        content = json.loads(signoff.signed_content)
    except ValueError:
        return None
    return content if isinstance(content, dict) else None


@dataclass
class Submission:
    """Where an invalid sign-off came from: the device that pushed it and its user.
    An invalid submission is shown by this, never under the representative it names."""

    device: str  # the device's label (or its id)
    user: str | None  # who was logged in on it


@dataclass
class SignedView:
    signoff: SignOff
    content: dict | None  # what was signed, parsed
    matches: bool | None  # the demonstration still reads the same; None: cannot tell
    submission: Submission | None = None  # set for a sign-off that failed verification

    @property
    def invalid(self) -> bool:
        return self.signoff.verification_status == "failed"


def _current(session: Session, demonstration_id: str) -> bytes | None:
    try:
        return current_content(session.connection(), demonstration_id)
    except (ContentMissing, CanonicalError):
        return None


def _submissions(session: Session, signoffs) -> dict[str, Submission]:
    """The device and user behind each failed sign-off (from its sync field meta)."""
    failed = {
        s.id: device_id
        for s in signoffs
        if s.verification_status == "failed"
        and (device_id := uploading_device({"field_meta": s.field_meta}))
    }
    if not failed:
        return {}
    devices = {
        d.id: (d.label or d.id, name)
        for d, name in session.execute(
            select(Device, User.name)
            .join(User, User.id == Device.user_id)
            .where(Device.id.in_(set(failed.values())))
        )
    }
    return {
        i: Submission(*devices.get(device_id, (device_id, None))) for i, device_id in failed.items()
    }


def signed_views(session: Session, demonstration_id: str, signoffs) -> list[SignedView]:
    """Each sign-off, in the order it arrived, with the content it signed and
    whether that is still the content; a failed one with where it came from."""
    now = _current(session, demonstration_id) if any(s.signed_content for s in signoffs) else None
    submissions = _submissions(session, signoffs)
    return [
        SignedView(
            s,
            signed_content(s),
            None
            if not s.signed_content or now is None
            else now == s.signed_content.encode("utf-8"),
            submissions.get(s.id),
        )
        for s in sorted(signoffs, key=arrival)
    ]
