"""A work demonstration's sign-off status as the supervisor and employer see it.

- needs_new_signoff: the signed content was changed afterwards (server-set status)
- verified / failed / pending: the latest sign-off's verification by the server
- unsigned: no sign-off yet
"""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import SignOff, WorkDemonstration

SIGNOFF_DISPLAY_STATUSES = ("verified", "failed", "pending", "needs_new_signoff", "unsigned")


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
