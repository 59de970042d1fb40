"""What the server keeps to run sync: devices, applied mutations, the change feed, conflicts."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, choice, new_uuid, utcnow
from server.vocabulary import CONFLICT_KINDS, CONFLICT_STATUSES


class Device(Base):
    """A browser install of the coach's app; it authenticates sync calls with a token."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str | None] = mapped_column(String(200))
    # Only a hash of the device token is stored; the token lives on the device.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Who cut the device off (its owner or an administrator); None when the
    # device ended its own session (logout).
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The browser's User-Agent when it registered: the device's readable name.
    user_agent: Mapped[str | None] = mapped_column(String(500))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    # Largest clock skew (device ahead of server, ms) seen on this device.
    max_clock_skew_ms: Mapped[int] = mapped_column(BigInteger, default=0)

    user = relationship("User", foreign_keys=[user_id])


class AppliedMutation(Base):
    """Idempotency: a mutation id is applied once; a replay is answered "duplicate"."""

    __tablename__ = "applied_mutations"

    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChangeFeed(Base):
    """One row per applied change, in commit order; devices pull after a position.

    The scope columns let a pull filter to what a user may see without joining
    the record tables: participant (coach's caseload), employer (its
    representatives) and whether the record is special-category data.
    """

    __tablename__ = "change_feed"
    # One index per way a pull narrows the feed, each ending in seq, so an
    # incremental pull seeks straight to the user's own changes after the
    # cursor: its cost follows the changes in scope, not the table's size.
    __table_args__ = (
        Index("ix_change_feed_participant_seq", "participant_id", "seq"),
        Index("ix_change_feed_org_participant_seq", "organization_id", "participant_id", "seq"),
        Index("ix_change_feed_org_seq", "organization_id", "seq"),
        Index("ix_change_feed_employer_seq", "employer_id", "seq"),
        Index("ix_change_feed_target_seq", "target_user_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    organization_id: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[str | None] = mapped_column(String(36))
    employer_id: Mapped[str | None] = mapped_column(String(36))
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    # "change" for a record; "grant"/"revoke" when a user gains/loses a participant;
    # "leave" when a record's scope changed, with its old scope (L3b).
    kind: Mapped[str] = mapped_column(String(10), default="change")
    target_user_id: Mapped[int | None] = mapped_column(Integer)


class Conflict(Base):
    """Concurrent values of one field, all kept until a coach or supervisor resolves them."""

    __tablename__ = "conflicts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(choice("conflict_kind", CONFLICT_KINDS))
    # Every competing value: [{value, stamp, device_id, user_id, mutation_id}], winner first.
    values: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(
        choice("conflict_status", CONFLICT_STATUSES), default="open"
    )
    organization_id: Mapped[int] = mapped_column(Integer, index=True)
    participant_id: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[dict | None] = mapped_column(JSON)
    # The record's version after the merge that found the conflict, and that merge's mutation.
    version: Mapped[int] = mapped_column(Integer, default=1)
    mutation_id: Mapped[str | None] = mapped_column(String(36))
