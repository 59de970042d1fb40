"""DESIGN §4 per role, over every page: who gets in, who gets 403, who must log in."""

import pytest

from tests.support.factories import PASSWORD
from tests.support.web import login

# page -> roles that may open it
PAGES = {
    "/coach": {"coach"},
    "/review/": {"supervisor"},
    "/employer": {"employer_rep"},
    "/admin/users": {"admin"},
    "/participants/{participant}": {"coach", "supervisor"},
}
ROLES = ("coach", "supervisor", "employer_rep", "admin")


@pytest.fixture
def world(factory):
    org = factory.organization()
    employer = factory.employer(org)
    users = {
        "coach": factory.user("coach", org),
        "supervisor": factory.user("supervisor", org),
        "admin": factory.user("admin", org),
        "employer_rep": factory.representative(employer),
    }
    participant = factory.participant(users["coach"])
    return {"users": users, "participant": participant, "org": org, "employer": employer}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(client, world, page, role):
    url = page.format(participant=world["participant"].id)
    login(client, world["users"][role].email, PASSWORD)
    status = client.get(url).status_code
    expected = 200 if role in PAGES[page] else 403
    assert status == expected


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, world, page):
    url = page.format(participant=world["participant"].id)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_coach_cannot_open_another_coachs_participant(client, world, factory):
    other = factory.user("coach", world["org"])
    theirs = factory.participant(other)
    login(client, world["users"]["coach"].email, PASSWORD)
    assert client.get(f"/participants/{theirs.id}").status_code == 403


def test_supervisor_cannot_open_another_organizations_participant(client, world, factory):
    stranger = factory.participant(factory.user("coach"))  # another organization
    login(client, world["users"]["supervisor"].email, PASSWORD)
    assert client.get(f"/participants/{stranger.id}").status_code == 403
    assert client.get(f"/participants/{world['participant'].id}").status_code == 200


def test_caseload_shows_only_own_participants(client, world, factory):
    other = factory.user("coach", world["org"])
    factory.participant(other, first_name="Vieras", last_name="Asiakas")
    login(client, world["users"]["coach"].email, PASSWORD)
    html = client.get("/coach").get_data(as_text=True)
    assert world["participant"].last_name in html
    assert "Vieras Asiakas" not in html


def test_employer_view_never_shows_wellbeing_or_other_employers(client, world, factory):
    period = factory.period(world["participant"], world["employer"])
    factory.goal(period, "wellbeing", title="Terveystieto: uniongelmat")
    other_employer = factory.employer(world["org"], name="Kilpailija Oy")
    factory.demonstration(world["participant"], other_employer, title="Kilpailijan näyttö")
    factory.demonstration(world["participant"], world["employer"], title="Oma näyttö")
    login(client, world["users"]["employer_rep"].email, PASSWORD)
    html = client.get("/employer").get_data(as_text=True)
    assert "Oma näyttö" in html
    assert "Kilpailijan näyttö" not in html
    assert "uniongelmat" not in html


def test_wellbeing_goals_visible_to_coach_on_participant_page(client, world, factory):
    period = factory.period(world["participant"], world["employer"])
    factory.goal(period, "wellbeing", title="Jaksaa kuuden tunnin päivän")
    login(client, world["users"]["coach"].email, PASSWORD)
    html = client.get(f"/participants/{world['participant'].id}").get_data(as_text=True)
    assert "Jaksaa kuuden tunnin päivän" in html


def test_admin_only_can_create_users(client, world):
    from tests.support.web import csrf_token

    login(client, world["users"]["coach"].email, PASSWORD)
    token = csrf_token(client, "/coach")
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "X",
            "email": "x@example.fi",
            "role": "admin",
            "password": "x" * 16,
        },
    )
    assert response.status_code == 403
