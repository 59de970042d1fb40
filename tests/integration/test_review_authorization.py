"""Every page and action of the supervisor's desk, vouchers, employer work,
outcome figures and the employer's own view, per role (DESIGN §4)."""

from datetime import date

import pytest

from server.extensions import db
from server.models import RecruitmentPanel
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

ROLES = ("coach", "supervisor", "employer_rep", "admin")
SUPERVISOR = {"supervisor"}

# page -> roles that may open it
PAGES = {
    "/review/": SUPERVISOR,
    "/review/periods": SUPERVISOR,
    "/review/periods.csv": SUPERVISOR,
    "/review/periods/{period}": SUPERVISOR,
    "/review/conflicts": SUPERVISOR,
    "/review/returns": {"supervisor", "coach"},
    "/vouchers/": {"supervisor", "coach"},
    "/employers/": SUPERVISOR,
    "/employers/{employer}": SUPERVISOR,
    "/events/": SUPERVISOR,
    "/events/{event}": SUPERVISOR,
    "/panels/": SUPERVISOR,
    "/panels/new": SUPERVISOR,
    "/panels/{panel}": SUPERVISOR,
    "/outcomes/": SUPERVISOR,
    "/outcomes/figures.csv": SUPERVISOR,
    "/outcomes/records/served": SUPERVISOR,
    "/outcomes/records/ratings.csv": SUPERVISOR,
    "/employer": {"employer_rep"},
    "/employer/demonstrations/{demonstration}": {"employer_rep"},
}

# action -> roles that may post it (the others get 403 before anything is read)
ACTIONS = {
    "/review/conflicts/{conflict}/resolve": SUPERVISOR,
    "/review/returns": SUPERVISOR,
    "/review/returns/{returned}/answer": {"coach"},
    "/vouchers/periods/{period}/request": {"coach"},
    "/vouchers/{voucher}/approve": SUPERVISOR,
    "/vouchers/{voucher}/reject": SUPERVISOR,
    "/vouchers/{voucher}/pay": SUPERVISOR,
    "/panels/": SUPERVISOR,
    "/panels/{panel}/assessments": SUPERVISOR,
    "/panels/{panel}/decision": SUPERVISOR,
}


@pytest.fixture
def world(factory):
    from server.models import ReviewReturn

    org = factory.organization()
    employer = factory.employer(org)
    users = {
        "coach": factory.user("coach", org),
        "supervisor": factory.user("supervisor", org),
        "admin": factory.user("admin", org),
        "employer_rep": factory.representative(employer),
    }
    participant = factory.participant(users["coach"])
    period = factory.period(participant, employer, end_date=date(2026, 3, 1), phase="ended")
    demonstration = factory.demonstration(participant, employer, period_id=period.id)
    event = factory.event(org, date(2026, 2, 2))
    panel = RecruitmentPanel(
        organization_id=org.id, position_title="Ohjaaja", held_on=date(2026, 5, 1)
    )
    db.session.add(panel)
    goal = factory.goal(period)
    conflict = factory.conflict(
        "goal", goal, "title", ["A", "B"], organization_id=org.id, participant_id=participant.id
    )
    voucher = factory.voucher(period, "requested")
    returned = ReviewReturn(
        organization_id=org.id,
        record_type="coaching_period",
        record_id=period.id,
        participant_id=participant.id,
        coach_id=users["coach"].id,
        comment="Tarkista",
        returned_by_id=users["supervisor"].id,
    )
    db.session.add(returned)
    db.session.commit()
    ids = {
        "period": period.id,
        "employer": employer.id,
        "event": event.id,
        "panel": panel.id,
        "demonstration": demonstration.id,
        "conflict": conflict.id,
        "voucher": voucher.id,
        "returned": returned.id,
    }
    return {
        "users": users,
        "ids": ids,
        "org": org,
        "employer": employer,
        "participant": participant,
        "period": period,
    }


@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(client, world, role):
    # One login per role, every page: 200 where DESIGN §4 allows, 403 elsewhere.
    login(client, world["users"][role].email, PASSWORD)
    got = {page: client.get(page.format(**world["ids"])).status_code for page in PAGES}
    expected = {page: 200 if role in roles else 403 for page, roles in PAGES.items()}
    assert got == expected


def test_anonymous_is_sent_to_login(client, world):
    for page in PAGES:
        response = client.get(page.format(**world["ids"]))
        assert response.status_code == 302, page
        assert response.headers["Location"].startswith("/login?next="), page


@pytest.mark.parametrize("role", ROLES)
def test_actions_refused_to_other_roles(client, world, role):
    # The allowed role's behaviour is tested in each area's own module.
    login(client, world["users"][role].email, PASSWORD)
    token = csrf_token(client, "/login")
    refused = [action for action, roles in ACTIONS.items() if role not in roles]
    got = {
        action: client.post(action.format(**world["ids"]), data={"csrf_token": token}).status_code
        for action in refused
    }
    assert got == dict.fromkeys(refused, 403)


