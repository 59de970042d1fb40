"""The desk shows what the coach entered: notes (with corrections, and a note
returned like any record), round notes, voided rounds marked and left out of
the charts, goal descriptions and target dates, birth year, employer address."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import DemonstrationTask, EmployerNote, Note, ReviewReturn
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


@pytest.fixture
def world(factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    employer = factory.employer(org, name="Konepaja Oy", address="Satamatie 4, Oulu")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen", birth_year=1990)
    period = factory.period(aino, employer)
    goal = factory.goal(
        period,
        title="Trukkikortti",
        description="Kortti ennen kesää",
        target_date=date(2027, 5, 31),
    )
    kept = factory.assessment_round(period, date(2026, 10, 1), note="Hyvä alku")
    voided = factory.assessment_round(period, date(2026, 10, 8), void_reason="Väärä asiakas")
    factory.assessment(goal, rating=4, round=kept)
    factory.assessment(goal, rating=1, round=voided)
    first = factory._add(
        Note(participant_id=aino.id, period_id=period.id, body="Soitto", noted_on=date(2026, 10, 2))
    )
    db.session.flush()
    factory._add(
        Note(
            participant_id=aino.id,
            period_id=period.id,
            body="Soitto ja käynti",
            noted_on=date(2026, 10, 3),
            corrects_id=first.id,
        )
    )
    factory._add(Note(participant_id=aino.id, body="Oma merkintä", noted_on=date(2026, 9, 1)))
    factory._add(
        EmployerNote(employer_id=employer.id, body="Rekrytoi keväällä", noted_on=date(2026, 9, 2))
    )
    db.session.commit()
    return {
        "supervisor": factory.user("supervisor", org),
        "period": period,
        "aino": aino,
        "employer": employer,
        "first": first,
    }


@pytest.fixture
def desk(client, world):
    login(client, world["supervisor"].email, PASSWORD)
    return client


def test_period_page_shows_notes_rounds_and_goal_details(desk, world):
    html = desk.get(f"/review/periods/{world['period'].id}").get_data(as_text=True)
    for shown in (
        "Kortti ennen kesää",
        "31.05.2027",
        "Hyvä alku",
        "Mitätöity",
        "Väärä asiakas",
        "Soitto ja käynti",
        "korjattu myöhemmin",
        "Korjaa merkinnän 02.10.2026",
        "Oma merkintä",
    ):
        assert shown in html, shown
    # The voided round's rating 1 is in no chart or table: one round counted.
    ratings = html[html.index('id="goals"') : html.index('id="rounds"')]
    assert "08.10.2026" not in ratings


def test_a_note_is_returned_to_its_coach_like_any_record(desk, world):
    note = world["first"]
    token = csrf_token(desk, "/review/returns")
    response = desk.post(
        "/review/returns",
        data={"csrf_token": token, "record": f"note:{note.id}", "comment": "Kenelle soitit?"},
    )
    assert response.status_code in (200, 302)
    returned = db.session.scalar(select(ReviewReturn))
    assert (returned.record_type, returned.record_id) == ("note", note.id)
    assert returned.participant_id == world["aino"].id


def test_participant_and_employer_pages_show_what_was_entered(desk, world):
    html = desk.get(f"/participants/{world['aino'].id}").get_data(as_text=True)
    assert "1990" in html and "Oma merkintä" in html
    assert "Arviointikierroksia: 1" in html
    html = desk.get(f"/employers/{world['employer'].id}").get_data(as_text=True)
    assert "Satamatie 4, Oulu" in html
    assert "Rekrytoi keväällä" in html and "02.09.2026" in html


def test_the_employer_sees_task_notes_in_what_they_signed(client, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    employer = factory.employer(org)
    rep = factory.representative(employer)
    demo = factory.demonstration(factory.participant(coach), employer)
    factory._add(
        DemonstrationTask(
            demonstration_id=demo.id,
            position=0,
            task="Kassatyö",
            result="met",
            note="Hyvä asiakaspalveluote",
        )
    )
    db.session.commit()
    login(client, rep.email, PASSWORD)
    html = client.get(f"/employer/demonstrations/{demo.id}").get_data(as_text=True)
    assert "Kassatyö" in html and "Hyvä asiakaspalveluote" in html
