"""The retention rule applies exactly: boundary dates, ongoing periods, audit
entries by age; `apply` is idempotent and recorded; `report` changes nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, Erasure, Participant, RetentionRun
from server.subjects import retention
from tests.support.factories import PASSWORD
from tests.support.web import login

TODAY = date(2031, 12, 1)
RULE = retention.Rule(years=5, audit_years=10)
CUTOFF = date(2026, 12, 1)  # five years before TODAY


@pytest.fixture
def ended(factory):
    """Participants whose last period ended around the cutoff, by name."""
    org = factory.organization()
    coach = factory.user("coach", org)
    made = {}
    for name, end in {
        "exactly": CUTOFF,
        "day_less": CUTOFF + timedelta(days=1),
        "day_more": CUTOFF - timedelta(days=1),
        "long_ago": date(2020, 5, 5),
    }.items():
        participant = factory.participant(coach, last_name=name)
        factory.period(participant, start_date=date(2019, 1, 1), end_date=end, phase="ended")
        made[name] = participant
    # Long ago, but a later period is still going on.
    ongoing = factory.participant(coach, last_name="ongoing")
    factory.period(ongoing, start_date=date(2019, 1, 1), end_date=date(2020, 1, 1))
    factory.period(ongoing, start_date=date(2021, 1, 1))
    made["ongoing"] = ongoing
    # A period ended long ago, another one exactly at the cutoff: the last one counts.
    two = factory.participant(coach, last_name="two_periods")
    factory.period(two, start_date=date(2019, 1, 1), end_date=date(2020, 1, 1))
    factory.period(two, start_date=date(2021, 1, 1), end_date=CUTOFF)
    made["two_periods"] = two
    return made


def _due_names(ended) -> set[str]:
    ids = {d.participant_id for d in retention.report(db.session, TODAY, RULE).participants}
    return {name for name, p in ended.items() if p.id in ids}


def test_years_before_keeps_the_calendar_day():
    assert retention.years_before(date(2031, 12, 1), 5) == date(2026, 12, 1)
    assert retention.years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)


def test_the_rule_takes_more_than_n_years_to_the_day(ended):
    assert _due_names(ended) == {"day_more", "long_ago"}


def test_apply_erases_the_due_and_is_idempotent(app, ended):
    first = retention.apply(db.session, TODAY, RULE)
    assert first.participants_erased == 2
    db.session.expire_all()
    gone = {n for n, p in ended.items() if db.session.get(Participant, p.id).deleted}
    assert gone == {"day_more", "long_ago"}
    assert db.session.get(Participant, ended["long_ago"].id).last_name == ""
    assert db.session.get(Participant, ended["exactly"].id).last_name == "exactly"
    erasures = db.session.scalars(select(Erasure)).all()
    assert {e.source for e in erasures} == {"retention"}
    second = retention.apply(db.session, TODAY, RULE)
    assert second.participants_erased == 0
    assert db.session.scalar(select(func.count(Erasure.id))) == 2
    assert db.session.scalar(select(func.count(RetentionRun.id))) == 2
    # A day later, the one that ended exactly N years ago is due.
    third = retention.apply(db.session, TODAY + timedelta(days=1), RULE)
    assert third.participants_erased == 2  # "exactly" and "two_periods"


def test_audit_entries_go_after_m_years_to_the_second(app, ended):
    boundary = datetime(2021, 12, 1, tzinfo=UTC)
    for at, action in (
        (boundary - timedelta(seconds=1), "old"),
        (boundary, "boundary"),
        (boundary + timedelta(days=1), "young"),
    ):
        db.session.add(AuditEvent(at=at, action=action))
    db.session.commit()
    assert retention.report(db.session, TODAY, RULE).audit_entries == 1
    run = retention.apply(db.session, TODAY, RULE)
    assert run.audit_entries_removed == 1
    left = set(db.session.scalars(select(AuditEvent.action)))
    assert "old" not in left and {"boundary", "young"} <= left


def test_report_is_a_dry_run_and_apply_is_a_command(app, ended):
    db.session.add(AuditEvent(at=datetime(2001, 1, 1, tzinfo=UTC), action="ancient"))
    db.session.commit()
    runner = app.test_cli_runner()
    out = runner.invoke(args=["retention", "report"]).output
    # Run today (not TODAY): only the period that ended in 2020 is over five years old.
    assert "Participants to erase: 1" in out and ended["long_ago"].id in out
    assert "Audit entries to remove: 1" in out
    assert db.session.scalar(select(func.count(Erasure.id))) == 0
    assert db.session.scalar(select(func.count(RetentionRun.id))) == 0
    out = runner.invoke(args=["retention", "apply"]).output
    assert "Erased 1 participants; removed 1 audit entries." in out
    assert runner.invoke(args=["retention", "apply"]).output.startswith("Erased 0 participants")


def test_the_admin_page_shows_the_rule_and_the_last_run(app, client, factory, ended):
    admin = factory.user("admin")
    login(client, admin.email, PASSWORD)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "yli 5 vuotta" in html and "10 vuoden" in html and "ei ole vielä ajettu" in html
    retention.apply(db.session, TODAY, RULE)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "2 asiakasta poistettu" in html
