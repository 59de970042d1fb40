"""Data-subject rights: consent history, restrictions, erasures and retention runs."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, choice, utcnow

ERASURE_SOURCES = ("request", "retention")


class ConsentEvent(Base):
    """Consent given or withdrawn. Written by database triggers whenever a
    participant's `consent_given` changes, by any route (device push, desk),
    so the current flag and its history cannot disagree."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    given: Mapped[bool] = mapped_column(Boolean)
    # The consent date recorded with the change, or the day of the change.
    on_date: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProcessingRestriction(Base):
    """GDPR Art. 18: a participant's records frozen from `restricted_at` until lifted."""

    __tablename__ = "processing_restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    restricted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    restricted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Erasure(Base):
    """GDPR Art. 17: proof that a participant's personal content was removed.
    The reason is the request's ground, not its content (the form says so)."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[str] = mapped_column(String(36), unique=True)
    # What the audit log calls the participant after the erasure.
    pseudonym: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(choice("erasure_source", ERASURE_SOURCES))
    reason: Mapped[str] = mapped_column(Text)
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    records_erased: Mapped[int] = mapped_column(Integer, default=0)
    audit_entries_pseudonymized: Mapped[int] = mapped_column(Integer, default=0)


class RetentionRun(Base):
    """One `flask retention apply`: the rule it applied and what went."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    personal_data_years: Mapped[int] = mapped_column(Integer)
    audit_years: Mapped[int] = mapped_column(Integer)
    # Periods that ended before this day made their participant due.
    personal_data_cutoff: Mapped[date] = mapped_column(Date)
    audit_cutoff: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    participants_erased: Mapped[int] = mapped_column(Integer, default=0)
    audit_entries_removed: Mapped[int] = mapped_column(Integer, default=0)


class AuditRewritePermit(Base):
    """The one way past the audit log's append-only triggers: a row here,
    inserted and removed within the same transaction by an erasure
    (kind "pseudonymize": only entity_id and detail may change) or a
    retention run (kind "expire": only entries older than `before` may go)."""

    __tablename__ = "audit_rewrite_permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
