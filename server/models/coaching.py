from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin, choice
from server.vocabulary import (
    GOAL_AREAS,
    GOAL_STATUSES,
    LANGUAGES,
    MEASURE_TYPES,
    OUTCOMES,
    PERIOD_PHASES,
    RATERS,
    SATISFACTION_MOMENTS,
    SATISFACTION_PARTIES,
)


class CoachingPeriod(SyncedMixin, Base):
    """A coaching period (valmennusjakso): participant, employer, work community, coach."""

    __tablename__ = "coaching_periods"
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Job coaching without a placement yet has no employer.
    employer_id: Mapped[str | None] = mapped_column(ForeignKey("employers.id"), index=True)
    workplace_id: Mapped[str | None] = mapped_column(ForeignKey("workplaces.id"))
    measure_type: Mapped[str] = mapped_column(choice("measure_type", MEASURE_TYPES))
    phase: Mapped[str] = mapped_column(choice("phase", PERIOD_PHASES), default="planning")
    start_date: Mapped[date] = mapped_column(Date)
    planned_end_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    outcome_at_end: Mapped[str | None] = mapped_column(choice("outcome_at_end", OUTCOMES))
    outcome_3_months: Mapped[str | None] = mapped_column(choice("outcome_3_months", OUTCOMES))
    outcome_6_months: Mapped[str | None] = mapped_column(choice("outcome_6_months", OUTCOMES))

    participant = relationship("Participant")
    coach = relationship("User", foreign_keys=[coach_id])
    employer = relationship("Employer")
    workplace = relationship("Workplace")
    goals = relationship("Goal", back_populates="period", order_by="Goal.created_at")
    rounds = relationship(
        "AssessmentRound", back_populates="period", order_by="AssessmentRound.held_on"
    )


class Goal(SyncedMixin, Base):
    __tablename__ = "goals"

    period_id: Mapped[str] = mapped_column(ForeignKey("coaching_periods.id"), index=True)
    area: Mapped[str] = mapped_column(choice("goal_area", GOAL_AREAS))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    success_criteria: Mapped[str | None] = mapped_column(Text)
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(choice("goal_status", GOAL_STATUSES), default="open")

    period = relationship("CoachingPeriod", back_populates="goals")


class AssessmentRound(SyncedMixin, Base):
    """One joint assessment at the workplace; each party rates each goal."""

    __tablename__ = "assessment_rounds"

    period_id: Mapped[str] = mapped_column(ForeignKey("coaching_periods.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    is_final: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)

    period = relationship("CoachingPeriod", back_populates="rounds")
    assessments = relationship("Assessment", back_populates="round")


class Assessment(SyncedMixin, Base):
    """One party's rating of one goal in one round. Append-only: never edited."""

    __tablename__ = "assessments"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_scale"),)

    round_id: Mapped[str] = mapped_column(ForeignKey("assessment_rounds.id"), index=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id"), index=True)
    rater: Mapped[str] = mapped_column(choice("rater", RATERS))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)

    round = relationship("AssessmentRound", back_populates="assessments")
    goal = relationship("Goal")


class Note(SyncedMixin, Base):
    """A coach's dated note on a participant or period. Append-only."""

    __tablename__ = "notes"

    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"), index=True)
    period_id: Mapped[str | None] = mapped_column(ForeignKey("coaching_periods.id"))
    body: Mapped[str] = mapped_column(Text)


class SatisfactionAnswer(SyncedMixin, Base):
    """One party's satisfaction (1-5, with a comment) at the end of a period or
    at a follow-up. Append-only: a new answer for the same moment replaces the
    earlier one in the figures (the latest `answered_on`, then the latest made)."""

    __tablename__ = "satisfaction_answers"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_scale"),)

    period_id: Mapped[str] = mapped_column(ForeignKey("coaching_periods.id"), index=True)
    moment: Mapped[str] = mapped_column(choice("satisfaction_moment", SATISFACTION_MOMENTS))
    party: Mapped[str] = mapped_column(choice("satisfaction_party", SATISFACTION_PARTIES))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date] = mapped_column(Date)
    # The language the answer was given in (the representative's own, on the hand-over screen).
    language: Mapped[str | None] = mapped_column(choice("answer_language", LANGUAGES))
    # Who answered for the employer (the representative's name as they gave it).
    respondent: Mapped[str | None] = mapped_column(String(200))

    period = relationship("CoachingPeriod")
