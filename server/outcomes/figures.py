"""The outcome figures (seed 002 style) computed from the records.

Definitions (all for one organization and a date range, both ends inclusive):

- served: job seekers with a coaching period overlapping the range
  (start ≤ range end and (no end date or end ≥ range start)).
- outcome_end / outcome_3m / outcome_6m: among coaching periods that ended in
  the range, those whose outcome (at the end / at 3 / at 6 months) is recorded
  are the denominator; employed (open or subsidised) or studies the numerator.
  `coverage` says how many of the ended periods had the outcome recorded.
- satisfied_end / satisfied_3m / satisfied_6m (seed 001: success means both
  are satisfied): among periods that ended in the range, those where both the
  new employee and the employer answered at that moment (each party's latest
  answer) are the denominator; both answering 4 or 5 the numerator.
  `coverage` says how many of the ended periods had both answers.
- employers_contacted: employers with a contact dated in the range or taking
  part in a meeting event dated in it; employers_informed / employers_adopted:
  of those, the ones informed of / adopting alternative recruitment in at least
  one of those contacts, or taking part in such an event (which is both).
  "Informed" is within the range, never "ever".
- events: meeting events dated in the range; employers_at_events: distinct
  employers taking part in one; meetings: the meetings those employers held
  there; attendees: job seekers who attended one, each client once, each
  non-client once per event (they have no identity across events);
  employed_from_events: attendees who got work from one (share = employed /
  attendees).
- vouchers: the vouchers of periods that ended in the range by status, with the
  sum of their amounts; an eligible period with no voucher record yet counts as
  "eligible" with no amount.
- ratings: mean rating by every party, per goal area and round number (round
  n = the period's n-th round), over rounds held in the range.
- first_contact: over periods at an employer that started in the range, the
  median of days from the start to the first contact with that employer on or
  after the start; periods with no such contact are left out (and counted).
"""

from dataclasses import dataclass, field
from statistics import median

from sqlalchemy import func, select

from server.extensions import db
from server.outcomes import cohorts
from server.outcomes.cohorts import Scope
from server.vocabulary import GOAL_AREAS, VOUCHER_STATUSES
from server.vouchers.rules import eligible_period_ids


@dataclass
class Share:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)


@dataclass
class Figures:
    scope: Scope
    served: int = 0
    outcomes: dict[str, Share] = field(default_factory=dict)
    satisfied: dict[str, Share] = field(default_factory=dict)
    coverage: dict[str, Share] = field(default_factory=dict)
    employers_contacted: int = 0
    employers_informed: Share = field(default_factory=lambda: Share(0, 0))
    employers_adopted: Share = field(default_factory=lambda: Share(0, 0))
    events: int = 0
    employers_at_events: int = 0
    meetings: int = 0
    attendees: int = 0
    # Of the attendees, those who are not clients (each counted once per event).
    non_client_attendees: int = 0
    employed_from_events: Share = field(default_factory=lambda: Share(0, 0))
    vouchers: dict[str, tuple[int, int]] = field(default_factory=dict)  # status: (count, cents)
    ratings: dict[str, dict[int, tuple[float, int]]] = field(default_factory=dict)
    first_contact_median_days: float | None = None
    first_contact: Share = field(default_factory=lambda: Share(0, 0))

    @property
    def voucher_total(self) -> tuple[int, int]:
        return (
            sum(count for count, _ in self.vouchers.values()),
            sum(cents for _, cents in self.vouchers.values()),
        )

    @property
    def rounds(self) -> list[int]:
        return sorted({n for by_round in self.ratings.values() for n in by_round})


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _reached_of_recorded(cohort) -> tuple[Share, Share]:
    """A cohort with a `reached` column (1, 0, or null while unrecorded): the
    share reached of those recorded, and the share recorded of the whole."""
    rows = cohort.order_by(None).subquery()
    whole, recorded, reached = db.session.execute(
        select(
            func.count(),
            func.count(rows.c.reached),
            func.coalesce(func.sum(rows.c.reached), 0),
        ).select_from(rows)
    ).one()
    return Share(int(reached), int(recorded)), Share(int(recorded), int(whole))


