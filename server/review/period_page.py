"""Everything the coaching-period page shows, gathered in a handful of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.due import FOLLOW_UP_MONTHS, follow_up_due, round_due
from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    Conflict,
    DemonstrationTask,
    EmployerContactPerson,
    Goal,
    ReviewReturn,
    SatisfactionAnswer,
    WorkDemonstration,
)
from server.review.charts import Chart, progress_chart
from server.signoff.status import signed_views, signoff_status, signoffs_by_demonstration
from server.vocabulary import (
    GOAL_AREAS,
    PERIOD_PHASES,
    RATERS,
    SATISFACTION_MOMENTS,
    SATISFACTION_PARTIES,
)


@dataclass
class GoalView:
    goal: Goal
    # ratings[round index][rater] -> Assessment (the latest if a party rated twice)
    ratings: list[dict[str, Assessment]]


@dataclass
class AreaView:
    area: str
    goals: list[GoalView]
    chart: Chart
    averages: dict[str, list[float | None]]


@dataclass
class DemonstrationView:
    demonstration: WorkDemonstration
    tasks: list[DemonstrationTask]
    signoffs: list  # SignedView, oldest first
    status: str


@dataclass
class TimelineEntry:
    day: date | None
    key: str
    values: dict = field(default_factory=dict)
    state: str = "done"  # done | due | overdue | planned


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def goal_areas(session: Session, period: CoachingPeriod, rounds, show_wellbeing: bool):
    areas = [a for a in GOAL_AREAS if show_wellbeing or a != "wellbeing"]
    goals = session.scalars(
        select(Goal)
        .where(Goal.period_id == period.id, Goal.deleted.is_(False), Goal.area.in_(areas))
        .order_by(Goal.created_at, Goal.id)
    ).all()
    position = {r.id: i for i, r in enumerate(rounds)}
    latest: dict[tuple[str, int, str], Assessment] = {}
    if goals and rounds:
        for a in session.scalars(
            select(Assessment)
            .where(
                Assessment.goal_id.in_([g.id for g in goals]),
                Assessment.round_id.in_(list(position)),
                Assessment.deleted.is_(False),
            )
            .order_by(Assessment.created_at, Assessment.id)
        ):
            latest[(a.goal_id, position[a.round_id], a.rater)] = a
    labels = [str(i + 1) for i in range(len(rounds))]
    views = []
    for area in areas:
        area_goals = [g for g in goals if g.area == area]
        if not area_goals:
            continue
        goal_views = [
            GoalView(
                g,
                [
                    {r: latest[(g.id, i, r)] for r in RATERS if (g.id, i, r) in latest}
                    for i in range(len(rounds))
                ],
            )
            for g in area_goals
        ]
        averages = {
            rater: [
                _mean([gv.ratings[i][rater].rating for gv in goal_views if rater in gv.ratings[i]])
                for i in range(len(rounds))
            ]
            for rater in RATERS
        }
        averages = {r: v for r, v in averages.items() if any(x is not None for x in v)}
        views.append(AreaView(area, goal_views, progress_chart(labels, averages), averages))
    return views


def demonstrations(session: Session, period: CoachingPeriod) -> list[DemonstrationView]:
    found = session.scalars(
        select(WorkDemonstration)
        .where(
            WorkDemonstration.deleted.is_(False),
            or_(
                WorkDemonstration.period_id == period.id,
                (WorkDemonstration.period_id.is_(None))
                & (WorkDemonstration.participant_id == period.participant_id)
                & (WorkDemonstration.employer_id == period.employer_id),
            ),
        )
        .order_by(WorkDemonstration.demonstration_date)
    ).all()
    signoffs = signoffs_by_demonstration(session, [d.id for d in found])
    tasks: dict[str, list] = defaultdict(list)
    if found:
        for task in session.scalars(
            select(DemonstrationTask)
            .where(
                DemonstrationTask.demonstration_id.in_([d.id for d in found]),
                DemonstrationTask.deleted.is_(False),
            )
            .order_by(DemonstrationTask.position, DemonstrationTask.id)
        ):
            tasks[task.demonstration_id].append(task)
    return [
        DemonstrationView(
            d,
            tasks[d.id],
            signed_views(session, d.id, signoffs.get(d.id, [])),
            signoff_status(d, signoffs.get(d.id, [])),
        )
        for d in found
    ]


def timeline(period: CoachingPeriod, rounds, today: date) -> list[TimelineEntry]:
    """The period's dated steps, past and coming, in date order."""
    entries = [TimelineEntry(period.start_date, "start")]
    for i, rnd in enumerate(rounds):
        key = "final_round" if rnd.is_final else "round"
        entries.append(TimelineEntry(rnd.held_on, key, {"n": i + 1}))
    if period.phase == "active":
        last = rounds[-1].held_on if rounds else period.start_date
        due = round_due(last)
        entries.append(
            TimelineEntry(due, "next_round", state="overdue" if due < today else "planned")
        )
    if period.end_date is None and period.planned_end_date:
        entries.append(TimelineEntry(period.planned_end_date, "planned_end", state="planned"))
    if period.end_date:
        key = "cancelled" if period.phase == "cancelled" else "end"
        entries.append(TimelineEntry(period.end_date, key, {"outcome": period.outcome_at_end}))
        if period.phase != "cancelled":
            outcomes = {3: period.outcome_3_months, 6: period.outcome_6_months}
            for months in FOLLOW_UP_MONTHS:
                outcome = outcomes[months]
                due = follow_up_due(period.end_date, months)
                state = "done" if outcome else ("overdue" if due <= today else "planned")
                entries.append(
                    TimelineEntry(due, "follow_up", {"months": months, "outcome": outcome}, state)
                )
    return sorted(entries, key=lambda e: e.day or date.max)


