"""Synced records by their sync type name: the model, whose caseload a record
belongs to, and a short label for the supervisor's pages."""

from sqlalchemy.orm import Session

from server import models as m
from server.auth import policy

RECORD_MODELS: dict[str, type] = {
    "participant": m.Participant,
    "employer": m.Employer,
    "workplace": m.Workplace,
    "employer_contact_person": m.EmployerContactPerson,
    "employer_contact": m.EmployerContact,
    "coaching_period": m.CoachingPeriod,
    "goal": m.Goal,
    "assessment_round": m.AssessmentRound,
    "assessment": m.Assessment,
    "note": m.Note,
    "work_demonstration": m.WorkDemonstration,
    "demonstration_task": m.DemonstrationTask,
    "signoff": m.SignOff,
    "coaching_voucher": m.CoachingVoucher,
    "meeting_event": m.MeetingEvent,
    "meeting_event_employer": m.MeetingEventEmployer,
    "event_attendance": m.EventAttendance,
    "recruitment_panel": m.RecruitmentPanel,
    "panelist": m.Panelist,
    "panel_candidate": m.PanelCandidate,
    "panel_assessment": m.PanelAssessment,
    "review_return": m.ReviewReturn,
}

# What a supervisor may return to a coach: records of a participant's caseload, so
# the return syncs to the device of the participant's coach (its sync scope).
RETURNABLE = (
    "coaching_period",
    "goal",
    "assessment_round",
    "note",
    "work_demonstration",
)


def load(session: Session, record_type: str, record_id: str):
    model = RECORD_MODELS.get(record_type)
    if model is None:
        return None
    return session.get(model, record_id)


def participant_id_of(session: Session, record_type: str, record) -> str | None:
    """The participant whose caseload holds `record`, if it has one."""
    if record_type == "participant":
        return record.id
    if hasattr(record, "participant_id"):
        return record.participant_id
    if record_type in ("goal", "assessment_round"):
        return session.get(m.CoachingPeriod, record.period_id).participant_id
    if record_type == "assessment":
        rnd = session.get(m.AssessmentRound, record.round_id)
        return session.get(m.CoachingPeriod, rnd.period_id).participant_id
    if record_type in ("demonstration_task", "signoff"):
        return session.get(m.WorkDemonstration, record.demonstration_id).participant_id
    return None


def organization_id_of(session: Session, record_type: str, record) -> int | None:
    if (org := getattr(record, "organization_id", None)) is not None:
        return org
    participant_id = participant_id_of(session, record_type, record)
    if participant_id is not None:
        return session.get(m.Participant, participant_id).organization_id
    if (employer_id := getattr(record, "employer_id", None)) is not None:
        return session.get(m.Employer, employer_id).organization_id
    return None


def goal_area_of(session: Session, record_type: str, record) -> str | None:
    """The goal area of a goal or an assessment (wellbeing is special-category)."""
    if record_type == "goal":
        return record.area
    if record_type == "assessment":
        return session.get(m.Goal, record.goal_id).area
    return None


def may_read(session: Session, user: m.User, record_type: str, record) -> bool:
    """A supervisor reads the synced records of their own organization (DESIGN §4)."""
    if organization_id_of(session, record_type, record) != user.organization_id:
        return False
    area = policy.RECORD_AREAS.get(record_type)
    if area is None:
        return user.role == "supervisor"
    goal_area = goal_area_of(session, record_type, record)
    return policy.allowed(user, policy.record_area(record_type, goal_area), "read")


def period_id_of(session: Session, record_type: str, record) -> str | None:
    """The coaching period a record belongs to, for a link to its page."""
    if record_type == "coaching_period":
        return record.id
    if hasattr(record, "period_id"):
        return record.period_id
    if record_type == "assessment":
        return session.get(m.AssessmentRound, record.round_id).period_id
    if record_type in ("demonstration_task", "signoff"):
        return session.get(m.WorkDemonstration, record.demonstration_id).period_id
    return None


def label(session: Session, record_type: str, record) -> str:
    """A short human label: a title, a name or a date."""
    for attr in ("title", "name", "task", "position_title"):
        if (value := getattr(record, attr, None)) is not None:
            return str(value)
    if record_type == "participant":
        return record.full_name
    for attr in ("start_date", "held_on", "contact_date", "event_date", "signed_at"):
        if (value := getattr(record, attr, None)) is not None:
            return value.strftime("%d.%m.%Y")
    return record.id
