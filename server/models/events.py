from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin


class MeetingEvent(SyncedMixin, Base):
    """Työkohtaamo: employers meet job seekers."""

    __tablename__ = "meeting_events"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    event_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    employers = relationship("MeetingEventEmployer", back_populates="event")
    attendances = relationship("EventAttendance", back_populates="event")
    guests = relationship("EventGuest", back_populates="event")


class MeetingEventEmployer(SyncedMixin, Base):
    """An employer taking part in an event, and how many meetings it held there."""

    __tablename__ = "meeting_event_employers"
    __table_args__ = (UniqueConstraint("event_id", "employer_id"),)

    event_id: Mapped[str] = mapped_column(ForeignKey("meeting_events.id"), index=True)
    employer_id: Mapped[str] = mapped_column(ForeignKey("employers.id"), index=True)
    # Meetings (short interviews) the employer held with job seekers, clients or not.
    meetings_held: Mapped[int] = mapped_column(Integer, default=0)

    event = relationship("MeetingEvent", back_populates="employers")
    employer = relationship("Employer")


class EventAttendance(SyncedMixin, Base):
    """A job seeker at an event: did they come, how many meetings, did they get work."""

    __tablename__ = "event_attendances"
    __table_args__ = (UniqueConstraint("event_id", "participant_id"),)

    event_id: Mapped[str] = mapped_column(ForeignKey("meeting_events.id"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    attended: Mapped[bool] = mapped_column(Boolean, default=True)
    meetings_held: Mapped[int] = mapped_column(Integer, default=0)
    got_work: Mapped[bool] = mapped_column(Boolean, default=False)
    employer_id: Mapped[str | None] = mapped_column(ForeignKey("employers.id"))
    note: Mapped[str | None] = mapped_column(Text)

    event = relationship("MeetingEvent", back_populates="attendances")
    participant = relationship("Participant")


class EventGuest(SyncedMixin, Base):
    """A job seeker at an event who is not a client: counted, and named only with
    their consent (the desk shows `name` only while `name_consent` holds)."""

    __tablename__ = "event_guests"

    event_id: Mapped[str] = mapped_column(ForeignKey("meeting_events.id"), index=True)
    name_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(String(200))
    meetings_held: Mapped[int] = mapped_column(Integer, default=0)
    got_work: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where they got work.
    employer_id: Mapped[str | None] = mapped_column(ForeignKey("employers.id"))
    note: Mapped[str | None] = mapped_column(Text)

    event = relationship("MeetingEvent", back_populates="guests")
