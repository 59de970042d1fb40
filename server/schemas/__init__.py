"""One schema per record type, keyed by the record type name used in sync."""

from server.schemas.coaching import (
    AssessmentRoundSchema,
    AssessmentSchema,
    CoachingPeriodSchema,
    GoalSchema,
    NoteSchema,
)
from server.schemas.demonstrations import (
    DemonstrationTaskSchema,
    SignOffSchema,
    WorkDemonstrationSchema,
)
from server.schemas.employers import (
    EmployerContactPersonSchema,
    EmployerContactSchema,
    EmployerSchema,
    WorkplaceSchema,
)
from server.schemas.events import (
    EventAttendanceSchema,
    MeetingEventEmployerSchema,
    MeetingEventSchema,
)
from server.schemas.panels import (
    PanelAssessmentSchema,
    PanelCandidateSchema,
    PanelistSchema,
    RecruitmentPanelSchema,
)
from server.schemas.people import ParticipantSchema, UserCreateSchema
from server.schemas.reviews import ReviewReturnSchema
from server.schemas.vouchers import CoachingVoucherSchema

RECORD_SCHEMAS = {
    "participant": ParticipantSchema,
    "employer": EmployerSchema,
    "workplace": WorkplaceSchema,
    "employer_contact_person": EmployerContactPersonSchema,
    "employer_contact": EmployerContactSchema,
    "coaching_period": CoachingPeriodSchema,
    "goal": GoalSchema,
    "assessment_round": AssessmentRoundSchema,
    "assessment": AssessmentSchema,
    "note": NoteSchema,
    "work_demonstration": WorkDemonstrationSchema,
    "demonstration_task": DemonstrationTaskSchema,
    "signoff": SignOffSchema,
    "coaching_voucher": CoachingVoucherSchema,
    "meeting_event": MeetingEventSchema,
    "meeting_event_employer": MeetingEventEmployerSchema,
    "event_attendance": EventAttendanceSchema,
    "recruitment_panel": RecruitmentPanelSchema,
    "panelist": PanelistSchema,
    "panel_candidate": PanelCandidateSchema,
    "panel_assessment": PanelAssessmentSchema,
    "review_return": ReviewReturnSchema,
}

__all__ = ["RECORD_SCHEMAS", "UserCreateSchema"]
