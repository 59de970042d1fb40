"""The records behind each outcome figure, as SELECTs.

A figure is an aggregate over one of these, and its "records behind" page lists
the same SELECT, so the number and the list can never disagree. Every SELECT is
scoped to one organization and a date range [start, end] (both inclusive).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, exists, func, or_, select

from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    Employer,
    EmployerContact,
    EventAttendance,
    Goal,
    MeetingEvent,
    Participant,
    User,
)
from server.subjects.restrictions import restricted_ids

# Outcomes that count as reaching work or studies (seed 002: "kiinni työelämään
# tai lähtenyt opintojen polulle").
WORK_OR_STUDIES = ("employed_open", "employed_subsidised", "studies")
OUTCOME_COLUMNS = {
    "outcome_end": CoachingPeriod.outcome_at_end,
    "outcome_3m": CoachingPeriod.outcome_3_months,
    "outcome_6m": CoachingPeriod.outcome_6_months,
}


@dataclass(frozen=True)
class Scope:
    org_id: int
    start: date
    end: date


def flag(condition):
    return case((condition, 1), else_=0)


def _counted_participant():
    """Not deleted, and not under a processing restriction (GDPR Art. 18)."""
    return and_(Participant.deleted.is_(False), Participant.id.not_in(restricted_ids()))


def _org_periods(scope: Scope):
    return and_(
        Participant.id == CoachingPeriod.participant_id,
        Participant.organization_id == scope.org_id,
        _counted_participant(),
        CoachingPeriod.deleted.is_(False),
    )


def served(scope: Scope):
    """Participants with a coaching period that overlaps the range."""
    overlapping = exists().where(
        CoachingPeriod.participant_id == Participant.id,
        CoachingPeriod.deleted.is_(False),
        CoachingPeriod.start_date <= scope.end,
        or_(CoachingPeriod.end_date.is_(None), CoachingPeriod.end_date >= scope.start),
    )
    return (
        select(
            Participant.id,
            Participant.id.label("participant_id"),
            Participant.first_name,
            Participant.last_name,
            User.name.label("coach"),
        )
        .join(User, User.id == Participant.coach_id)
        .where(
            Participant.organization_id == scope.org_id,
            _counted_participant(),
            overlapping,
        )
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    )


def ended_periods(scope: Scope, outcome_key: str):
    """Periods that ended in the range, with the outcome in question and whether it
    counts as work or studies (NULL when not recorded)."""
    column = OUTCOME_COLUMNS[outcome_key]
    reached = case((column.is_(None), None), (column.in_(WORK_OR_STUDIES), 1), else_=0).label(
        "reached"
    )
    return (
        select(
            CoachingPeriod.id,
            Participant.id.label("participant_id"),
            Participant.first_name,
            Participant.last_name,
            Employer.name.label("employer"),
            CoachingPeriod.measure_type,
            CoachingPeriod.end_date,
            column.label("outcome"),
            reached,
        )
        .select_from(CoachingPeriod)
        .join(Participant, _org_periods(scope))
        .outerjoin(Employer, Employer.id == CoachingPeriod.employer_id)
        .where(CoachingPeriod.end_date.between(scope.start, scope.end))
        .order_by(CoachingPeriod.end_date, CoachingPeriod.id)
    )


def contacted_employers(scope: Scope):
    """Employers with a contact in the range; informed / adopted in any of those contacts."""
    return (
        select(
            Employer.id,
            Employer.name,
            Employer.business_id,
            func.count(EmployerContact.id).label("contacts"),
            func.min(EmployerContact.contact_date).label("first_contact"),
            func.max(flag(EmployerContact.informed_of_alternative_recruitment)).label("informed"),
            func.max(flag(EmployerContact.adopted_alternative_recruitment)).label("adopted"),
        )
        .join(EmployerContact, EmployerContact.employer_id == Employer.id)
        .where(
            Employer.organization_id == scope.org_id,
            Employer.deleted.is_(False),
            EmployerContact.deleted.is_(False),
            EmployerContact.contact_date.between(scope.start, scope.end),
        )
        .group_by(Employer.id, Employer.name, Employer.business_id)
        .order_by(Employer.name, Employer.id)
    )


def _events_in_range(scope: Scope):
    return and_(
        MeetingEvent.organization_id == scope.org_id,
        MeetingEvent.deleted.is_(False),
        MeetingEvent.event_date.between(scope.start, scope.end),
    )


def events(scope: Scope):
    attended = (
        select(func.count(EventAttendance.id))
        .join(Participant, Participant.id == EventAttendance.participant_id)
        .where(
            EventAttendance.event_id == MeetingEvent.id,
            EventAttendance.deleted.is_(False),
            EventAttendance.attended.is_(True),
            _counted_participant(),
        )
        .correlate(MeetingEvent)
        .scalar_subquery()
    )
    return (
        select(
            MeetingEvent.id,
            MeetingEvent.title,
            MeetingEvent.event_date,
            MeetingEvent.place,
            attended.label("attendees"),
        )
        .where(_events_in_range(scope))
        .order_by(MeetingEvent.event_date, MeetingEvent.id)
    )


def event_attendees(scope: Scope):
    """Distinct job seekers who attended an event in the range; got work from any of them."""
    return (
        select(
            Participant.id,
            Participant.first_name,
            Participant.last_name,
            func.count(EventAttendance.id).label("events"),
            func.sum(EventAttendance.meetings_held).label("meetings"),
            func.max(flag(EventAttendance.got_work)).label("got_work"),
        )
        .join(EventAttendance, EventAttendance.participant_id == Participant.id)
        .join(MeetingEvent, MeetingEvent.id == EventAttendance.event_id)
        .where(
            _events_in_range(scope),
            EventAttendance.deleted.is_(False),
            EventAttendance.attended.is_(True),
            _counted_participant(),
        )
        .group_by(Participant.id, Participant.first_name, Participant.last_name)
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    )


def vouchers(scope: Scope):
    """Voucher records of the periods that ended in the range."""
    return (
        select(
            CoachingVoucher.id,
            CoachingVoucher.status,
            CoachingVoucher.amount_cents,
            CoachingVoucher.paid_on,
            CoachingPeriod.id.label("period_id"),
            CoachingPeriod.end_date,
            Participant.id.label("participant_id"),
            Participant.first_name,
            Participant.last_name,
            Employer.name.label("employer"),
        )
        .select_from(CoachingVoucher)
        .join(CoachingPeriod, CoachingPeriod.id == CoachingVoucher.period_id)
        .join(Participant, _org_periods(scope))
        .join(Employer, Employer.id == CoachingVoucher.employer_id)
        .where(
            CoachingVoucher.deleted.is_(False),
            CoachingPeriod.end_date.between(scope.start, scope.end),
        )
        .order_by(CoachingPeriod.end_date, CoachingVoucher.id)
    )


def voucher_candidates(scope: Scope):
    """Periods ended in the range with no voucher record: eligible if they pass the rule."""
    from server.vouchers.rules import candidate_periods

    return candidate_periods(scope.org_id).where(
        CoachingPeriod.end_date.between(scope.start, scope.end)
    )


def round_ordinals(scope: Scope):
    """Each round of the organization's periods that had a round in the range, with
    its number within its period (1 = first), counting every non-deleted round of
    the period, also those outside the range."""
    in_range = select(AssessmentRound.period_id).where(
        AssessmentRound.counted(),
        AssessmentRound.held_on.between(scope.start, scope.end),
    )
    in_org = select(CoachingPeriod.id).join(Participant, _org_periods(scope))
    return (
        select(
            AssessmentRound.id.label("round_id"),
            AssessmentRound.period_id,
            AssessmentRound.held_on,
            func.row_number()
            .over(
                partition_by=AssessmentRound.period_id,
                order_by=(AssessmentRound.held_on, AssessmentRound.created_at, AssessmentRound.id),
            )
            .label("ordinal"),
        )
        .where(
            AssessmentRound.counted(),
            AssessmentRound.period_id.in_(in_range),
            AssessmentRound.period_id.in_(in_org),
        )
        .subquery()
    )


def _ratings(scope: Scope, areas: tuple[str, ...]):
    rounds = round_ordinals(scope)
    query = (
        select(Goal.area, rounds.c.ordinal, Assessment.rating)
        .select_from(Assessment)
        .join(Goal, Goal.id == Assessment.goal_id)
        .join(rounds, rounds.c.round_id == Assessment.round_id)
        .where(
            Assessment.deleted.is_(False),
            Goal.deleted.is_(False),
            Goal.area.in_(areas),
            rounds.c.held_on.between(scope.start, scope.end),
        )
    )
    return query, rounds


def ratings(scope: Scope, areas: tuple[str, ...]):
    """(area, round number, rating) of every party's rating in rounds held in the
    range: what the averages are computed from."""
    return _ratings(scope, areas)[0]


def assessments(scope: Scope, areas: tuple[str, ...]):
    """The same ratings, with who rated which goal of whom, for the record list.
    The added joins are one-to-one: they add columns, never drop or repeat rows."""
    query, rounds = _ratings(scope, areas)
    return (
        query.join(CoachingPeriod, CoachingPeriod.id == rounds.c.period_id)
        .join(Participant, Participant.id == CoachingPeriod.participant_id)
        .add_columns(
            Assessment.id,
            rounds.c.held_on,
            Assessment.rater,
            Goal.title,
            Participant.id.label("participant_id"),
            Participant.first_name,
            Participant.last_name,
            CoachingPeriod.id.label("period_id"),
        )
        .order_by(Goal.area, rounds.c.ordinal, rounds.c.held_on, Assessment.id)
    )


def first_contacts(scope: Scope):
    """Periods at an employer started in the range, and the first contact with that
    employer on or after the start (NULL when none yet)."""
    first = (
        select(func.min(EmployerContact.contact_date))
        .where(
            EmployerContact.employer_id == CoachingPeriod.employer_id,
            EmployerContact.deleted.is_(False),
            EmployerContact.contact_date >= CoachingPeriod.start_date,
        )
        .correlate(CoachingPeriod)
        .scalar_subquery()
    )
    return (
        select(
            CoachingPeriod.id,
            Participant.id.label("participant_id"),
            Participant.first_name,
            Participant.last_name,
            Employer.name.label("employer"),
            CoachingPeriod.start_date,
            first.label("first_contact"),
        )
        .select_from(CoachingPeriod)
        .join(Participant, _org_periods(scope))
        .join(Employer, Employer.id == CoachingPeriod.employer_id)
        .where(CoachingPeriod.start_date.between(scope.start, scope.end))
        .order_by(CoachingPeriod.start_date, CoachingPeriod.id)
    )
