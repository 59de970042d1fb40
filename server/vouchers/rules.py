"""Coaching vouchers (valmennusseteli): who is eligible, and the allowed moves.

A period that has ended (phase ended or follow-up, with an end date) with its
final assessment round, at an employer, and whose work demonstrations (if any)
carry a verified sign-off, makes the employer eligible. Then:
eligible → requested (the period's coach) → approved | rejected with a reason
(a supervisor) → paid with a date and an amount (a supervisor, from approved).
Every move is checked here and audited as its own event.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from server import audit
from server.auth import policy
from server.i18n import translate
from server.models import (
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    Participant,
    User,
    WorkDemonstration,
)
from server.models.base import utcnow
from server.records.hooks import ChangedOnline
from server.records.registry import TYPES
from server.signoff.status import signoff_status, signoffs_by_demonstration
from server.vouchers import eligibility

# The allowed moves of a voucher's status, as its registry entry states them.
TRANSITIONS = TYPES["coaching_voucher"].hook(ChangedOnline).transitions
ENDED_PHASES = eligibility.ENDED_PHASES
MAX_AMOUNT_CENTS = 100_000_00  # 100 000 €: anything above is a typing error
REASON_MAX = 2000


class VoucherError(Exception):
    """A refused voucher action: `field` names what was wrong, `status` the HTTP status.

    The message is translated when read, in the reader's language, so the rules
    also run outside a request (e.g. when a device's push is checked).
    """

    def __init__(self, field: str, key: str, status: int = 422, **params):
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key
        self.params = params
        self.status = status
        # Machine-readable reasons (a device shows them in its own language).
        self.reasons = [key.rsplit(".", 1)[-1]]

    @property
    def message(self) -> str:
        params = {k: v() if callable(v) else v for k, v in self.params.items()}
        return translate(self.key, **params)


def candidate_periods(org_id: int):
    """SELECT of the periods that pass the SQL part of the rule (all but sign-offs)."""
    final_round = exists().where(
        AssessmentRound.period_id == CoachingPeriod.id,
        AssessmentRound.is_final.is_(True),
        AssessmentRound.deleted.is_(False),
    )
    return (
        select(CoachingPeriod)
        .join(Participant, Participant.id == CoachingPeriod.participant_id)
        .where(
            Participant.organization_id == org_id,
            Participant.deleted.is_(False),
            CoachingPeriod.deleted.is_(False),
            CoachingPeriod.employer_id.is_not(None),
            CoachingPeriod.phase.in_(ENDED_PHASES),
            CoachingPeriod.end_date.is_not(None),
            final_round,
        )
    )


def _unsigned_demonstrations(session: Session, period_ids: list[str]) -> set[str]:
    """Ids of the periods with a work demonstration that is not (or no longer) signed."""
    demonstrations = session.scalars(
        select(WorkDemonstration).where(
            WorkDemonstration.period_id.in_(period_ids), WorkDemonstration.deleted.is_(False)
        )
    ).all()
    signoffs = signoffs_by_demonstration(session, [d.id for d in demonstrations])
    return {
        d.period_id
        for d in demonstrations
        if signoff_status(d, signoffs.get(d.id, [])) != "verified"
    }


def facts(session: Session, period: CoachingPeriod) -> dict:
    """What the eligibility rule (server/vouchers/eligibility.py) reads of `period`."""
    final_rounds = session.scalar(
        select(func.count(AssessmentRound.id)).where(
            AssessmentRound.period_id == period.id,
            AssessmentRound.is_final.is_(True),
            AssessmentRound.deleted.is_(False),
        )
    )
    return {
        "employer_id": period.employer_id,
        "phase": period.phase,
        "end_date": period.end_date,
        "final_rounds": int(final_rounds or 0),
        "unsigned_demonstrations": len(_unsigned_demonstrations(session, [period.id])),
    }


def ineligibility(session: Session, period: CoachingPeriod) -> list[str]:
    """Why `period` does not (yet) make its employer eligible; empty when it does."""
    return eligibility.reasons(facts(session, period))


def status_of(session: Session, period: CoachingPeriod) -> tuple[str, list[str], object]:
    """(status, reasons, voucher) of a period's voucher: the voucher's status when
    it has one, else "eligible", else "not_eligible" with the reasons. The
    desk, the employer's portal and (from the same rule) the app show this."""
    voucher = session.scalar(
        select(CoachingVoucher).where(
            CoachingVoucher.period_id == period.id, CoachingVoucher.deleted.is_(False)
        )
    )
    if voucher is not None:
        return voucher.status, [], voucher
    found = ineligibility(session, period)
    return ("not_eligible" if found else "eligible"), found, None


def eligible_period_ids(session: Session, org_id: int, query=None) -> list[str]:
    """Ids of the eligible periods with no voucher record yet, by end date."""
    query = query if query is not None else candidate_periods(org_id)
    no_voucher = ~exists().where(CoachingVoucher.period_id == CoachingPeriod.id)
    ids = session.scalars(
        query.with_only_columns(CoachingPeriod.id)
        .where(no_voucher)
        .order_by(CoachingPeriod.end_date, CoachingPeriod.id)
    ).all()
    unsigned = _unsigned_demonstrations(session, list(ids)) if ids else set()
    return [i for i in ids if i not in unsigned]


def eligible_without_voucher(
    session: Session, org_id: int, query=None, limit: int | None = None
) -> list[CoachingPeriod]:
    """Eligible periods that have no voucher record yet (shown as status "eligible"),
    with their participant, employer and coach loaded."""
    ids = eligible_period_ids(session, org_id, query)[:limit]
    if not ids:
        return []
    found = session.scalars(
        select(CoachingPeriod)
        .where(CoachingPeriod.id.in_(ids))
        .options(
            selectinload(CoachingPeriod.participant),
            selectinload(CoachingPeriod.employer),
            selectinload(CoachingPeriod.coach),
        )
    ).all()
    order = {period_id: n for n, period_id in enumerate(ids)}
    return sorted(found, key=lambda p: order[p.id])


def _check_move(voucher: CoachingVoucher, target: str) -> None:
    current = voucher.status
    if target not in TRANSITIONS[current]:
        allowed_next = TRANSITIONS[current]
        error = VoucherError(
            "status",
            "vouchers.error.transition",
            409,
            current=lambda: translate(f"voucher_status.{current}"),
            target=lambda: translate(f"voucher_status.{target}"),
            allowed=lambda: (
                ", ".join(translate(f"voucher_status.{s}") for s in allowed_next)
                or translate("vouchers.error.none")
            ),
        )
        error.reasons = [f"status_{current}"]
        raise error


def _move(voucher: CoachingVoucher, target: str, user: User, detail: dict | None = None) -> None:
    _check_move(voucher, target)
    previous = voucher.status
    voucher.status = target
    audit.record(
        f"voucher_{target}",
        "coaching_vouchers",
        voucher.id,
        {"from": previous, "to": target, **(detail or {})},
        user_id=user.id,
    )


def _require(
    session: Session, user: User, action: str, org_id: int, period: CoachingPeriod | None = None
):
    if not policy.allowed(user, "vouchers", action) or org_id != user.organization_id:
        raise VoucherError("user", "vouchers.error.forbidden", 403)
    if action == "request" and period is not None and not is_coach_of(session, period, user):
        raise VoucherError("user", "vouchers.error.not_your_period", 403)


def is_coach_of(session: Session, period: CoachingPeriod, user: User) -> bool:
    """Whether `user` coaches the period's participant now (the caseload a
    coach's device holds), whoever coached the period itself."""
    participant = session.get(Participant, period.participant_id)
    return participant is not None and not participant.deleted and participant.coach_id == user.id


def organization_of(session: Session, period: CoachingPeriod) -> int:
    return session.get(Participant, period.participant_id).organization_id


def request(session: Session, period: CoachingPeriod, user: User) -> CoachingVoucher:
    """The coach asks for the voucher of an eligible period."""
    _require(session, user, "request", organization_of(session, period), period)
    voucher = session.scalar(select(CoachingVoucher).where(CoachingVoucher.period_id == period.id))
    if voucher is not None:
        _check_move(voucher, "requested")
    reasons = ineligibility(session, period)
    if reasons:
        error = VoucherError(
            "period",
            "vouchers.error.not_eligible",
            409,
            reasons=lambda: "; ".join(translate(f"vouchers.reason.{r}") for r in reasons),
        )
        error.reasons = reasons
        raise error
    if voucher is None:
        voucher = CoachingVoucher(
            period_id=period.id, employer_id=period.employer_id, status="eligible"
        )
        session.add(voucher)
        session.flush()
        audit.record("voucher_eligible", "coaching_vouchers", voucher.id, None, user_id=user.id)
    _move(voucher, "requested", user)
    voucher.requested_at = utcnow()
    voucher.requested_by_id = user.id
    return voucher


def approve(session: Session, voucher: CoachingVoucher, user: User, amount: str | None = None):
    _require(session, user, "approve", organization_of(session, voucher.period))
    _check_move(voucher, "approved")
    cents = parse_amount(amount, required=False)
    _move(voucher, "approved", user, {"amount_cents": cents} if cents is not None else None)
    if cents is not None:
        voucher.amount_cents = cents
    voucher.decided_at = utcnow()
    voucher.decided_by_id = user.id


def reject(session: Session, voucher: CoachingVoucher, user: User, reason: str | None):
    _require(session, user, "approve", organization_of(session, voucher.period))
    _check_move(voucher, "rejected")
    reason = (reason or "").strip()
    if not reason:
        raise VoucherError("rejection_reason", "vouchers.error.reason_required")
    if len(reason) > REASON_MAX:
        raise VoucherError("rejection_reason", "vouchers.error.reason_too_long", max=REASON_MAX)
    _move(voucher, "rejected", user, {"reason": reason})
    voucher.rejection_reason = reason
    voucher.decided_at = utcnow()
    voucher.decided_by_id = user.id


def pay(
    session: Session,
    voucher: CoachingVoucher,
    user: User,
    paid_on: str | None,
    amount: str | None,
    today: date | None = None,
):
    _require(session, user, "approve", organization_of(session, voucher.period))
    _check_move(voucher, "paid")
    day = parse_date(paid_on, "paid_on")
    if day > (today or date.today()):
        raise VoucherError("paid_on", "vouchers.error.paid_in_future")
    if voucher.period.end_date and day < voucher.period.end_date:
        raise VoucherError("paid_on", "vouchers.error.paid_before_end")
    cents = parse_amount(amount, required=True)
    _move(voucher, "paid", user, {"paid_on": day.isoformat(), "amount_cents": cents})
    voucher.paid_on = day
    voucher.amount_cents = cents


def parse_date(raw: str | None, field: str) -> date:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        raise VoucherError(field, "vouchers.error.date") from None


def parse_amount(raw: str | None, required: bool) -> int | None:
    """Euros as typed ("1 500,00", "1500.5", "1500") to cents; no floats on the way."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if not text:
        if required:
            raise VoucherError("amount", "vouchers.error.amount_required")
        return None
    try:
        euros = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise VoucherError("amount", "vouchers.error.amount") from None
    if not euros.is_finite() or euros.as_tuple().exponent < -2:
        raise VoucherError("amount", "vouchers.error.amount")
    cents = int(euros * 100)
    if cents <= 0 or cents > MAX_AMOUNT_CENTS:
        raise VoucherError("amount", "vouchers.error.amount_range", max=MAX_AMOUNT_CENTS // 100)
    return cents
