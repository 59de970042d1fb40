"""All models, imported here so Alembic and the app see one metadata."""

from server.models.audit import AuditEvent
from server.models.base import Base
from server.models.coaching import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    Goal,
    Note,
    SatisfactionAnswer,
)
from server.models.demonstrations import DemonstrationTask, SignOff, WorkDemonstration
from server.models.employers import (
    Employer,
    EmployerContact,
    EmployerContactPerson,
    Workplace,
)
from server.models.events import (
    EventAttendance,
    EventGuest,
    MeetingEvent,
    MeetingEventEmployer,
)
from server.models.login_attempts import LoginAttempt
from server.models.login_sessions import LoginSession
from server.models.organizations import Organization
from server.models.panels import PanelAssessment, PanelCandidate, Panelist, RecruitmentPanel
from server.models.people import Participant, User
from server.models.reviews import ReviewReturn
from server.models.subjects import (
    AuditRewritePermit,
    ConsentEvent,
    Erasure,
    ProcessingRestriction,
    RetentionRun,
)
from server.models.sync_state import AppliedMutation, ChangeFeed, Conflict, Device
from server.models.vouchers import CoachingVoucher, VoucherRequest
from server.models.webauthn import SignoffNonce, WebAuthnCredential

__all__ = [
    "AppliedMutation",
    "Assessment",
    "AssessmentRound",
    "AuditEvent",
    "AuditRewritePermit",
    "Base",
    "ChangeFeed",
    "CoachingPeriod",
    "CoachingVoucher",
    "Conflict",
    "ConsentEvent",
    "DemonstrationTask",
    "Device",
    "Employer",
    "EmployerContact",
    "EmployerContactPerson",
    "Erasure",
    "EventAttendance",
    "EventGuest",
    "Goal",
    "LoginAttempt",
    "LoginSession",
    "MeetingEvent",
    "MeetingEventEmployer",
    "Note",
    "Organization",
    "PanelAssessment",
    "PanelCandidate",
    "Panelist",
    "Participant",
    "ProcessingRestriction",
    "RecruitmentPanel",
    "RetentionRun",
    "ReviewReturn",
    "SatisfactionAnswer",
    "SignOff",
    "SignoffNonce",
    "User",
    "VoucherRequest",
    "WebAuthnCredential",
    "WorkDemonstration",
    "Workplace",
]
