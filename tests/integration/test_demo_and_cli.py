"""Demo data and the command line, on both databases."""

from sqlalchemy import func, select

from server.demo import DEMO_LOGINS
from server.extensions import db
from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    Employer,
    EmployerContact,
    EventAttendance,
    Goal,
    Participant,
    User,
    WorkDemonstration,
)
from server.ytunnus import is_valid_ytunnus
from tests.support.web import login


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_data_loads_a_realistic_organization(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded." in result.output
    assert "sanna.virtanen@polku.example" in result.output
    roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert roles == {"coach": 2, "supervisor": 1, "admin": 1, "employer_rep": 3}
    employers = db.session.scalars(select(Employer)).all()
    assert len(employers) == 3
    assert all(is_valid_ytunnus(e.business_id) for e in employers)
    assert count(Participant) == 8
    phases = set(db.session.scalars(select(CoachingPeriod.phase)))
    assert {"planning", "active", "follow_up", "ended"} <= phases
    areas = set(db.session.scalars(select(Goal.area)))
    assert areas == {"competence", "work_community", "working_life_skills", "wellbeing"}
    assert count(AssessmentRound) >= 8
    assert count(Assessment) > 100
    assert count(WorkDemonstration) == 1
    assert count(EmployerContact) == 3
    assert count(EventAttendance) == 4


def test_demo_data_is_not_loaded_twice(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo-data", "--if-empty"])
    second = runner.invoke(args=["demo-data", "--if-empty"])
    assert "already has data" in second.output
    assert count(Participant) == 8


def test_demo_coach_can_log_in(app, client):
    app.test_cli_runner().invoke(args=["demo-data"])
    response = login(client, DEMO_LOGINS["users"][0][1], DEMO_LOGINS["password"])
    assert response.headers["Location"] == "/app/"  # coaches land in the offline app
    html = client.get("/coach").get_data(as_text=True)
    assert "Lehtonen" in html and "Työkokeilu" in html


def test_create_user_command(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "Valmentaja@Example.fi",
            "--name",
            "Uusi Valmentaja",
            "--role",
            "coach",
            "--organization",
            "Testi",
            "--password",
            "pitkä salasana 1",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "valmentaja@example.fi"))
    assert user.role == "coach"
    assert user.password_hash.startswith("scrypt:")


def test_create_user_command_names_the_bad_field(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "x@example.fi",
            "--name",
            "X",
            "--role",
            "boss",
            "--organization",
            "Testi",
            "--password",
            "pitkä salasana 1",
        ]
    )
    assert result.exit_code == 2
    assert "role: must be one of" in result.output
    assert count(User) == 0


def test_employer_rep_needs_an_employer(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "x@example.fi",
            "--name",
            "X",
            "--role",
            "employer_rep",
            "--organization",
            "Testi",
            "--password",
            "pitkä salasana 1",
        ]
    )
    assert result.exit_code == 2
    assert "employer_id" in result.output