def phase_steps(period: CoachingPeriod) -> list[tuple[str, str]]:
    """The phases in order with done / current / coming; cancelled replaces the rest."""
    order = [p for p in PERIOD_PHASES if p != "cancelled"]
    if period.phase == "cancelled":
        return [(p, "done") for p in order[:2]] + [("cancelled", "current")]
    current = order.index(period.phase)
    return [
        (p, "done" if i < current else "current" if i == current else "coming")
        for i, p in enumerate(order)
    ]


def representatives(session: Session, employer_id: str | None):
    if employer_id is None:
        return []
    return session.scalars(
        select(EmployerContactPerson)
        .where(
            EmployerContactPerson.employer_id == employer_id,
            EmployerContactPerson.deleted.is_(False),
        )
        .order_by(EmployerContactPerson.name)
    ).all()


def rounds_of(session: Session, period: CoachingPeriod):
    return session.scalars(
        select(AssessmentRound)
        .where(AssessmentRound.period_id == period.id, AssessmentRound.deleted.is_(False))
        .order_by(AssessmentRound.held_on, AssessmentRound.created_at, AssessmentRound.id)
    ).all()


def open_conflicts(session: Session, participant_id: str):
    return session.scalars(
        select(Conflict)
        .where(Conflict.participant_id == participant_id, Conflict.status == "open")
        .order_by(Conflict.created_at)
    ).all()


def returns_of(session: Session, participant_id: str):
    return session.scalars(
        select(ReviewReturn)
        .where(ReviewReturn.participant_id == participant_id, ReviewReturn.deleted.is_(False))
        .order_by(ReviewReturn.created_at.desc())
    ).all()


def satisfaction_of(session: Session, period: CoachingPeriod) -> list[SatisfactionAnswer]:
    """Both parties' answers, by moment and party, each moment's latest first."""
    answers = session.scalars(
        select(SatisfactionAnswer).where(
            SatisfactionAnswer.period_id == period.id, SatisfactionAnswer.deleted.is_(False)
        )
    ).all()
    moment = {m: i for i, m in enumerate(SATISFACTION_MOMENTS)}
    party = {p: i for i, p in enumerate(SATISFACTION_PARTIES)}
    return sorted(
        answers,
        key=lambda a: (
            moment[a.moment],
            party[a.party],
            -a.answered_on.toordinal(),
            -a.created_at.timestamp(),
        ),
    )


def voucher_of(session: Session, period: CoachingPeriod):
    return session.scalar(
        select(CoachingVoucher).where(
            CoachingVoucher.period_id == period.id, CoachingVoucher.deleted.is_(False)
        )
    )
