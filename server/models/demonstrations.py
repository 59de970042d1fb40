from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin, choice
from server.vocabulary import (
    DEMONSTRATION_RESULTS,
    DEMONSTRATION_STATUSES,
    SIGNOFF_STATUSES,
    TASK_RESULTS,
)


class WorkDemonstration(SyncedMixin, Base):
    """A work demonstration (työnäyttö): real tasks instead of or beside an interview."""

    __tablename__ = "work_demonstrations"

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.id"), index=True)
    period_id: Mapped[str | None] = mapped_column(ForeignKey("coaching_periods.id"), index=True)
    workplace_id: Mapped[str | None] = mapped_column(ForeignKey("workplaces.id"))
    title: Mapped[str] = mapped_column(String(200))
    demonstration_date: Mapped[date] = mapped_column(Date)
    overall_result: Mapped[str | None] = mapped_column(
        choice("demonstration_result", DEMONSTRATION_RESULTS)
    )
    recommendation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        choice("demonstration_status", DEMONSTRATION_STATUSES), default="draft"
    )

    tasks = relationship(
        "DemonstrationTask", back_populates="demonstration", order_by="DemonstrationTask.position"
    )
    signoffs = relationship("SignOff", back_populates="demonstration")
    participant = relationship("Participant")
    employer = relationship("Employer")


class DemonstrationTask(SyncedMixin, Base):
    __tablename__ = "demonstration_tasks"

    demonstration_id: Mapped[str] = mapped_column(ForeignKey("work_demonstrations.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    task: Mapped[str] = mapped_column(String(300))
    criteria: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(choice("task_result", TASK_RESULTS))
    note: Mapped[str | None] = mapped_column(Text)

    demonstration = relationship("WorkDemonstration", back_populates="tasks")


class SignOff(SyncedMixin, Base):
    """An employer representative's WebAuthn assertion over a demonstration's content.

    Append-only. The assertion fields are what the device captured; the
    verification fields are set by the server when it checks the assertion.
    """

    __tablename__ = "signoffs"

    demonstration_id: Mapped[str] = mapped_column(ForeignKey("work_demonstrations.id"), index=True)
    representative_id: Mapped[str] = mapped_column(ForeignKey("employer_contact_persons.id"))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    content_version: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # The canonical content the representative signed (docs/signoff-canonical.md),
    # kept so the signature stays checkable after the demonstration changes.
    signed_content: Mapped[str | None] = mapped_column(Text)
    nonce: Mapped[str] = mapped_column(String(64))
    credential_id: Mapped[str] = mapped_column(String(1024))
    authenticator_data: Mapped[str] = mapped_column(Text)
    client_data_json: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(Text)
    user_handle: Mapped[str | None] = mapped_column(String(1024))
    verification_status: Mapped[str] = mapped_column(
        choice("verification_status", SIGNOFF_STATUSES), default="pending"
    )
    verification_reason: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    demonstration = relationship("WorkDemonstration", back_populates="signoffs")
    representative = relationship("EmployerContactPerson")
