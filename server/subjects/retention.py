"""The retention rule: a participant's personal data goes when their last
coaching period ended more than POLKU_RETENTION_YEARS ago, audit entries when
older than POLKU_AUDIT_RETENTION_YEARS (server/config.py has the defaults).

A participant is due when every one of their periods has ended and the
latest end lies before the cutoff (today minus N years, to the day: ended
exactly N years ago is not yet due, a day earlier is). A participant with an
ongoing period, or with no period, is never due by this rule. Erasure goes
through the same path as a data subject's request (erasure.py).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from server.models import (
    AuditEvent,
    AuditRewritePermit,
    CoachingPeriod,
    Erasure,
    Participant,
    RetentionRun,
)
from server.subjects import erasure


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Rule:
    years: int
    audit_years: int

    @classmethod
    def configured(cls) -> "Rule":
        config = current_app.config
        return cls(config["RETENTION_YEARS"], config["AUDIT_RETENTION_YEARS"])

    def cutoff(self, today: date) -> date:
        return years_before(today, self.years)

    def audit_cutoff(self, today: date) -> datetime:
        return datetime.combine(years_before(today, self.audit_years), time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Due:
    participant_id: str
    last_end: date


@dataclass(frozen=True)
class Report:
    rule: Rule
    cutoff: date
    audit_cutoff: datetime
    participants: list[Due]
    audit_entries: int


def due_participants(session: Session, cutoff: date) -> list[Due]:
    periods = CoachingPeriod.__table__.c
    last_end = func.max(periods.end_date)
    rows = session.execute(
        select(periods.participant_id, last_end)
        .where(periods.deleted.is_(False))
        .where(periods.participant_id.not_in(select(Erasure.participant_id)))
        .group_by(periods.participant_id)
        # Every period ended (COUNT of a column skips its NULLs), the last before the cutoff.
        .having(func.count(periods.id) == func.count(periods.end_date), last_end < cutoff)
        .order_by(last_end, periods.participant_id)
    ).all()
    return [Due(participant_id, end) for participant_id, end in rows]


def report(session: Session, today: date, rule: Rule | None = None) -> Report:
    rule = rule or Rule.configured()
    cutoff, audit_cutoff = rule.cutoff(today), rule.audit_cutoff(today)
    audit_entries = session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.at < audit_cutoff)
    )
    return Report(rule, cutoff, audit_cutoff, due_participants(session, cutoff), audit_entries)


def _expire_audit(session: Session, before: datetime) -> int:
    """Delete audit entries older than `before`, through the triggers' permit."""
    permits = AuditRewritePermit.__table__
    permit_id = session.execute(
        insert(permits).values(kind="expire", before=before).returning(permits.c.id)
    ).scalar_one()
    removed = session.execute(delete(AuditEvent.__table__).where(AuditEvent.at < before)).rowcount
    session.execute(delete(permits).where(permits.c.id == permit_id))
    return removed


def apply(session: Session, today: date, rule: Rule | None = None) -> RetentionRun:
    """Erase each due participant (one transaction each, so a run cut short
    is finished by the next), expire old audit entries, record the run."""
    found = report(session, today, rule)
    erased = 0
    for due in found.participants:
        participant = session.get(Participant, due.participant_id)
        reason = f"retention: last period ended {due.last_end.isoformat()}"
        erasure.erase(session, participant, reason, None, source="retention")
        session.commit()
        erased += 1
    run = RetentionRun(
        personal_data_years=found.rule.years,
        audit_years=found.rule.audit_years,
        personal_data_cutoff=found.cutoff,
        audit_cutoff=found.audit_cutoff,
        participants_erased=erased,
        audit_entries_removed=_expire_audit(session, found.audit_cutoff),
    )
    session.add(run)
    session.commit()
    return run


def last_run(session: Session) -> RetentionRun | None:
    return session.scalar(select(RetentionRun).order_by(RetentionRun.id.desc()).limit(1))
