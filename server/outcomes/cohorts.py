"""The records behind each outcome figure, as SELECTs.

A figure is an aggregate over one of these, and its "records behind" page lists
the same SELECT, so the number and the list can never disagree. Every SELECT is
scoped to one organization and a date range [start, end] (both inclusive).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    Employer,
    EmployerContact,
    EventAttendance,
    EventGuest,
    Goal,
    MeetingEvent,
    MeetingEventEmployer,
    Participant,
    SatisfactionAnswer,
    User,
)
from server.subjects.restrictions import restricted_ids
from server.vocabulary import SATISFIED_FROM

# Outcomes that count as reaching work or studies (seed 002: "kiinni työelämään
# tai lähtenyt opintojen polulle").
WORK_OR_STUDIES = ("employed_open", "employed_subsidised", "studies")
OUTCOME_COLUMNS = {
    "outcome_end": CoachingPeriod.outcome_at_end,
    "outcome_3m": CoachingPeriod.outcome_3_months,
    "outcome_6m": CoachingPeriod.outcome_6_months,
}


# Both parties satisfied (seed 001): the moment each figure asks about.
SATISFACTION_MOMENTS = {
    "satisfied_end": "end",
    "satisfied_3m": "follow_up_3",
    "satisfied_6m": "follow_up_6",
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


def _latest_ratings(moment: str):
    """Per period, each party's latest answer at the moment (answers are
    append-only: a later one replaces an earlier one), in one pass over the
    answers: one window, then one row per period."""
    a = SatisfactionAnswer
    ranked = (
        select(
            a.period_id,
            a.party,
            a.rating,
            func.row_number()
            .over(
                partition_by=(a.period_id, a.party),
                order_by=(a.answered_on.desc(), a.created_at.desc(), a.id.desc()),
            )
            .label("n"),
        )
        .where(a.moment == moment, a.deleted.is_(False))
        .subquery()
    )

    def of(party: str):
        return func.max(case((ranked.c.party == party, ranked.c.rating)))

    return (
        select(
            ranked.c.period_id,
            of("participant").label("participant_rating"),
            of("employer").label("employer_rating"),
        )
        .where(ranked.c.n == 1)
        .group_by(ranked.c.period_id)
        .subquery("latest")
    )


def satisfied_periods(scope: Scope, key: str):
    """Periods that ended in the range, with each party's latest satisfaction at
    the figure's moment and whether both are satisfied (NULL unless both answered)."""
    latest = _latest_ratings(SATISFACTION_MOMENTS[key])
    mine, theirs = latest.c.participant_rating, latest.c.employer_rating
    reached = case(
        (or_(mine.is_(None), theirs.is_(None)), None),
        (and_(mine >= SATISFIED_FROM, theirs >= SATISFIED_FROM), 1),
        else_=0,
    ).label("reached")
    return (
        select(
            CoachingPeriod.id,
            Participant.id.label("participant_id"),
            Participant.first_name,
            Participant.last_name,
            Employer.name.label("employer"),
            CoachingPeriod.end_date,
            mine.label("participant_rating"),
            theirs.label("employer_rating"),
            reached,
        )
        .select_from(CoachingPeriod)
        .join(Participant, _org_periods(scope))
        .outerjoin(Employer, Employer.id == CoachingPeriod.employer_id)
        .outerjoin(latest, latest.c.period_id == CoachingPeriod.id)
        .where(CoachingPeriod.end_date.between(scope.start, scope.end))
        .order_by(CoachingPeriod.end_date, CoachingPeriod.id)
    )


def _employer_touches(scope: Scope):
    """One row per contact with an employer in the range and per event in the range
    an employer took part in: (employer_id, contact, event, on, informed, adopted).
    Taking part in a meeting event is alternative recruitment in action (DESIGN §2),
    so it counts as informed and adopted."""
    contacts = select(
        EmployerContact.employer_id.label("employer_id"),
        literal_column("1").label("contact"),
        literal_column("0").label("event"),
        EmployerContact.contact_date.label("touched_on"),
        flag(EmployerContact.informed_of_alternative_recruitment).label("informed"),
        flag(EmployerContact.adopted_alternative_recruitment).label("adopted"),
    ).where(
        EmployerContact.deleted.is_(False),
        EmployerContact.contact_date.between(scope.start, scope.end),
    )
    events = (
        select(
            MeetingEventEmployer.employer_id,
            literal_column("0"),
            literal_column("1"),
            MeetingEvent.event_date,
            literal_column("1"),
            literal_column("1"),
        )
        .join(MeetingEvent, MeetingEvent.id == MeetingEventEmployer.event_id)
        .where(MeetingEventEmployer.deleted.is_(False), _events_in_range(scope))
    )
    return union_all(contacts, events).subquery()


def contacted_employers(scope: Scope):
    """Employers with a contact, or an event they took part in, in the range;
    informed / adopted in any of those (taking part in an event is both)."""
    touches = _employer_touches(scope)
    return (
        select(
            Employer.id,
            Employer.name,
            Employer.business_id,
            func.sum(touches.c.contact).label("contacts"),
            func.sum(touches.c.event).label("events"),
            func.min(touches.c.touched_on).label("first_contact"),
            func.max(touches.c.informed).label("informed"),
            func.max(touches.c.adopted).label("adopted"),
        )
        .join(touches, touches.c.employer_id == Employer.id)
        .where(Employer.organization_id == scope.org_id, Employer.deleted.is_(False))
        .group_by(Employer.id, Employer.name, Employer.business_id)
        .order_by(Employer.name, Employer.id)
    )