def _outcomes(figures: Figures) -> None:
    for key in cohorts.OUTCOME_COLUMNS:
        figures.outcomes[key], figures.coverage[key] = _reached_of_recorded(
            cohorts.ended_periods(figures.scope, key)
        )


def _satisfaction(figures: Figures) -> None:
    for key in cohorts.SATISFACTION_MOMENTS:
        figures.satisfied[key], figures.coverage[key] = _reached_of_recorded(
            cohorts.satisfied_periods(figures.scope, key)
        )


def _employers(figures: Figures) -> None:
    rows = cohorts.contacted_employers(figures.scope).order_by(None).subquery()
    contacted, informed, adopted = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(rows.c.informed), 0),
            func.coalesce(func.sum(rows.c.adopted), 0),
        ).select_from(rows)
    ).one()
    figures.employers_contacted = int(contacted)
    figures.employers_informed = Share(int(informed), int(contacted))
    figures.employers_adopted = Share(int(adopted), int(contacted))


def _events(figures: Figures) -> None:
    figures.events = _count(cohorts.events(figures.scope))
    employers = cohorts.event_employers(figures.scope).order_by(None).subquery()
    at_events, meetings = db.session.execute(
        select(func.count(), func.coalesce(func.sum(employers.c.meetings), 0)).select_from(
            employers
        )
    ).one()
    figures.employers_at_events, figures.meetings = int(at_events), int(meetings)
    rows = cohorts.event_attendees(figures.scope).order_by(None).subquery()
    attendees, employed, clients = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(rows.c.got_work), 0),
            func.coalesce(func.sum(rows.c.client), 0),
        ).select_from(rows)
    ).one()
    figures.attendees = int(attendees)
    figures.non_client_attendees = int(attendees) - int(clients)
    figures.employed_from_events = Share(int(employed), int(attendees))


def _vouchers(figures: Figures) -> None:
    rows = cohorts.vouchers(figures.scope).order_by(None).subquery()
    found = {
        status: (int(count), int(cents))
        for status, count, cents in db.session.execute(
            select(
                rows.c.status, func.count(), func.coalesce(func.sum(rows.c.amount_cents), 0)
            ).group_by(rows.c.status)
        )
    }
    unrecorded = len(
        eligible_period_ids(
            db.session, figures.scope.org_id, cohorts.voucher_candidates(figures.scope)
        )
    )
    count, cents = found.get("eligible", (0, 0))
    found["eligible"] = (count + unrecorded, cents)
    figures.vouchers = {s: found.get(s, (0, 0)) for s in VOUCHER_STATUSES}


def _ratings(figures: Figures, areas: tuple[str, ...]) -> None:
    rows = cohorts.ratings(figures.scope, areas).subquery()
    for area, ordinal, mean, count in db.session.execute(
        select(rows.c.area, rows.c.ordinal, func.avg(rows.c.rating), func.count()).group_by(
            rows.c.area, rows.c.ordinal
        )
    ):
        figures.ratings.setdefault(area, {})[int(ordinal)] = (round(float(mean), 2), int(count))
    figures.ratings = {a: figures.ratings[a] for a in areas if a in figures.ratings}


def _first_contact(figures: Figures) -> None:
    rows = db.session.execute(cohorts.first_contacts(figures.scope)).all()
    days = [(r.first_contact - r.start_date).days for r in rows if r.first_contact is not None]
    figures.first_contact = Share(len(days), len(rows))
    figures.first_contact_median_days = float(median(days)) if days else None


def compute(scope: Scope, areas: tuple[str, ...] = GOAL_AREAS) -> Figures:
    figures = Figures(scope)
    figures.served = _count(cohorts.served(scope))
    _outcomes(figures)
    _satisfaction(figures)
    _employers(figures)
    _events(figures)
    _vouchers(figures)
    _ratings(figures, areas)
    _first_contact(figures)
    return figures
