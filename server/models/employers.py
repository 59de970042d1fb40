from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin, choice
from server.vocabulary import ALTERNATIVE_METHODS, CONTACT_KINDS


class Employer(SyncedMixin, Base):
    __tablename__ = "employers"
    __table_args__ = (UniqueConstraint("organization_id", "business_id"),)

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Y-tunnus, NNNNNNN-C, check digit validated (server.ytunnus).
    business_id: Mapped[str] = mapped_column(String(9))
    industry: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    municipality: Mapped[str | None] = mapped_column(String(100))

    workplaces = relationship("Workplace", back_populates="employer")
    contact_persons = relationship("EmployerContactPerson", back_populates="employer")


class Workplace(SyncedMixin, Base):
    __tablename__ = "workplaces"

    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))

    employer = relationship("Employer", back_populates="workplaces")


class EmployerContactPerson(SyncedMixin, Base):
    """A person at the employer; `user_id` links one with a representative login."""

    __tablename__ = "employer_contact_persons"

    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    employer = relationship("Employer", back_populates="contact_persons")


class EmployerContact(SyncedMixin, Base):
    """Employer work (työnantajatyö): one contact with an employer."""

    __tablename__ = "employer_contacts"

    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    contact_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(choice("contact_kind", CONTACT_KINDS))
    informed_of_alternative_recruitment: Mapped[bool] = mapped_column(Boolean, default=False)
    adopted_alternative_recruitment: Mapped[bool] = mapped_column(Boolean, default=False)
    adopted_method: Mapped[str | None] = mapped_column(
        choice("alternative_method", ALTERNATIVE_METHODS)
    )
    note: Mapped[str | None] = mapped_column(Text)

    employer = relationship("Employer")


class EmployerNote(SyncedMixin, Base):
    """A coach's dated note on an employer. Append-only: a correction is a new
    note naming the one it corrects."""

    __tablename__ = "employer_notes"

    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    noted_on: Mapped[date | None] = mapped_column(Date)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("employer_notes.id"))
