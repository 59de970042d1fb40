from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow

# Every action the log holds: record writes, disclosures (reads, pulls,
# exports, reading the log itself), refusals, logins and each step of the
# sign-off and voucher flows.
AUDIT_ACTIONS = (
    "create",
    "update",
    "delete",
    "read",
    "sync_pull",
    "export",
    "audit_read",
    "refused",
    "login",
    "logout",
    "login_failed",
    "login_throttled",
    "device_owner_verified",
    "device_owner_failed",
    "device_owner_throttled",
    "verify",
    "voucher_eligible",
    "voucher_requested",
    "voucher_approved",
    "voucher_rejected",
    "voucher_paid",
)


class AuditEvent(Base):
    """Who did what to which record, when. Append-only: the database refuses
    UPDATE and DELETE on this table (triggers in the initial migration)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # One of AUDIT_ACTIONS.
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[dict | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(45))
