"""Every record type, one entry each: the one place that says what a type is.

An entry names the type's model and schema (the fields any edge may write,
and their rules), its parent (the foreign key its scope comes from), its
policy (append-only, fields only the server sets), the access area that
decides which roles see it (server/auth/policy.py), whether employer
representatives see or edit it, how the desk labels it, and its special
behaviour as hooks (server/records/hooks.py). The sync scopes and rules, the
access policy and the review desk all read it; docs/adding-a-record-type.md
says how to add one.

Order matters: a parent comes before its children (the push writes in this
order, and the pull lists a participant's history in it). `check` verifies
that, and that every hook names a real type, when this module is imported.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from server import models as m
from server.records.hooks import (
    ChangedOnline,
    DecidedOnArrival,
    Hook,
    LoginLink,
    MadeAtDesk,
    NamedWithConsent,
    NamesParticipant,
    Reassignable,
    ServerTime,
    SignedContent,
    VerifiedOnArrival,
)
from server.records.rules import rule_fields, unique_rules
from server.schemas.coaching import (
    AssessmentRoundSchema,
    AssessmentSchema,
    CoachingPeriodSchema,
    GoalSchema,
    NoteSchema,
    SatisfactionAnswerSchema,
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
    EventGuestSchema,
    MeetingEventEmployerSchema,
    MeetingEventSchema,
)
from server.schemas.panels import (
    PanelAssessmentSchema,
    PanelCandidateSchema,
    PanelistSchema,
    RecruitmentPanelSchema,
)
from server.schemas.people import ParticipantSchema
from server.schemas.reviews import REVIEW_RETURN_SERVER_FIELDS, ReviewReturnSchema
from server.schemas.vouchers import (
    VOUCHER_REQUEST_SERVER_FIELDS,
    CoachingVoucherSchema,
    VoucherRequestSchema,
)
from server.vocabulary import CLOSING_PHASES, SENSITIVE_GOAL_AREAS, VOUCHER_TRANSITIONS

H = TypeVar("H")


class RegistryError(Exception):
    """The registry contradicts itself (raised at import, so the server never starts so)."""


@dataclass(frozen=True)
class RecordType:
    name: str
    model: type
    schema: type
    # The access area (server/auth/policy.py PERMISSIONS) whose roles see and
    # write it; None: the supervisor's own pages only.
    area: str | None
    # (foreign-key field, parent type): where the record's scope comes from.
    parent: tuple[str, str] | None = None
    # Devices sync it; the others live at the desk only.
    synced: bool = True
    append_only: bool = False
    # Fields the server sets that devices receive but never write.
    server_set: tuple[str, ...] = ()
    # The scope part this record's own id is (a participant's caseload, an employer).
    scope_key: str | None = None
    # (field, values): the record and everything under it are special-category
    # data when its field holds one of the values (never sent to an employer).
    sensitive: tuple[str, frozenset[str]] | None = None
    # Employer representatives' devices receive it (DESIGN §4) ...
    employer_visible: bool = False
    # ... and representatives may edit it (their own employer's details).
    employer_writable: bool = False
    # A supervisor may return it to its coach with a comment.
    returnable: bool = False
    # The attributes the desk labels a record with, the first one set.
    label_attrs: tuple[str, ...] = ()
    hooks: tuple[Hook, ...] = ()
    # Cross-field and cross-record rules (server/records/rules.py), as data
    # the app receives too; `record_rules` adds the table's unique constraints.
    rules: tuple[dict, ...] = ()
    writable: frozenset[str] = field(init=False)
    record_rules: tuple[dict, ...] = field(init=False)
    _by_kind: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "writable", frozenset(self.schema().fields))
        derived = unique_rules(self.name, self.model.__table__)
        object.__setattr__(self, "record_rules", (*self.rules, *derived))
        # A push asks for hooks per mutation: a lookup, not a search.
        object.__setattr__(self, "_by_kind", {type(h): h for h in self.hooks})

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field a device receives: the writable ones and the server-set ones."""
        return tuple(sorted(self.writable)) + self.server_set

    @property
    def table(self):
        return self.model.__table__

    @property
    def label_key(self) -> str:
        """Its name for people (server/translations/review.*.json)."""
        return f"record.{self.name}"

    @property
    def read_only(self) -> bool:
        return self.hook(ChangedOnline) is not None

    def hook(self, kind: type[H]) -> H | None:
        return self._by_kind.get(kind)


