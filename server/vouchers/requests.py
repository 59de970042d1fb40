"""A coach's voucher request from the phone (a `voucher_request` record), decided
by the same rules as a request made at the desk (server/vouchers/rules.py).

The request may have waited offline for days; it is decided when it arrives,
after the push that brought it has committed (the registry's DecidedOnArrival),
against the records as they stand then. Accepted: the voucher is requested
(created when the period had none) and the request names it. Refused: the
rule's reasons (vouchers.reason.*, or status_<voucher's status>) go into the
request. Either way the request changes through the ORM, so its decision
syncs back to the phone (server/sync_api/server_edits.py) and is audited.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import CoachingPeriod, User, VoucherRequest
from server.models.base import utcnow
from server.vouchers import rules


def decide(session: Session, request: VoucherRequest, user: User) -> None:
    period = session.get(CoachingPeriod, request.period_id)
    try:
        if period is None or period.deleted:
            raise rules.VoucherError("period", "vouchers.reason.period_gone", 404)
        with session.begin_nested():
            voucher = rules.request(session, period, user)
    except rules.VoucherError as error:
        request.decision = "refused"
        request.refusal_reasons = " ".join(error.reasons)[:200]
    else:
        request.decision = "accepted"
        request.voucher_id = voucher.id
    request.decided_at = utcnow()


def decide_pending(session: Session, user: User) -> int:
    """Decide the user's requests still pending (this push's, and any an
    earlier push left undecided); how many were decided."""
    pending = session.scalars(
        select(VoucherRequest)
        .where(
            VoucherRequest.created_by_id == user.id,
            VoucherRequest.decision == "pending",
            VoucherRequest.deleted.is_(False),
        )
        .order_by(VoucherRequest.created_at, VoucherRequest.id)
    ).all()
    for request in pending:
        decide(session, request, user)
    return len(pending)
