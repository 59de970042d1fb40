"""The record lists behind the figures: which SELECT, which columns, where each row links."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from server.extensions import db
from server.i18n import translate
from server.outcomes import cohorts
from server.outcomes.cohorts import Scope
from server.query_args import int_arg
from server.vocabulary import GOAL_AREAS
from server.vouchers.rules import eligible_without_voucher


def _name(row) -> str:
    return f"{row.first_name} {row.last_name}"


def _enum(prefix: str, value) -> str:
    return translate(f"{prefix}.{value}") if value else ""


def _flag(value) -> bool | None:
    return None if value is None else bool(value)


def euros(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


@dataclass(frozen=True)
class RecordList:
    title_key: str
    query: Callable  # (scope, args) -> SELECT
    columns: tuple[tuple[str, Callable], ...]  # (header key, row -> value)
    link: Callable | None = None  # row -> url

    def headers(self) -> list[str]:
        return [translate(key) for key, _ in self.columns]

    def cells(self, row) -> list:
        return [value(row) for _, value in self.columns]


def _period_link(row) -> str:
    return url_for("review.show_period", period_id=row.id)


def _reached(scope: Scope, key: str):
    """The share's numerator: ended periods whose outcome is work or studies."""
    rows = cohorts.ended_periods(scope, key).subquery()
    return select(rows).where(rows.c.reached == 1).order_by(rows.c.end_date, rows.c.id)


def _outcome_list(key: str, reached: bool = False) -> RecordList:
    return RecordList(
        f"outcomes.figure.{key}",
        (lambda scope, _args: _reached(scope, key))
        if reached
        else (lambda scope, _args: cohorts.ended_periods(scope, key)),
        (
            ("review.col.participant", _name),
            ("review.col.employer", lambda r: r.employer or ""),
            ("review.col.measure", lambda r: _enum("measure", r.measure_type)),
            ("review.col.end", lambda r: r.end_date),
            ("outcomes.col.outcome", lambda r: _enum("outcome", r.outcome)),
            ("outcomes.col.work_or_studies", lambda r: _flag(r.reached)),
        ),
        _period_link,
    )


def _both_satisfied(scope: Scope, key: str):
    """The share's numerator: ended periods where both parties are satisfied."""
    rows = cohorts.satisfied_periods(scope, key).subquery()
    return select(rows).where(rows.c.reached == 1).order_by(rows.c.end_date, rows.c.id)


def _satisfaction_list(key: str, reached: bool = False) -> RecordList:
    return RecordList(
        f"outcomes.figure.{key}",
        (lambda scope, _args: _both_satisfied(scope, key))
        if reached
        else (lambda scope, _args: cohorts.satisfied_periods(scope, key)),
        (
            ("review.col.participant", _name),
            ("review.col.employer", lambda r: r.employer or ""),
            ("review.col.end", lambda r: r.end_date),
            ("outcomes.col.participant_satisfaction", lambda r: r.participant_rating),
            ("outcomes.col.employer_satisfaction", lambda r: r.employer_rating),
            ("outcomes.col.both_satisfied", lambda r: _flag(r.reached)),
        ),
        _period_link,
    )


def _ratings_query(scope: Scope, args):
    area = args.get("area")
    query = cohorts.assessments(scope, (area,) if area in GOAL_AREAS else GOAL_AREAS)
    if (n := int_arg("round", args=args)) is not None:
        query = query.where(query.selected_columns.ordinal == n)
    return query


def _seeker(row) -> str:
    """A client's name; a non-client's only if they agreed to be named."""
    if row.client:
        return _name(row)
    return row.guest_name or translate("outcomes.unnamed_guest")


def _seeker_link(row) -> str:
    if row.client:
        return url_for("home.show_participant", participant_id=row.participant_id)
    return url_for("employer_work.show_event", event_id=row.event_id, _anchor="guests")


def _employer_list(title_key: str, query: Callable) -> RecordList:
    return RecordList(
        title_key,
        query,
        (
            ("review.col.employer", lambda r: r.name),
            ("outcomes.col.business_id", lambda r: r.business_id),
            ("outcomes.col.contacts", lambda r: int(r.contacts or 0)),
            ("outcomes.col.events", lambda r: int(r.events or 0)),
            ("outcomes.col.first_contact", lambda r: r.first_contact),
            ("outcomes.col.informed", lambda r: bool(r.informed)),
            ("outcomes.col.adopted", lambda r: bool(r.adopted)),
        ),
        lambda r: url_for("employer_work.show_employer", employer_id=r.id),
    )


_SEEKER_COLUMNS = (
    ("outcomes.col.job_seeker", _seeker),
    ("outcomes.col.client", lambda r: bool(r.client)),
    ("outcomes.col.events", lambda r: r.events),
    ("outcomes.col.meetings", lambda r: int(r.meetings or 0)),
    ("outcomes.col.got_work", lambda r: bool(r.got_work)),
    ("outcomes.col.hired_by", lambda r: r.employer or ""),
)


