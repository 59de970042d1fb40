"""A participant with a record of every type that hangs off a participant,
and a second one beside them, for the data-subject rights tests."""

from dataclasses import dataclass
from datetime import date

import pytest

from server.extensions import db
from server.models import (
    DemonstrationTask,
    Note,
    ReviewReturn,
    SatisfactionAnswer,
    VoucherRequest,
)

NAME = ("Ilmari", "Tuulenpesä")
EMAIL = "ilmari.tuulenpesa@esimerkki.fi"
PHONE = "+358 40 765 4321"
# Free text the coach wrote, one per text field: each must be gone after erasure.
FREE_TEXT = {
    "consent_note": "Suostui puhelimessa Tuulenpesän kotona",
    "goal_description": "Selkäkipu hankaloittaa nostamista",
    "round_note": "Kierroksella sovittiin lepotauoista",
    "assessment_comment": "Jaksaa paremmin aamuisin",
    "note_body": "Ilmarin sisko soitti ja kertoi muutosta",
    "recommendation": "Suosittelemme Ilmaria varastotyöhön",
    "task_note": "Trukkikortti puuttuu vielä",
    "signed_content": '{"participant":"Ilmari Tuulenpesä","title":"Varastonäyttö"}',
    "return_comment": "Tarkista Ilmarin tavoitteen kuvaus",
    "attendance_note": "Tapasi kolme työnantajaa",
    "conflict_value": "Toinen kuvaus Ilmarin selästä",
    "satisfaction_comment": "Ilmari viihtyy varastolla",
}


@dataclass
class SubjectWorld:
    org: object
    employer: object
    coach: object
    supervisor: object
    admin: object
    representative: object
    other_supervisor: object
    other_admin: object
    participant: object
    period: object
    other: object
    other_period: object

    @property
    def personal_values(self) -> list[str]:
        return [*NAME, EMAIL, PHONE, *FREE_TEXT.values()]


@pytest.fixture
def subject_world(factory) -> SubjectWorld:
    org = factory.organization()
    employer = factory.employer(org)
    coach = factory.user("coach", org)
    supervisor = factory.user("supervisor", org)
    admin = factory.user("admin", org)
    representative = factory.representative(employer)
    elsewhere = factory.organization()
    participant = factory.participant(
        coach,
        first_name=NAME[0],
        last_name=NAME[1],
        email=EMAIL,
        phone=PHONE,
        birth_year=1990,
        municipality="Oulu",
        consent_date=date(2026, 8, 20),
        consent_note=FREE_TEXT["consent_note"],
    )
    period = factory.period(participant, employer, end_date=date(2026, 11, 30), phase="ended")
    goal = factory.goal(period, "wellbeing", description=FREE_TEXT["goal_description"])
    rnd = factory.assessment_round(period, note=FREE_TEXT["round_note"])
    factory.assessment(goal, round=rnd, comment=FREE_TEXT["assessment_comment"])
    demo = factory.demonstration(
        participant, employer, period_id=period.id, recommendation=FREE_TEXT["recommendation"]
    )
    factory.signoff(demo, signed_content=FREE_TEXT["signed_content"])
    factory.voucher(period)
    factory.attendance(
        factory.event(org, date(2026, 10, 2)), participant, note=FREE_TEXT["attendance_note"]
    )
    factory.conflict(
        "goal",
        goal,
        "description",
        [FREE_TEXT["goal_description"], FREE_TEXT["conflict_value"]],
        organization_id=org.id,
        participant_id=participant.id,
    )
    db.session.add_all(
        [
            DemonstrationTask(
                demonstration_id=demo.id, task="Lavan purku", note=FREE_TEXT["task_note"]
            ),
            Note(participant_id=participant.id, body=FREE_TEXT["note_body"]),
            SatisfactionAnswer(
                period_id=period.id,
                moment="end",
                party="participant",
                rating=5,
                answered_on=date(2026, 11, 30),
                comment=FREE_TEXT["satisfaction_comment"],
            ),
            VoucherRequest(
                period_id=period.id, decision="refused", refusal_reasons="status_eligible"
            ),
            ReviewReturn(
                organization_id=org.id,
                record_type="goal",
                record_id=goal.id,
                participant_id=participant.id,
                coach_id=coach.id,
                comment=FREE_TEXT["return_comment"],
                returned_by_id=supervisor.id,
            ),
        ]
    )
    db.session.commit()
    other = factory.participant(coach, first_name="Kerttu", last_name="Naapuri")
    other_period = factory.period(other, employer)
    factory.goal(other_period, description="Kertun oma tavoite")
    return SubjectWorld(
        org=org,
        employer=employer,
        coach=coach,
        supervisor=supervisor,
        admin=admin,
        representative=representative,
        other_supervisor=factory.user("supervisor", elsewhere),
        other_admin=factory.user("admin", elsewhere),
        participant=participant,
        period=period,
        other=other,
        other_period=other_period,
    )
