"""The supervisor's queries: team overview and the coaching-period list.

Every query is scoped to the supervisor's organization through the
participant (a period belongs to the organization of its participant).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import abort, request
from sqlalchemy import and_, func, or_, select

from server.due import FOLLOW_UP_MONTHS, ROUND_INTERVAL_DAYS, latest_end_due
from server.extensions import db
from server.i18n import translate
from server.models import (
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    Conflict,
    Device,
    Employer,
    Participant,
    ReviewReturn,
    User,
)
from server.query_args import int_arg
from server.vocabulary import PERIOD_PHASES

# A device that has not synced for this long is shown as lagging.
STALE_SYNC_DAYS = 3
ATTENTION = ("overdue_round", "overdue_follow_up")


def last_round_held():
    return (
        select(func.max(AssessmentRound.held_on))
        .where(AssessmentRound.period_id == CoachingPeriod.id, AssessmentRound.counted())
        .correlate(CoachingPeriod)
        .scalar_subquery()
    )


def overdue_round(today: date):
    """Active, and no round (or the start) within the last ROUND_INTERVAL_DAYS."""
    since = today - timedelta(days=ROUND_INTERVAL_DAYS)
    return and_(
        CoachingPeriod.phase == "active",
        func.coalesce(last_round_held(), CoachingPeriod.start_date) < since,
    )


def overdue_follow_up(today: date):
    """Ended, and a follow-up (server.due) is due but its outcome is not recorded."""
    outcomes = {3: CoachingPeriod.outcome_3_months, 6: CoachingPeriod.outcome_6_months}
    return and_(
        CoachingPeriod.phase.in_(("ended", "follow_up")),
        CoachingPeriod.end_date.is_not(None),
        or_(
            *(
                and_(
                    CoachingPeriod.end_date <= latest_end_due(today, months),
                    outcomes[months].is_(None),
                )
                for months in FOLLOW_UP_MONTHS
            )
        ),
    )


def org_periods(org_id: int):
    """SELECT of (period, participant, employer name, coach name) in the organization."""
    return (
        select(CoachingPeriod, Participant, Employer.name, User.name)
        .join(Participant, Participant.id == CoachingPeriod.participant_id)
        .outerjoin(Employer, Employer.id == CoachingPeriod.employer_id)
        .join(User, User.id == CoachingPeriod.coach_id)
        .where(
            Participant.organization_id == org_id,
            Participant.deleted.is_(False),
            CoachingPeriod.deleted.is_(False),
        )
    )


@dataclass
class PeriodFilters:
    q: str = ""
    coach: int | None = None
    employer: str | None = None
    phase: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    attention: str | None = None
    errors: dict = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return any(
            (
                self.q,
                self.coach,
                self.employer,
                self.phase,
                self.date_from,
                self.date_to,
                self.attention,
            )
        )


def _bad(field_name: str):
    abort(400, description=translate("review.error.filter", field=field_name))


def read_filters(org_id: int) -> PeriodFilters:
    """The list filters from the query string; a bad value is a 400 naming the field."""
    args = request.args
    f = PeriodFilters(q=(args.get("q") or "").strip()[:100])
    f.coach = int_arg("coach", args=args, message=translate("review.error.filter", field="coach"))
    if raw := args.get("employer"):
        if len(raw) > 36:
            _bad("employer")
        f.employer = raw
    if raw := args.get("phase"):
        if raw not in PERIOD_PHASES:
            _bad("phase")
        f.phase = raw
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        if raw := (args.get(name) or "").strip():
            try:
                setattr(f, attr, date.fromisoformat(raw))
            except ValueError:
                _bad(name)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        _bad("to")
    if raw := args.get("attention"):
        if raw not in ATTENTION:
            _bad("attention")
        f.attention = raw
    return f


def filtered_periods(org_id: int, f: PeriodFilters, today: date):
    query = org_periods(org_id)
    if f.coach is not None:
        query = query.where(CoachingPeriod.coach_id == f.coach)
    if f.employer:
        query = query.where(CoachingPeriod.employer_id == f.employer)
    if f.phase:
        query = query.where(CoachingPeriod.phase == f.phase)
    # A date range keeps the periods that overlap it.
    if f.date_to:
        query = query.where(CoachingPeriod.start_date <= f.date_to)
    if f.date_from:
        query = query.where(
            or_(CoachingPeriod.end_date.is_(None), CoachingPeriod.end_date >= f.date_from)
        )
    if f.q:
        needle = f.q.lower()
        full_name = func.lower(Participant.first_name + " " + Participant.last_name)
        query = query.where(
            or_(
                full_name.contains(needle, autoescape=True),
                func.lower(Employer.name).contains(needle, autoescape=True),
            )
        )
    if f.attention == "overdue_round":
        query = query.where(overdue_round(today))
    elif f.attention == "overdue_follow_up":
        query = query.where(overdue_follow_up(today))
    return query.order_by(CoachingPeriod.start_date.desc(), CoachingPeriod.id)


def org_coaches(org_id: int) -> list[User]:
    return db.session.scalars(
        select(User)
        .where(User.organization_id == org_id, User.role == "coach", User.active.is_(True))
        .order_by(User.name)
    ).all()


def org_employers(org_id: int) -> list[Employer]:
    return db.session.scalars(
        select(Employer)
        .where(Employer.organization_id == org_id, Employer.deleted.is_(False))
        .order_by(Employer.name)
    ).all()


@dataclass
class CoachRow:
    coach: User
    caseload: int = 0
    active_periods: int = 0
    overdue_rounds: int = 0
    overdue_follow_ups: int = 0
    devices: list = field(default_factory=list)

    @property
    def lagging_devices(self) -> list:
        return [d for d in self.devices if d.lagging or d.failing]


@dataclass
class DeviceRow:
    device: Device
    lagging: bool
    failing: bool

    @property
    def failure(self) -> str:
        """What the server refused last (server/sync_api/devices.py: "push:413")."""
        call, _, status = (self.device.last_error or "").partition(":")
        return translate(f"review.team.refused_{call}", status=status) if self.failing else ""

    @property
    def clock_ahead_s(self) -> int:
        """How far ahead of the server the device's clock has claimed to be, at most."""
        return (self.device.max_clock_skew_ms or 0) // 1000


