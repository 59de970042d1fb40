"""`flask records check` reports stored records that break a record rule
(issue 14: rows written before the rules held) and changes none of them."""

from datetime import date

from server.extensions import db
from server.models import CoachingPeriod, Workplace


def _check(app, *args):
    return app.test_cli_runner().invoke(args=["records", "check", "--today", "2026-12-03", *args])


def test_a_consistent_database_passes(app, factory):
    coach = factory.user("coach")
    employer = factory.employer(coach.organization)
    factory.period(factory.participant(coach, birth_year=1990), employer, phase="active")
    result = _check(app)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 record rules broken"


def test_each_broken_rule_is_listed_and_nothing_changes(app, factory):
    coach = factory.user("coach")
    org = coach.organization
    employer, other = factory.employer(org), factory.employer(org)
    workplace = Workplace(employer_id=other.id, name="Muu halli")
    db.session.add(workplace)
    db.session.commit()
    young = factory.participant(coach, birth_year=2013)
    period = factory.period(
        young,
        employer,
        workplace_id=workplace.id,
        start_date=date(2026, 9, 1),
        planned_end_date=date(2026, 8, 1),
        end_date=date(2026, 8, 15),
        phase="active",
    )
    contact = factory.contact(
        employer, coach, date(2026, 10, 1), adopted_alternative_recruitment=True
    )
    attendance = factory.attendance(
        factory.event(org, date(2026, 10, 2)), young, attended=False, got_work=True
    )
    # A tombstone is left out, as the figures leave it out.
    factory.period(factory.participant(coach), end_date=date(2020, 1, 1), deleted=True)

    result = _check(app)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "7 record rules broken"
    found = {tuple(line.split(": ")[:3]) for line in lines[:-1]}
    assert found == {
        (f"participant {young.id} (organization {org.id})", "birth_year", "birth_year_age"),
        (
            f"employer_contact {contact.id}",
            "informed_of_alternative_recruitment",
            "adopted_needs_informed",
        ),
        (f"coaching_period {period.id}", "end_date", "end_not_before_start"),
        (f"coaching_period {period.id}", "planned_end_date", "planned_end_not_before_start"),
        (f"coaching_period {period.id}", "phase", "ended_period_phase"),
        (f"coaching_period {period.id}", "workplace_id", "workplace_of_employer"),
        (f"event_attendance {attendance.id}", "attended", "got_work_needs_attended"),
    }
    db.session.expire_all()
    stored = db.session.get(CoachingPeriod, period.id)
    assert (stored.phase, stored.end_date, stored.version) == ("active", date(2026, 8, 15), 1)


def test_the_demo_data_keeps_every_rule(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data", "--if-empty"]).exit_code == 0
    result = runner.invoke(args=["records", "check"])
    assert result.exit_code == 0, result.output
