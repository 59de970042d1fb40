"""The hand-over summary: the new employee's version holds every goal with each
party's ratings over the rounds, the signed demonstrations and the outcome;
the employer's never a wellbeing goal, rating or comment. Who may read which,
in which language; each read audited and never cached."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.support.factories import PASSWORD
from tests.support.web import login

WELLBEING_TITLE = "Jaksaa koko työpäivän"
WELLBEING_COMMENT = "Univaikeudet haittaavat aamuisin"


@pytest.fixture
def period_world(factory):
    org = factory.organization()
    coach = factory.user("coach", org, name="Sanna Virtanen")
    supervisor = factory.user("supervisor", org)
    employer = factory.employer(org, name="Pohjolan Puutarha Oy")
    rep = factory.representative(employer, name="Eero Esimies")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen", consent_given=True)
    period = factory.period(
        aino,
        employer,
        phase="follow_up",
        end_date=date(2026, 11, 30),
        outcome_at_end="employed_open",
        outcome_3_months="employed_open",
    )
    competence = factory.goal(
        period, "competence", title="Kassan avaus", success_criteria="Avaa kassan yksin"
    )
    wellbeing = factory.goal(period, "wellbeing", title=WELLBEING_TITLE)
    first = factory.assessment_round(period, date(2026, 10, 1))
    second = factory.assessment_round(period, date(2026, 11, 1), is_final=True)
    factory.assessment(competence, "participant", 2, round=first)
    factory.assessment(competence, "employer", 3, round=first, comment="Hyvä alku")
    factory.assessment(competence, "employer", 5, round=second)
    factory.assessment(wellbeing, "participant", 2, round=first, comment=WELLBEING_COMMENT)
    factory.assessment(wellbeing, "coach", 4, round=second)
    demo = factory.demonstration(aino, employer, title="Kassatyöt", period_id=period.id)
    content = {"title": "Kassatyöt", "tasks": [{"task": "Kassan täsmäytys", "result": "passed"}]}
    factory.signoff(demo, signed_content=json.dumps(content))
    other_employer = factory.employer(org, name="Kahvila Kanerva Ky")
    return {
        "coach": coach,
        "supervisor": supervisor,
        "rep": rep,
        "outsider_rep": factory.representative(other_employer),
        "other_coach": factory.user("coach", org),
        "participant": aino,
        "period": period,
        "period_id": period.id,
    }


def _get(client, user, path):
    login(client, user.email, PASSWORD)
    return client.get(path)


def test_employee_version_holds_goals_ratings_demonstrations_and_outcome(client, period_world):
    w = period_world
    answer = _get(client, w["coach"], f"/handover/periods/{w['period_id']}?version=employee")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    page = answer.get_data(as_text=True)
    for text in (
        "Yhteenveto valmennuksesta: Aino Lehtonen",
        "Pohjolan Puutarha Oy",
        "Kassan avaus",
        "Avaa kassan yksin",
        "2 – Onnistuu tuettuna",  # the new employee, round 1
        "3 – Onnistuu osittain",  # the employer, round 1
        "5 – Onnistuu erinomaisesti",  # the employer, round 2
        "Hyvä alku",
        WELLBEING_TITLE,  # the new employee's own version holds wellbeing
        WELLBEING_COMMENT,
        "Kassan täsmäytys",  # the signed content
        "Työllistyi avoimille työmarkkinoille",
        "Tilanne 3 kuukauden kuluttua",
    ):
        assert text in page, text


@pytest.mark.parametrize("reader", ["coach", "supervisor", "rep"])
def test_employer_version_never_holds_wellbeing(client, period_world, reader):
    w = period_world
    path = (
        f"/employer/handover/{w['period_id']}"
        if reader == "rep"
        else f"/handover/periods/{w['period_id']}?version=employer"
    )
    answer = _get(client, w[reader], path)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Kassan avaus" in page and "Kassan täsmäytys" in page
    for text in (WELLBEING_TITLE, WELLBEING_COMMENT, "Hyvinvointi</h3>"):
        assert text not in page, text
    # The coach's 4 was given to the wellbeing goal alone: only the scale's legend says 4.
    assert page.count("4 – Onnistuu hyvin") == 1
    # Nor in another language.
    page = client.get(path + ("&" if "?" in path else "?") + "lang=sv").get_data(as_text=True)
    assert "Kompetens" in page and WELLBEING_TITLE not in page and "Välbefinnande" not in page


def test_summary_in_swedish_and_english(client, period_world):
    w = period_world
    path = f"/handover/periods/{w['period_id']}?version=employee"
    login(client, w["coach"].email, PASSWORD)
    swedish = client.get(path + "&lang=sv").get_data(as_text=True)
    assert '<html lang="sv">' in swedish and "Sammanfattning av coachningen" in swedish
    english = client.get(path + "&lang=en").get_data(as_text=True)
    assert "Coaching summary" in english and "Goals and ratings" in english
    answer = client.get(path + "&lang=de")
    assert answer.status_code == 400 and "lang" in answer.get_data(as_text=True)
    assert client.get(path.replace("employee", "boss")).status_code == 400


def test_who_may_read_a_summary(client, factory, period_world):
    w = period_world
    path = f"/handover/periods/{w['period_id']}?version=employer"
    assert _get(client, w["other_coach"], path).status_code == 403
    client.post("/logout")
    outsider = factory.user("supervisor", factory.organization())
    assert _get(client, outsider, path).status_code == 403
    client.post("/logout")
    # A representative: only the portal's route, only their employer's periods.
    assert _get(client, w["rep"], path).status_code == 403
    portal = f"/employer/handover/{w['period_id']}"
    assert client.get(portal).status_code == 200
    assert "Aino Lehtonen" in client.get("/employer").get_data(as_text=True)
    client.post("/logout")
    assert _get(client, w["outsider_rep"], portal).status_code == 404
    assert _get(client, w["coach"], portal).status_code == 403


def test_no_consent_no_summary_for_the_employer_side(client, period_world):
    w = period_world
    w["participant"].consent_given = False
    db.session.commit()
    portal = f"/employer/handover/{w['period_id']}"
    assert _get(client, w["rep"], portal).status_code == 404
    assert "Aino Lehtonen" not in client.get("/employer").get_data(as_text=True)
    client.post("/logout")
    # At the desk the coach still prints it, warned not to hand it over.
    page = _get(client, w["coach"], f"/handover/periods/{w['period_id']}?version=employer")
    assert "Älä anna tätä yhteenvetoa työnantajalle." in page.get_data(as_text=True)


def test_each_summary_read_is_audited(client, period_world):
    w = period_world
    _get(client, w["supervisor"], f"/handover/periods/{w['period_id']}?version=employer&lang=en")
    client.post("/logout")
    _get(client, w["rep"], f"/employer/handover/{w['period_id']}")
    db.session.expire_all()
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "read", AuditEvent.entity_type == "participants")
        .where(AuditEvent.entity_id == w["participant"].id)
        .order_by(AuditEvent.id)
    ).all()
    summaries = [(e.user_id, e.detail["summary"], e.detail["lang"]) for e in events]
    assert summaries == [
        (w["supervisor"].id, "employer", "en"),
        (w["rep"].id, "employer", "fi"),
    ]
