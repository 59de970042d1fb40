from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin, choice, utcnow
from server.vocabulary import LANGUAGES, ROLES


class User(Base):
    """Anyone who logs in: coach, supervisor, employer representative or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(choice("role", ROLES))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(choice("language", LANGUAGES), default="fi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organization = relationship("Organization")
    # An employer representative acts for the employers whose contact person
    # record links to this user (EmployerContactPerson.user_id).


class Participant(SyncedMixin, Base):
    """A job seeker or new employee in coaching (asiakas, työnhakija)."""

    __tablename__ = "participants"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_year: Mapped[int | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    municipality: Mapped[str | None] = mapped_column(String(100))
    # Consent to record and share coaching data with the employer side.
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_date: Mapped[date | None] = mapped_column(Date)
    consent_note: Mapped[str | None] = mapped_column(Text)

    coach = relationship("User", foreign_keys=[coach_id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