def check(types: Iterable[RecordType]) -> dict[str, RecordType]:
    """The entries by name, or RegistryError naming what is wrong: every parent
    listed before its children (and synced if they are), every hook naming a
    real type, every field an entry names a column of its table."""
    types = list(types)
    names = {t.name for t in types}
    out: dict[str, RecordType] = {}
    for t in types:
        columns = t.table.c
        if t.name in out:
            raise RegistryError(f"{t.name}: listed twice")
        if t.parent is not None:
            fk, parent = t.parent
            if parent not in out:
                raise RegistryError(f"{t.name}: its parent {parent} must come before it")
            if fk not in columns:
                raise RegistryError(f"{t.name}: parent field {fk} is not a column")
            if t.synced and not out[parent].synced:
                raise RegistryError(f"{t.name}: synced under {parent}, which is not")
        for hook in t.hooks:
            for name in hook.names:
                if name not in names:
                    raise RegistryError(f"{t.name}: {type(hook).__name__} names {name}")
        for rule in t.record_rules:
            for name in rule_fields(rule):
                if name not in t.writable:
                    raise RegistryError(f"{t.name}: rule {rule['id']} names {name}, not a field")
        named = [*t.server_set, *t.label_attrs]
        named += [t.sensitive[0]] if t.sensitive else []
        named += [f for h in t.hooks if isinstance(h, NamesParticipant) for f in h.fields]
        for name in named:
            if name not in columns and not hasattr(t.model, name):
                raise RegistryError(f"{t.name}: {name} is not a field of {t.model.__name__}")
        out[t.name] = t
    return out


# The rules of issue 14: what the outcome figures count must be consistent.
BIRTH_YEAR = {"id": "birth_year_age", "kind": "min_age", "field": "birth_year", "years": 14}
ADOPTED_NEEDS_INFORMED = {
    "id": "adopted_needs_informed",
    "kind": "requires_true",
    "field": "informed_of_alternative_recruitment",
    "when": "adopted_alternative_recruitment",
}
GOT_WORK_NEEDS_ATTENDED = {
    "id": "got_work_needs_attended",
    "kind": "requires_true",
    "field": "attended",
    "when": "got_work",
}
PERIOD_RULES = (
    {
        "id": "end_not_before_start",
        "kind": "not_before",
        "field": "end_date",
        "other": "start_date",
    },
    {
        "id": "planned_end_not_before_start",
        "kind": "not_before",
        "field": "planned_end_date",
        "other": "start_date",
    },
    {
        "id": "ended_period_phase",
        "kind": "when_set",
        "field": "phase",
        "when": "end_date",
        "choices": list(CLOSING_PHASES),
    },
    {
        "id": "workplace_of_employer",
        "kind": "belongs_to",
        "field": "workplace_id",
        "record": "workplace",
        "via": "employer_id",
        "same_as": "employer_id",
    },
)

