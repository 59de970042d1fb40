"""Who may see and do what (DESIGN §4), in one place.

Every view asks `allowed(user, area, action)` and narrows its queries with the
row filters below; the sync scopes use the same functions, so a device never
receives what its user could not open in a browser.
"""

from sqlalchemy import ColumnElement, Select, false, select

from server.models import Device, EmployerContactPerson, Participant, User
from server.records.registry import TYPES
from server.vocabulary import SENSITIVE_GOAL_AREAS

# area -> role -> actions. Mirrors the table in DESIGN §4, with one change the
# sync and review issues ask for: supervisors also write their organization's
# records (they correct them, move participants between coaches and settle
# conflicts the coaches left open), and every such write is audited.
PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    "caseload": {
        "coach": frozenset({"read", "write"}),
        "supervisor": frozenset({"read", "write"}),
    },
    "wellbeing": {
        "coach": frozenset({"read", "write"}),
        "supervisor": frozenset({"read", "write"}),
    },
    "demonstrations": {
        "coach": frozenset({"read", "write"}),
        "employer_rep": frozenset({"read", "sign"}),
        "supervisor": frozenset({"read", "write"}),
    },
    "employers": {
        "coach": frozenset({"read", "write"}),
        "employer_rep": frozenset({"read"}),
        "supervisor": frozenset({"read"}),
        "admin": frozenset({"read", "write"}),
    },
    "vouchers": {
        "coach": frozenset({"read", "request"}),
        "employer_rep": frozenset({"read"}),
        "supervisor": frozenset({"read", "approve"}),
    },
    "users": {"admin": frozenset({"read", "write"})},
    # The coach's own devices; a supervisor's and an admin's: their organization's.
    "devices": {
        "coach": frozenset({"read", "revoke"}),
        "supervisor": frozenset({"read", "revoke"}),
        "admin": frozenset({"read", "revoke"}),
    },
    "audit": {"supervisor": frozenset({"read"}), "admin": frozenset({"read"})},
}


def allowed(user: User | None, area: str, action: str) -> bool:
    if user is None or not user.active:
        return False
    return action in PERMISSIONS.get(area, {}).get(user.role, frozenset())


def record_area(record_type: str, goal_area: str | None = None) -> str:
    """The area of a record; a goal (or its assessments) in wellbeing is special-category."""
    if goal_area in SENSITIVE_GOAL_AREAS:
        return "wellbeing"
    return TYPES[record_type].area


def visible_participants(user: User) -> Select:
    """SELECT of the participants whose records `user` may read."""
    query = select(Participant).where(Participant.deleted.is_(False))
    if user.role == "coach":
        return query.where(Participant.coach_id == user.id)
    if user.role == "supervisor":
        return query.where(Participant.organization_id == user.organization_id)
    return query.where(false())


def represented_employer_ids(user: User) -> Select:
    """SELECT of the employer ids an employer representative acts for."""
    if user.role != "employer_rep":
        return select(EmployerContactPerson.employer_id).where(false())
    return employer_ids_of_representative(user.id)


def employer_ids_of_representative(user_id: int | ColumnElement) -> Select:
    """The employers a representative acts for; `user_id` may be a bound parameter."""
    return select(EmployerContactPerson.employer_id).where(
        EmployerContactPerson.user_id == user_id, EmployerContactPerson.deleted.is_(False)
    )


def may_read_participant(user: User, participant: Participant) -> bool:
    if not allowed(user, "caseload", "read"):
        return False
    if user.role == "coach":
        return participant.coach_id == user.id
    return participant.organization_id == user.organization_id


def visible_devices(user: User) -> Select:
    """SELECT of the devices (app installs) `user` may list and cut off."""
    query = select(Device)
    if not allowed(user, "devices", "read"):
        return query.where(false())
    if user.role == "coach":
        return query.where(Device.user_id == user.id)
    in_organization = select(User.id).where(User.organization_id == user.organization_id)
    return query.where(Device.user_id.in_(in_organization))
