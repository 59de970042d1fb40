"""The record types devices sync: model, writable fields and scope parents.

Writable fields and their validation come from the marshmallow schemas, so a
pushed value is checked by the same rules as any other edge. `visible` adds
fields the server sets that devices still need to show (a sign-off's
verification, a voucher's decision).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import marshmallow
from marshmallow import ValidationError
from marshmallow.validate import Length, OneOf, Range
from sqlalchemy import Date, DateTime

from server import models as m
from server.schemas import RECORD_SCHEMAS
from server.schemas.reviews import REVIEW_RETURN_SERVER_FIELDS
from sync.policy import TypePolicy


@dataclass(frozen=True)
class SyncedType:
    name: str
    model: type
    append_only: bool = False
    # (foreign-key field, parent record type): where the record's scope comes from.
    parent: tuple[str, str] | None = None
    visible: tuple[str, ...] = ()
    # Devices receive it but never write it (its changes go through server rules).
    read_only: bool = False
    writable: frozenset[str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "writable", frozenset(RECORD_SCHEMAS[self.name]().fields))

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field a device receives: the writable ones and the visible server-set ones."""
        return tuple(sorted(self.writable)) + self.visible

    @property
    def table(self):
        return self.model.__table__


TYPES: dict[str, SyncedType] = {
    t.name: t
    for t in (
        SyncedType("participant", m.Participant),
        SyncedType("employer", m.Employer),
        SyncedType("workplace", m.Workplace, parent=("employer_id", "employer")),
        SyncedType(
            "employer_contact_person",
            m.EmployerContactPerson,
            parent=("employer_id", "employer"),
            visible=("user_id",),
        ),
        SyncedType("employer_contact", m.EmployerContact, parent=("employer_id", "employer")),
        SyncedType("coaching_period", m.CoachingPeriod, parent=("participant_id", "participant")),
        SyncedType("goal", m.Goal, parent=("period_id", "coaching_period")),
        SyncedType("assessment_round", m.AssessmentRound, parent=("period_id", "coaching_period")),
        SyncedType("assessment", m.Assessment, append_only=True, parent=("goal_id", "goal")),
        SyncedType("note", m.Note, append_only=True, parent=("participant_id", "participant")),
        SyncedType(
            "work_demonstration",
            m.WorkDemonstration,
            parent=("participant_id", "participant"),
            visible=("status",),
        ),
        SyncedType(
            "demonstration_task",
            m.DemonstrationTask,
            parent=("demonstration_id", "work_demonstration"),
        ),
        SyncedType(
            "signoff",
            m.SignOff,
            append_only=True,
            parent=("demonstration_id", "work_demonstration"),
            visible=("verification_status", "verification_reason", "verified_at"),
        ),
        # Requested, decided and paid online (server/vouchers/rules.py checks
        # eligibility and every move); devices show the status.
        SyncedType(
            "coaching_voucher",
            m.CoachingVoucher,
            parent=("period_id", "coaching_period"),
            read_only=True,
            visible=("decided_at", "rejection_reason", "paid_on"),
        ),
        SyncedType("meeting_event", m.MeetingEvent),
        SyncedType(
            "meeting_event_employer", m.MeetingEventEmployer, parent=("event_id", "meeting_event")
        ),
        SyncedType("event_attendance", m.EventAttendance, parent=("participant_id", "participant")),
        # Made at the supervisor's desk only (store.py refuses a device's create);
        # the coach's device receives it and answers it.
        SyncedType(
            "review_return",
            m.ReviewReturn,
            parent=("participant_id", "participant"),
            visible=REVIEW_RETURN_SERVER_FIELDS,
        ),
    )
}

TYPE_OF_MODEL = {t.model: t for t in TYPES.values()}


