"""A supervisor's return of a record to its coach, with a comment (issue 6).

Synced (SyncedMixin) so it reaches the coach's device and stays there, open,
until the coach answers; the answer syncs back the same way.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin, choice

REVIEW_RETURN_STATUSES = ("open", "answered")


class ReviewReturn(SyncedMixin, Base):
    __tablename__ = "review_returns"
    __table_args__ = (Index("ix_review_returns_org_status", "organization_id", "status"),)

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    # The returned record, named as sync names it ("coaching_period", "goal", ...).
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    # Whose caseload it belongs to: the sync scope of the coach's device.
    participant_id: Mapped[str | None] = mapped_column(ForeignKey("participants.id"), index=True)
    # The coach asked to answer (the record's coach when it was returned).
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    comment: Mapped[str] = mapped_column(Text)
    returned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(
        choice("review_return_status", REVIEW_RETURN_STATUSES), default="open"
    )
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    coach = relationship("User", foreign_keys=[coach_id])
    returned_by = relationship("User", foreign_keys=[returned_by_id])
    participant = relationship("Participant")
