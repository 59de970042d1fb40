from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, SyncedMixin, choice
from server.vocabulary import PANELIST_KINDS


class RecruitmentPanel(SyncedMixin, Base):
    """An interview panel when the service hires staff: clients sit on it (seed 000)."""

    __tablename__ = "recruitment_panels"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    position_title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(Text)

    panelists = relationship("Panelist", back_populates="panel")
    candidates = relationship("PanelCandidate", back_populates="panel")


class Panelist(SyncedMixin, Base):
    __tablename__ = "panelists"

    panel_id: Mapped[str] = mapped_column(ForeignKey("recruitment_panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(choice("panelist_kind", PANELIST_KINDS))

    panel = relationship("RecruitmentPanel", back_populates="panelists")


class PanelCandidate(SyncedMixin, Base):
    __tablename__ = "panel_candidates"

    panel_id: Mapped[str] = mapped_column(ForeignKey("recruitment_panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The panel's decision: who was chosen.
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)

    panel = relationship("RecruitmentPanel", back_populates="candidates")


class PanelAssessment(SyncedMixin, Base):
    """One panelist's assessment of one candidate. Append-only."""

    __tablename__ = "panel_assessments"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_scale"),)

    panel_id: Mapped[str] = mapped_column(ForeignKey("recruitment_panels.id"), index=True)
    panelist_id: Mapped[str] = mapped_column(ForeignKey("panelists.id"))
    candidate_id: Mapped[str] = mapped_column(ForeignKey("panel_candidates.id"))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