def employers_where(scope: Scope, column: str):
    """The contacted employers for whom `column` (informed, adopted) holds: a
    share's numerator, as its own list."""
    rows = contacted_employers(scope).subquery()
    return select(rows).where(rows.c[column] == 1).order_by(rows.c.name, rows.c.id)


def _events_in_range(scope: Scope):
    return and_(
        MeetingEvent.organization_id == scope.org_id,
        MeetingEvent.deleted.is_(False),
        MeetingEvent.event_date.between(scope.start, scope.end),
    )


def _per_event(column, model, *conditions):
    return (
        select(column)
        .where(model.event_id == MeetingEvent.id, model.deleted.is_(False), *conditions)
        .correlate(MeetingEvent)
        .scalar_subquery()
    )


def events(scope: Scope):
    """Events in the range, with their client attendees, non-client attendees,
    taking-part employers and the meetings those employers held."""
    return (
        select(
            MeetingEvent.id,
            MeetingEvent.title,
            MeetingEvent.event_date,
            MeetingEvent.place,
            _per_event(
                func.count(EventAttendance.id),
                EventAttendance,
                EventAttendance.attended.is_(True),
            ).label("attendees"),
            _per_event(func.count(EventGuest.id), EventGuest).label("guests"),
            _per_event(func.count(MeetingEventEmployer.id), MeetingEventEmployer).label(
                "employers"
            ),
            _per_event(
                func.coalesce(func.sum(MeetingEventEmployer.meetings_held), 0),
                MeetingEventEmployer,
            ).label("meetings"),
        )
        .where(_events_in_range(scope))
        .order_by(MeetingEvent.event_date, MeetingEvent.id)
    )


def event_employers(scope: Scope):
    """Employers that took part in an event in the range, with how many events and
    the meetings they held there."""
    return (
        select(
            Employer.id,
            Employer.name,
            Employer.business_id,
            func.count(MeetingEventEmployer.id).label("events"),
            func.sum(MeetingEventEmployer.meetings_held).label("meetings"),
        )
        .join(MeetingEventEmployer, MeetingEventEmployer.employer_id == Employer.id)
        .join(MeetingEvent, MeetingEvent.id == MeetingEventEmployer.event_id)
        .where(
            _events_in_range(scope),
            MeetingEventEmployer.deleted.is_(False),
            Employer.deleted.is_(False),
        )
        .group_by(Employer.id, Employer.name, Employer.business_id)
        .order_by(Employer.name, Employer.id)
    )


def event_attendees(scope: Scope):
    """Job seekers who attended an event in the range: each client once (however
    many events), each non-client once per event (they have no identity across
    events); whether they got work from one, and where (an employer's name)."""
    hired = aliased(Employer)
    clients = (
        select(
            Participant.id.label("id"),
            Participant.id.label("participant_id"),
            cast(null(), String(36)).label("event_id"),
            Participant.first_name.label("first_name"),
            Participant.last_name.label("last_name"),
            cast(null(), String(200)).label("guest_name"),
            literal_column("1").label("client"),
            func.count(EventAttendance.id).label("events"),
            func.sum(EventAttendance.meetings_held).label("meetings"),
            func.max(flag(EventAttendance.got_work)).label("got_work"),
            func.max(case((EventAttendance.got_work, hired.name), else_=None)).label("employer"),
        )
        .join(EventAttendance, EventAttendance.participant_id == Participant.id)
        .join(MeetingEvent, MeetingEvent.id == EventAttendance.event_id)
        .outerjoin(hired, hired.id == EventAttendance.employer_id)
        .where(
            _events_in_range(scope),
            EventAttendance.deleted.is_(False),
            EventAttendance.attended.is_(True),
            _counted_participant(),
        )
        .group_by(Participant.id, Participant.first_name, Participant.last_name)
    )
    guests = (
        select(
            EventGuest.id,
            cast(null(), String(36)),
            EventGuest.event_id,
            cast(null(), String(100)),
            cast(null(), String(100)),
            # Named only with their consent.
            case((EventGuest.name_consent.is_(True), EventGuest.name), else_=None),
            literal_column("0"),
            literal_column("1"),
            EventGuest.meetings_held,
            flag(EventGuest.got_work),
            case((EventGuest.got_work, hired.name), else_=None),
        )
        .join(MeetingEvent, MeetingEvent.id == EventGuest.event_id)
        .outerjoin(hired, hired.id == EventGuest.employer_id)
        .where(_events_in_range(scope), EventGuest.deleted.is_(False))
    )
    rows = union_all(clients, guests).subquery()
    return select(rows).order_by(
        rows.c.client.desc(), rows.c.last_name, rows.c.first_name, rows.c.guest_name, rows.c.id
    )


def employed_from_events(scope: Scope):
    """The attendees who got work from an event in the range: the share's numerator."""
    rows = event_attendees(scope).subquery()
    return (
        select(rows)
        .where(rows.c.got_work == 1)
        .order_by(rows.c.client.desc(), rows.c.last_name, rows.c.first_name, rows.c.id)
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
        AssessmentRound.deleted.is_(False),
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
            AssessmentRound.deleted.is_(False),
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
