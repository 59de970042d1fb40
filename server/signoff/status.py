"""A work demonstration's sign-off status as the supervisor and employer see it.

- needs_new_signoff: the signed content was changed afterwards (server-set status)
- verified / failed / pending: the latest sign-off's verification by the server
- unsigned: no sign-off yet
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import SignOff, WorkDemonstration
from server.signoff.canonical import CanonicalError
from server.signoff.content import ContentMissing, current_content


def latest_signoff(signoffs) -> SignOff | None:
    live = [s for s in signoffs if not s.deleted]
    return max(live, key=lambda s: (s.signed_at, s.created_at), default=None)


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
class SignedView:
    signoff: SignOff
    content: dict | None  # what was signed, parsed
    matches: bool | None  # the demonstration still reads the same; None: cannot tell


def _current(session: Session, demonstration_id: str) -> bytes | None:
    try:
        return current_content(session.connection(), demonstration_id)
    except (ContentMissing, CanonicalError):
        return None


def signed_views(session: Session, demonstration_id: str, signoffs) -> list[SignedView]:
    """Each sign-off with the content it signed and whether that is still the content."""
    now = _current(session, demonstration_id) if any(s.signed_content for s in signoffs) else None
    return [
        SignedView(
            s,
            signed_content(s),
            None
            if not s.signed_content or now is None
            else now == s.signed_content.encode("utf-8"),
        )
        for s in sorted(signoffs, key=lambda s: s.signed_at)
    ]