def test_supervisor_landing_is_the_team_overview(client, world):
    response = login(client, world["users"]["supervisor"].email, PASSWORD)
    assert response.headers["Location"] == "/review/"


# Another organization's supervisor sees nothing of this one.

OTHER_ORG_PAGES = [
    ("/review/periods/{period}", 403),
    ("/employers/{employer}", 404),
    ("/events/{event}", 404),
    ("/panels/{panel}", 404),
]


@pytest.mark.parametrize(("url", "status"), OTHER_ORG_PAGES)
def test_other_organizations_records_are_closed(client, world, factory, url, status):
    stranger = factory.user("supervisor")
    login(client, stranger.email, PASSWORD)
    assert client.get(url.format(**world["ids"])).status_code == status


def test_other_organizations_lists_and_figures_are_empty(client, world, factory):
    stranger = factory.user("supervisor")
    login(client, stranger.email, PASSWORD)
    name = world["participant"].full_name
    for page in (
        "/review/periods",
        "/review/conflicts",
        "/review/returns",
        "/vouchers/",
        "/employers/",
        "/outcomes/records/served?from=2026-01-01&to=2026-12-31",
    ):
        html = client.get(page).get_data(as_text=True)
        assert name not in html, page
        assert world["employer"].name not in html, page


def test_other_organizations_conflict_cannot_be_resolved(client, world, factory):
    stranger = factory.user("supervisor")
    login(client, stranger.email, PASSWORD)
    token = csrf_token(client, "/review/conflicts")
    response = client.post(
        f"/review/conflicts/{world['ids']['conflict']}/resolve",
        data={"csrf_token": token, "choice": "1"},
    )
    assert response.status_code == 404


def test_coach_cannot_answer_another_coachs_return(client, world, factory):
    other = factory.user("coach", world["org"])
    login(client, other.email, PASSWORD)
    token = csrf_token(client, "/review/returns")
    response = client.post(
        f"/review/returns/{world['ids']['returned']}/answer",
        data={"csrf_token": token, "answer": "Korjattu"},
    )
    assert response.status_code == 404
    assert "Tarkista" not in client.get("/review/returns").get_data(as_text=True)


# The employer representative's own view: their demonstrations and vouchers only.


def test_employer_view_shows_only_own_demonstrations_and_no_goals(client, world, factory):
    period = world["period"]
    factory.goal(period, "wellbeing", title="Terveystieto: uniongelmat")
    factory.assessment(factory.goal(period, "competence", title="Kassatyö"), "coach", 4)
    other_employer = factory.employer(world["org"], name="Kilpailija Oy")
    theirs = factory.demonstration(world["participant"], other_employer, title="Kilpailijan näyttö")
    factory.voucher(
        factory.period(world["participant"], other_employer, phase="ended"),
        "paid",
        amount_cents=777700,
    )
    login(client, world["users"]["employer_rep"].email, PASSWORD)
    html = client.get("/employer").get_data(as_text=True)
    assert "Työnäyttö" in html and "Haettu" in html
    for secret in ("uniongelmat", "Kassatyö", "Kilpailijan näyttö", "7 777,00", "Kilpailija Oy"):
        assert secret not in html.replace("\u00a0", " "), secret
    assert client.get(f"/employer/demonstrations/{theirs.id}").status_code == 404


def test_employer_view_hides_names_without_consent(client, world, factory):
    shy = factory.participant(world["users"]["coach"], first_name="Salainen", consent_given=False)
    factory.demonstration(shy, world["employer"], title="Hyllytys")
    login(client, world["users"]["employer_rep"].email, PASSWORD)
    html = client.get("/employer").get_data(as_text=True)
    assert "Hyllytys" in html
    assert "Salainen" not in html
    assert world["participant"].full_name in html  # consented


def test_employer_demonstration_page_shows_signed_content_and_status(client, world, factory):
    from server.models import DemonstrationTask, WorkDemonstration

    demo_id = world["ids"]["demonstration"]
    db.session.add(
        DemonstrationTask(
            demonstration_id=demo_id, position=0, task="Taimien koulinta", result="met"
        )
    )
    db.session.commit()
    signoff = factory.signoff(db.session.get(WorkDemonstration, demo_id), "verified")
    login(client, world["users"]["employer_rep"].email, PASSWORD)
    html = client.get(f"/employer/demonstrations/{demo_id}").get_data(as_text=True)
    assert "Taimien koulinta" in html
    assert "Allekirjoitus vahvistettu" in html
    assert signoff.content_sha256 in html
