"""Records of any registered type, as the supervisor's pages use them: found
by type name, placed in a caseload and an organization by walking up their
parents (server/records/registry.py), and labelled briefly."""

from collections.abc import Iterator

from sqlalchemy.orm import Session

from server import models as m
from server.auth import policy
from server.records.registry import TYPES

# What a supervisor may return to a coach: records of a participant's caseload, so
# the return syncs to the device of the participant's coach (its sync scope).
RETURNABLE = tuple(name for name, t in TYPES.items() if t.returnable)


def load(session: Session, record_type: str, record_id: str):
    entry = TYPES.get(record_type)
    if entry is None:
        return None
    return session.get(entry.model, record_id)


def lineage(session: Session, record_type: str, record) -> Iterator[tuple[str, object]]:
    """The record, then its parent, its parent's parent … up to its root."""
    while record is not None:
        yield record_type, record
        parent = TYPES[record_type].parent
        if parent is None:
            return
        fk, record_type = parent
        parent_id = getattr(record, fk)
        record = None if parent_id is None else session.get(TYPES[record_type].model, parent_id)


def participant_id_of(session: Session, record_type: str, record) -> str | None:
    """The participant whose caseload holds `record`, if it has one."""
    for name, found in lineage(session, record_type, record):
        if name == "participant":
            return found.id
    return None


def organization_id_of(session: Session, record_type: str, record) -> int | None:
    for _name, found in lineage(session, record_type, record):
        if (org := getattr(found, "organization_id", None)) is not None:
            return org
    return None


def goal_area_of(session: Session, record_type: str, record) -> str | None:
    """The value that makes a record special-category (a goal's area, for the
    goal and its assessments), if a type above it has one."""
    for name, found in lineage(session, record_type, record):
        if (sensitive := TYPES[name].sensitive) is not None:
            return getattr(found, sensitive[0])
    return None


def may_read(session: Session, user: m.User, record_type: str, record) -> bool:
    """A supervisor reads the synced records of their own organization (DESIGN §4)."""
    if organization_id_of(session, record_type, record) != user.organization_id:
        return False
    area = TYPES[record_type].area
    if area is None:
        return user.role == "supervisor"
    goal_area = goal_area_of(session, record_type, record)
    return policy.allowed(user, policy.record_area(record_type, goal_area), "read")


def period_id_of(session: Session, record_type: str, record) -> str | None:
    """The coaching period a record belongs to, for a link to its page."""
    for name, found in lineage(session, record_type, record):
        if name == "coaching_period":
            return found.id
        if hasattr(found, "period_id"):
            return found.period_id
    return None


def label(record_type: str, record) -> str:
    """A short human label: a title, a name or a date."""
    for attr in TYPES[record_type].label_attrs:
        if (value := getattr(record, attr, None)) is not None:
            return value.strftime("%d.%m.%Y") if hasattr(value, "strftime") else str(value)
    return record.id