LISTS: dict[str, RecordList] = {
    "served": RecordList(
        "outcomes.figure.served",
        lambda scope, _args: cohorts.served(scope),
        (("review.col.participant", _name), ("review.col.coach", lambda r: r.coach)),
        lambda r: url_for("home.show_participant", participant_id=r.id),
    ),
    "outcome_end": _outcome_list("outcome_end"),
    "outcome_3m": _outcome_list("outcome_3m"),
    "outcome_6m": _outcome_list("outcome_6m"),
    "satisfied_end": _satisfaction_list("satisfied_end"),
    "satisfied_3m": _satisfaction_list("satisfied_3m"),
    "satisfied_6m": _satisfaction_list("satisfied_6m"),
    "satisfied_end_reached": _satisfaction_list("satisfied_end", reached=True),
    "satisfied_3m_reached": _satisfaction_list("satisfied_3m", reached=True),
    "satisfied_6m_reached": _satisfaction_list("satisfied_6m", reached=True),
    "outcome_end_reached": _outcome_list("outcome_end", reached=True),
    "outcome_3m_reached": _outcome_list("outcome_3m", reached=True),
    "outcome_6m_reached": _outcome_list("outcome_6m", reached=True),
    "employers": _employer_list(
        "outcomes.figure.employers_contacted",
        lambda scope, _args: cohorts.contacted_employers(scope),
    ),
    "employers_informed": _employer_list(
        "outcomes.figure.employers_informed",
        lambda scope, _args: cohorts.employers_where(scope, "informed"),
    ),
    "employers_adopted": _employer_list(
        "outcomes.figure.employers_adopted",
        lambda scope, _args: cohorts.employers_where(scope, "adopted"),
    ),
    "events": RecordList(
        "outcomes.figure.events",
        lambda scope, _args: cohorts.events(scope),
        (
            ("outcomes.col.event", lambda r: r.title),
            ("outcomes.col.date", lambda r: r.event_date),
            ("outcomes.col.place", lambda r: r.place or ""),
            ("outcomes.col.employers", lambda r: r.employers),
            ("outcomes.col.meetings", lambda r: r.meetings),
            ("outcomes.col.attendees", lambda r: r.attendees),
            ("outcomes.col.guests", lambda r: r.guests),
        ),
        lambda r: url_for("employer_work.show_event", event_id=r.id),
    ),
    "event_employers": RecordList(
        "outcomes.figure.employers_at_events",
        lambda scope, _args: cohorts.event_employers(scope),
        (
            ("review.col.employer", lambda r: r.name),
            ("outcomes.col.business_id", lambda r: r.business_id),
            ("outcomes.col.events", lambda r: r.events),
            ("outcomes.col.meetings", lambda r: int(r.meetings or 0)),
        ),
        lambda r: url_for("employer_work.show_employer", employer_id=r.id),
    ),
    "attendees": RecordList(
        "outcomes.figure.attendees",
        lambda scope, _args: cohorts.event_attendees(scope),
        _SEEKER_COLUMNS,
        _seeker_link,
    ),
    "employed_from_events": RecordList(
        "outcomes.figure.employed_from_events",
        lambda scope, _args: cohorts.employed_from_events(scope),
        _SEEKER_COLUMNS,
        _seeker_link,
    ),
    "vouchers": RecordList(
        "outcomes.figure.vouchers",
        lambda scope, _args: cohorts.vouchers(scope),
        (
            ("review.col.participant", _name),
            ("review.col.employer", lambda r: r.employer),
            ("review.col.end", lambda r: r.end_date),
            ("outcomes.col.status", lambda r: _enum("voucher_status", r.status)),
            ("outcomes.col.amount", lambda r: euros(r.amount_cents)),
            ("outcomes.col.paid_on", lambda r: r.paid_on),
        ),
        lambda r: url_for("review.show_period", period_id=r.period_id),
    ),
    "ratings": RecordList(
        "outcomes.figure.ratings",
        _ratings_query,
        (
            ("outcomes.col.area", lambda r: _enum("area", r.area)),
            ("outcomes.col.round", lambda r: r.ordinal),
            ("outcomes.col.date", lambda r: r.held_on),
            ("review.col.participant", _name),
            ("outcomes.col.goal", lambda r: r.title),
            ("outcomes.col.rater", lambda r: _enum("rater", r.rater)),
            ("outcomes.col.rating", lambda r: r.rating),
        ),
        lambda r: url_for("review.show_period", period_id=r.period_id),
    ),
    "first_contact": RecordList(
        "outcomes.figure.first_contact",
        lambda scope, _args: cohorts.first_contacts(scope),
        (
            ("review.col.participant", _name),
            ("review.col.employer", lambda r: r.employer),
            ("review.col.start", lambda r: r.start_date),
            ("outcomes.col.first_contact", lambda r: r.first_contact),
            (
                "outcomes.col.days",
                lambda r: (r.first_contact - r.start_date).days if r.first_contact else None,
            ),
        ),
        _period_link,
    ),
}


def eligible_rows(scope: Scope) -> list[list]:
    """Eligible periods with no voucher record yet, as rows of the voucher list."""
    periods = eligible_without_voucher(db.session, scope.org_id, cohorts.voucher_candidates(scope))
    return [
        (
            [
                p.participant.full_name,
                p.employer.name if p.employer else "",
                p.end_date,
                translate("voucher_status.eligible"),
                None,
                None,
            ],
            url_for("review.show_period", period_id=p.id),
            p.participant_id,
        )
        for p in periods
    ]
