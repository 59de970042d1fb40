from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin, choice
from server.vocabulary import VOUCHER_REQUEST_DECISIONS, VOUCHER_STATUSES


class CoachingVoucher(SyncedMixin, Base):
    """Valmennusseteli: paid to the employer after the coaching period ends."""

    __tablename__ = "coaching_vouchers"
    __table_args__ = (
        CheckConstraint("amount_cents IS NULL OR amount_cents >= 0", name="amount_not_negative"),
    )

    period_id: Mapped[str] = mapped_column(
        ForeignKey("coaching_periods.id"), index=True, unique=True
    )
    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.id"), index=True)
    status: Mapped[str] = mapped_column(choice("voucher_status", VOUCHER_STATUSES))
    # Money in euro cents: no floating point.
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    paid_on: Mapped[date | None] = mapped_column(Date)

    period = relationship("CoachingPeriod")
    employer = relationship("Employer")


class VoucherRequest(SyncedMixin, Base):
    """A coach's request for a period's voucher, made on the phone (offline
    too). The server's voucher rules decide it when it arrives
    (server/vouchers/requests.py); the decision syncs back. Append-only."""

    __tablename__ = "voucher_requests"

    period_id: Mapped[str] = mapped_column(ForeignKey("coaching_periods.id"), index=True)
    decision: Mapped[str] = mapped_column(
        choice("voucher_request_decision", VOUCHER_REQUEST_DECISIONS), default="pending"
    )
    # Refused: the rule keys (vouchers.reason.*, or the voucher's status), space-separated.
    refusal_reasons: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voucher_id: Mapped[str | None] = mapped_column(ForeignKey("coaching_vouchers.id"))
