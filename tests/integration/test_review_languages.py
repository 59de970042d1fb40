"""Every desk page renders completely in Finnish, Swedish and English: no catalog
key shows through (dynamic keys such as 'record.' ~ type included)."""

import re
from datetime import date

import pytest

from server.extensions import db
from server.models import RecruitmentPanel, ReviewReturn
from tests.support.factories import PASSWORD
from tests.support.web import login

KEY = re.compile(
    r"\b(?:review|outcomes|vouchers|panels|work|portal|record|signoff|contact_kind|"
    r"alternative_method|panelist_kind|voucher_status|phase|measure|area|rater|outcome|"
    r"demo_result|task_result|goal_status)\.[a-z_0-9.]+"
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def world(factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    supervisor = factory.user("supervisor", org)
    employer = factory.employer(org)
    rep = factory.representative(employer)
    person = factory.participant(coach)
    period = factory.period(
        person,
        employer,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 4, 30),
        phase="follow_up",
        outcome_at_end="employed_open",
    )
    goal = factory.goal(period, "wellbeing")
    rnd = factory.assessment_round(period, date(2026, 4, 20), is_final=True)
    factory.assessment(goal, "work_community", 4, round=rnd)
    demo = factory.demonstration(
        person, employer, period_id=period.id, status="signed", overall_result="partly_passed"
    )
    factory.signoff(demo, "failed", verification_reason="content_mismatch")
    factory.conflict(
        "goal",
        goal,
        "_deleted",
        [None, {"title": "X"}],
        kind="delete",
        organization_id=org.id,
        participant_id=person.id,
    )
    factory.voucher(period, "rejected", rejection_reason="Puuttuu")
    factory.contact(
        employer,
        coach,
        date(2026, 2, 1),
        kind="phone",
        adopted_method="meeting_event",
        adopted_alternative_recruitment=True,
    )
    event = factory.event(org, date(2026, 2, 2))
    factory.attendance(event, person, got_work=True, employer_id=employer.id)
    panel = RecruitmentPanel(
        organization_id=org.id, position_title="Ohjaaja", held_on=date(2026, 5, 1)
    )
    db.session.add(panel)
    db.session.add(
        ReviewReturn(
            organization_id=org.id,
            record_type="assessment_round",
            record_id=rnd.id,
            participant_id=person.id,
            coach_id=coach.id,
            comment="?",
            returned_by_id=supervisor.id,
        )
    )
    db.session.commit()
    supervisor_pages = [
        "/review/",
        "/review/periods",
        f"/review/periods/{period.id}",
        "/review/conflicts",
        "/review/returns?status=all",
        "/vouchers/",
        "/employers/",
        f"/employers/{employer.id}",
        "/events/",
        f"/events/{event.id}",
        "/panels/",
        "/panels/new",
        f"/panels/{panel.id}",
        "/outcomes/?from=2026-01-01&to=2026-12-31",
    ] + [
        f"/outcomes/records/{k}?from=2026-01-01&to=2026-12-31"
        for k in (
            "served",
            "outcome_end",
            "employers",
            "events",
            "attendees",
            "vouchers",
            "ratings",
            "first_contact",
        )
    ]
    return {
        supervisor: supervisor_pages,
        coach: ["/review/returns", "/vouchers/"],
        rep: ["/employer", f"/employer/demonstrations/{demo.id}"],
    }


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_catalog_key_shows_through(client, world, lang):
    leaks = {}
    for user, pages in world.items():
        login(client, user.email, PASSWORD)
        with client.session_transaction() as session:
            session["lang"] = lang
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            if found := KEY.findall(visible_text(response.get_data(as_text=True))):
                leaks[url] = found
    assert leaks == {}