TYPES: dict[str, RecordType] = check(
    (
        RecordType(
            "participant",
            m.Participant,
            ParticipantSchema,
            "caseload",
            scope_key="participant_id",
            label_attrs=("full_name",),
            hooks=(Reassignable("coach_id"),),
            rules=(BIRTH_YEAR,),
        ),
        RecordType(
            "employer",
            m.Employer,
            EmployerSchema,
            "employers",
            scope_key="employer_id",
            employer_visible=True,
            employer_writable=True,
            label_attrs=("name",),
        ),
        RecordType(
            "workplace",
            m.Workplace,
            WorkplaceSchema,
            "employers",
            parent=("employer_id", "employer"),
            employer_visible=True,
            employer_writable=True,
            label_attrs=("name",),
        ),
        RecordType(
            "employer_contact_person",
            m.EmployerContactPerson,
            EmployerContactPersonSchema,
            "employers",
            parent=("employer_id", "employer"),
            server_set=("user_id",),
            employer_visible=True,
            employer_writable=True,
            label_attrs=("title", "name"),
            hooks=(LoginLink("user_id", grants=("employer_id",)),),
        ),
        RecordType(
            "employer_contact",
            m.EmployerContact,
            EmployerContactSchema,
            "employers",
            parent=("employer_id", "employer"),
            label_attrs=("contact_date",),
            rules=(ADOPTED_NEEDS_INFORMED,),
        ),
        RecordType(
            "coaching_period",
            m.CoachingPeriod,
            CoachingPeriodSchema,
            "caseload",
            parent=("participant_id", "participant"),
            returnable=True,
            label_attrs=("start_date",),
            rules=PERIOD_RULES,
        ),
        RecordType(
            "goal",
            m.Goal,
            GoalSchema,
            "caseload",
            parent=("period_id", "coaching_period"),
            sensitive=("area", SENSITIVE_GOAL_AREAS),
            returnable=True,
            label_attrs=("title",),
        ),
        RecordType(
            "assessment_round",
            m.AssessmentRound,
            AssessmentRoundSchema,
            "caseload",
            parent=("period_id", "coaching_period"),
            returnable=True,
            label_attrs=("held_on",),
        ),
        RecordType(
            "assessment",
            m.Assessment,
            AssessmentSchema,
            "caseload",
            parent=("goal_id", "goal"),
            append_only=True,
        ),
        # Both parties' satisfaction at the end and at follow-ups (seed 001).
        RecordType(
            "satisfaction_answer",
            m.SatisfactionAnswer,
            SatisfactionAnswerSchema,
            "caseload",
            parent=("period_id", "coaching_period"),
            append_only=True,
            label_attrs=("answered_on",),
        ),
        RecordType(
            "note",
            m.Note,
            NoteSchema,
            "caseload",
            parent=("participant_id", "participant"),
            append_only=True,
            returnable=True,
        ),
        RecordType(
            "work_demonstration",
            m.WorkDemonstration,
            WorkDemonstrationSchema,
            "demonstrations",
            parent=("participant_id", "participant"),
            server_set=("status",),
            employer_visible=True,
            returnable=True,
            label_attrs=("title",),
            hooks=(SignedContent(demonstration="id"),),
        ),
        RecordType(
            "demonstration_task",
            m.DemonstrationTask,
            DemonstrationTaskSchema,
            "demonstrations",
            parent=("demonstration_id", "work_demonstration"),
            employer_visible=True,
            label_attrs=("task",),
            hooks=(SignedContent(demonstration="demonstration_id"),),
        ),
        RecordType(
            "signoff",
            m.SignOff,
            SignOffSchema,
            "demonstrations",
            parent=("demonstration_id", "work_demonstration"),
            append_only=True,
            server_set=("verification_status", "verification_reason", "verified_at"),
            employer_visible=True,
            label_attrs=("signed_at",),
            hooks=(
                VerifiedOnArrival("demonstration_id", "work_demonstration", "signed"),
                # The signed text names the participant; its hash and the
                # assertion's challenge would let the name be guessed.
                NamesParticipant(
                    ("signed_content", "content_sha256", "client_data_json", "signature")
                ),
            ),
        ),
        RecordType(
            "coaching_voucher",
            m.CoachingVoucher,
            CoachingVoucherSchema,
            "vouchers",
            parent=("period_id", "coaching_period"),
            server_set=("decided_at", "rejection_reason", "paid_on"),
            employer_visible=True,
            hooks=(ChangedOnline("server.vouchers.rules", "status", VOUCHER_TRANSITIONS),),
        ),
        RecordType(
            "voucher_request",
            m.VoucherRequest,
            VoucherRequestSchema,
            "caseload",
            parent=("period_id", "coaching_period"),
            append_only=True,
            server_set=VOUCHER_REQUEST_SERVER_FIELDS,
            hooks=(DecidedOnArrival("server.vouchers.requests"),),
        ),
        RecordType(
            "meeting_event",
            m.MeetingEvent,
            MeetingEventSchema,
            "employers",
            label_attrs=("title", "event_date"),
        ),
        RecordType(
            "meeting_event_employer",
            m.MeetingEventEmployer,
            MeetingEventEmployerSchema,
            "employers",
            parent=("event_id", "meeting_event"),
        ),
        # A job seeker at the event who is not a client: not under any caseload,
        # never sent to employers; the name is shown only with consent.
        RecordType(
            "event_guest",
            m.EventGuest,
            EventGuestSchema,
            "employers",
            parent=("event_id", "meeting_event"),
            hooks=(NamedWithConsent("name", "name_consent"),),
        ),
        RecordType(
            "event_attendance",
            m.EventAttendance,
            EventAttendanceSchema,
            "employers",
            parent=("participant_id", "participant"),
            rules=(GOT_WORK_NEEDS_ATTENDED,),
        ),
        RecordType(
            "review_return",
            m.ReviewReturn,
            ReviewReturnSchema,
            "caseload",
            parent=("participant_id", "participant"),
            server_set=REVIEW_RETURN_SERVER_FIELDS,
            hooks=(MadeAtDesk("coach_id"), ServerTime("answered_at", "status", "answered")),
        ),
        # Interview panels with clients on them (seed 000): the desk's own.
        RecordType(
            "recruitment_panel",
            m.RecruitmentPanel,
            RecruitmentPanelSchema,
            None,
            synced=False,
            label_attrs=("position_title", "held_on"),
        ),
        RecordType(
            "panelist",
            m.Panelist,
            PanelistSchema,
            None,
            parent=("panel_id", "recruitment_panel"),
            synced=False,
            label_attrs=("name",),
        ),
        RecordType(
            "panel_candidate",
            m.PanelCandidate,
            PanelCandidateSchema,
            None,
            parent=("panel_id", "recruitment_panel"),
            synced=False,
            label_attrs=("name",),
        ),
        RecordType(
            "panel_assessment",
            m.PanelAssessment,
            PanelAssessmentSchema,
            None,
            parent=("panel_id", "recruitment_panel"),
            synced=False,
        ),
    )
)

# A rule's other record is a type of the registry (checked here, once whole).
for _t in TYPES.values():
    for _rule in _t.record_rules:
        if _rule.get("record") is not None and _rule["record"] not in TYPES:
            raise RegistryError(f"{_t.name}: rule {_rule['id']} names {_rule['record']}")

# What devices sync, parents first.
SYNCED: dict[str, RecordType] = {name: t for name, t in TYPES.items() if t.synced}
# Types without a parent: their organization is the pushing user's.
ROOTS = frozenset(name for name, t in SYNCED.items() if t.parent is None)
SYNCED_BY_MODEL: dict[type, RecordType] = {t.model: t for t in SYNCED.values()}
SYNCED_BY_TABLE: dict[str, RecordType] = {t.table.name: t for t in SYNCED.values()}


def descendants(root: str) -> tuple[RecordType, ...]:
    """The synced types under `root`, at any depth, parents first: the one
    walk from a record down to everything that hangs under it."""
    under = {root}
    out = []
    for t in SYNCED.values():
        if t.parent is not None and t.parent[1] in under:
            under.add(t.name)
            out.append(t)
    return tuple(out)