def _validator(record_type: str):
    """The record type's marshmallow fields, applied one by one.

    The same fields and rules as the schema, without the Schema machinery
    around them (hooks, nesting, partial bookkeeping), which a push pays for
    500 times per batch. Unknown fields never get here (TypePolicy.check).
    A value that is plainly valid (see `_plain_check`) skips marshmallow;
    anything else, and every error message, comes from marshmallow.
    """
    declared = RECORD_SCHEMAS[record_type]().fields
    required = tuple(name for name, f in declared.items() if f.required)
    plain = {name: _plain_check(f) for name, f in declared.items()}
    # A push checks a new record's fields twice (P5, so a refused parent
    # cannot shelter a child, and P7): remember the verdict for the same
    # fields object. Holding the object keeps its id from being reused.
    recent: dict[tuple[int, bool], tuple[dict, dict]] = {}

    def validate(fields: dict, creating: bool) -> dict[str, list[str]]:
        key = (id(fields), creating)
        hit = recent.get(key)
        if hit is not None and hit[0] is fields:
            return hit[1]
        errors: dict[str, list[str]] = {}
        if creating:
            for name in required:
                if name not in fields:
                    errors[name] = ["Missing data for required field."]
        for name, value in fields.items():
            check = plain[name]
            if check is not None and check(value):
                continue
            try:
                declared[name].deserialize(value)
            except ValidationError as error:
                messages = error.messages
                errors[name] = messages if isinstance(messages, list) else [str(messages)]
        if len(recent) > 4096:
            recent.clear()
        recent[key] = (fields, errors)
        return errors

    return validate


def _plain_check(declared: marshmallow.fields.Field):
    """A quick test that accepts only values marshmallow surely accepts too:
    text within its length or choices, whole numbers (not booleans) within
    range, true/false, and null where allowed. None for fields whose rules
    are richer (dates, e-mail, custom checks): marshmallow always decides those."""
    kind, rules = type(declared), declared.validators
    allow_none = declared.allow_none
    if kind is marshmallow.fields.String:
        if not all(
            type(r) is OneOf or (type(r) is Length and r.min is None and r.equal is None)
            for r in rules
        ):
            return None
        limit = min((r.max for r in rules if type(r) is Length), default=None)
        choice_sets = [frozenset(r.choices) for r in rules if type(r) is OneOf]
        # A value must be in every OneOf: in their intersection.
        choices = frozenset.intersection(*choice_sets) if choice_sets else None

        def text(value) -> bool:
            if value is None:
                return allow_none
            return (
                type(value) is str
                and (limit is None or len(value) <= limit)
                and (choices is None or value in choices)
            )

        return text
    if kind is marshmallow.fields.Integer and declared.strict:
        if not all(type(r) is Range and r.min_inclusive and r.max_inclusive for r in rules):
            return None
        # Within every Range: above the highest minimum, below the lowest maximum.
        low = max((r.min for r in rules if r.min is not None), default=None)
        high = min((r.max for r in rules if r.max is not None), default=None)

        def whole(value) -> bool:
            if value is None:
                return allow_none
            return (
                type(value) is int
                and (low is None or value >= low)
                and (high is None or value <= high)
            )

        return whole
    if kind is marshmallow.fields.Boolean and not rules:
        return lambda value: allow_none if value is None else type(value) is bool
    return None


@cache
def policies() -> dict[str, TypePolicy]:
    return {
        name: TypePolicy(name, t.writable, t.append_only, _validator(name))
        for name, t in TYPES.items()
    }


# Wire values are JSON: dates and times travel as ISO 8601 text.
@cache
def temporal_fields(record_type: str) -> tuple[str, ...]:
    columns = TYPES[record_type].table.c
    temporal = (Date, DateTime)
    return tuple(n for n in TYPES[record_type].fields if isinstance(columns[n].type, temporal))


@cache
def reference_targets(record_type: str) -> dict[str, str]:
    """Field -> the table its foreign key points at, for the fields that are references."""
    return {
        column.key: next(iter(column.foreign_keys)).column.table.name
        for column in TYPES[record_type].table.columns
        if column.foreign_keys
    }


@cache
def row_columns(record_type: str) -> tuple[str, ...]:
    """The columns sync reads of a record: its fields, its sync bookkeeping and
    what its scope is decided by (not the audit timestamps, which cost a parse)."""
    table = TYPES[record_type].table
    extra = ("id", "version", "deleted", "field_meta", "organization_id")
    return tuple(dict.fromkeys(n for n in (*extra, *TYPES[record_type].fields) if n in table.c))


@cache
def _converters(record_type: str) -> dict:
    out = {}
    for column in TYPES[record_type].table.columns:
        if isinstance(column.type, DateTime):
            out[column.key] = datetime.fromisoformat
        elif isinstance(column.type, Date):
            out[column.key] = date.fromisoformat
    return out


def from_wire(record_type: str, fields: dict) -> dict:
    """The writable ones of wire field values, as the database columns take
    them (validated before); server-set fields are left out."""
    converters = _converters(record_type)
    writable = TYPES[record_type].writable
    out = {}
    for name, value in fields.items():
        if name in writable:
            convert = converters.get(name)
            out[name] = convert(value) if convert is not None and value is not None else value
    return out