def _counts(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def team_overview(org_id: int, today: date, now: datetime | None = None) -> list[CoachRow]:
    """Per coach: caseload, active periods, overdue rounds and follow-ups, devices."""
    now = now or datetime.now(UTC)
    rows = {c.id: CoachRow(c) for c in org_coaches(org_id)}
    in_org = (
        select(CoachingPeriod.coach_id, func.count(CoachingPeriod.id))
        .join(Participant, Participant.id == CoachingPeriod.participant_id)
        .where(
            Participant.organization_id == org_id,
            Participant.deleted.is_(False),
            CoachingPeriod.deleted.is_(False),
        )
        .group_by(CoachingPeriod.coach_id)
    )
    caseload = _counts(
        select(Participant.coach_id, func.count(Participant.id))
        .where(Participant.organization_id == org_id, Participant.deleted.is_(False))
        .group_by(Participant.coach_id)
    )
    active = _counts(in_org.where(CoachingPeriod.phase == "active"))
    rounds = _counts(in_org.where(overdue_round(today)))
    follow_ups = _counts(in_org.where(overdue_follow_up(today)))
    for coach_id, row in rows.items():
        row.caseload = caseload.get(coach_id, 0)
        row.active_periods = active.get(coach_id, 0)
        row.overdue_rounds = rounds.get(coach_id, 0)
        row.overdue_follow_ups = follow_ups.get(coach_id, 0)
    stale_before = now - timedelta(days=STALE_SYNC_DAYS)
    devices = db.session.scalars(
        select(Device)
        .where(Device.user_id.in_(list(rows)), Device.revoked_at.is_(None))
        .order_by(Device.last_sync_at.desc())
    ).all()
    for device in devices:
        last = device.last_sync_at
        if last is not None and last.tzinfo is None:  # SQLite returns naive UTC
            last = last.replace(tzinfo=UTC)
        rows[device.user_id].devices.append(
            DeviceRow(
                device,
                lagging=last is None or last < stale_before,
                failing=bool(device.last_error),
            )
        )
    return list(rows.values())


def desk_counts(org_id: int) -> dict[str, int]:
    """What waits for the supervisor: open conflicts, open returns, voucher requests."""
    return {
        "conflicts": db.session.scalar(
            select(func.count(Conflict.id)).where(
                Conflict.organization_id == org_id, Conflict.status == "open"
            )
        ),
        "returns": db.session.scalar(
            select(func.count(ReviewReturn.id)).where(
                ReviewReturn.organization_id == org_id,
                ReviewReturn.status == "open",
                ReviewReturn.deleted.is_(False),
            )
        ),
        "vouchers": db.session.scalar(
            select(func.count(CoachingVoucher.id))
            .join(Employer, Employer.id == CoachingVoucher.employer_id)
            .where(
                Employer.organization_id == org_id,
                CoachingVoucher.status == "requested",
                CoachingVoucher.deleted.is_(False),
            )
        ),
    }
