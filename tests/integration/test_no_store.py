"""Nothing personal stays in a browser's HTTP cache: every answer to a
logged-in browser or an authenticated device carries `Cache-Control:
no-store` (the sync API, the desk, CSV exports, the employer portal, admin),
the app's files stay cacheable, and every logout tells the browser to drop
its HTTP cache of the site (`Clear-Site-Data: "cache"`)."""

import uuid

import pytest

from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


@pytest.fixture
def world(factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    employer = factory.employer(org)
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(participant, employer)
    factory.goal(period, "wellbeing", title="Unirytmi kuntoon")
    return {
        "coach": coach,
        "supervisor": factory.user("supervisor", org),
        "admin": factory.user("admin", org),
        "rep": factory.representative(employer),
        "participant": participant,
    }


def logged_in(app, user):
    browser = app.test_client()
    assert login(browser, user.email, PASSWORD).status_code == 302
    return browser


def device(app, user) -> tuple:
    """A registered device: the browser it registered from and its token."""
    browser = logged_in(app, user)
    response = browser.post(
        "/api/sync/devices",
        json={"device_id": str(uuid.uuid4()), "label": "test"},
        headers={"X-CSRFToken": csrf_token(browser, "/login")},
    )
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"  # it carries the token
    return browser, {"Authorization": f"Bearer {response.get_json()['token']}"}


def assert_no_store(response, path):
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers.get("Cache-Control") == "no-store", path


DESK = {
    "coach": ["/coach", "/participants/{participant}"],
    "supervisor": [
        "/review/",
        "/review/periods",
        "/review/periods.csv",
        "/review/conflicts",
        "/review/returns",
        "/participants/{participant}",
        "/vouchers/",
        "/employers/",
        "/events/",
        "/panels/",
        "/outcomes/",
        "/outcomes/figures.csv",
    ],
    "rep": ["/employer", "/employer/keys"],
    "admin": ["/admin/users", "/admin/keys"],
}


@pytest.mark.parametrize("role", sorted(DESK))
def test_every_page_of_a_logged_in_user_is_no_store(app, world, role):
    browser = logged_in(app, world[role])
    for path in DESK[role]:
        path = path.format(participant=world["participant"].id)
        assert_no_store(browser.get(path), path)


def test_every_sync_answer_to_a_device_is_no_store(app, world):
    browser, auth = device(app, world["coach"])
    pull = browser.get("/api/sync/pull", headers=auth)
    assert_no_store(pull, "pull")
    assert "Unirytmi kuntoon" in pull.get_data(as_text=True)
    assert_no_store(browser.post("/api/sync/push", json={"mutations": []}, headers=auth), "push")
    assert_no_store(browser.get("/api/sync/signers", headers=auth), "signers")
    assert_no_store(browser.post("/api/sync/nonces", json={"count": 1}, headers=auth), "nonces")
    assert_no_store(browser.get("/app/session.json"), "session")
    owner = browser.post("/app/device/verify-owner", json={"password": PASSWORD}, headers=auth)
    assert owner.status_code == 204
    assert owner.headers["Cache-Control"] == "no-store"


def test_the_apps_files_stay_cacheable_for_a_logged_in_user(app, world):
    browser = logged_in(app, world["coach"])
    for path in ["/app/js/app.js", "/app/vendor/htmx-2.0.11.min.js", "/app/sw.js", "/app/"]:
        response = browser.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.headers["Cache-Control"], path
        response.close()


def test_the_browsers_logout_clears_the_sites_http_cache_not_its_storage(app, world):
    browser = logged_in(app, world["coach"])
    response = browser.post("/logout", data={"csrf_token": csrf_token(browser, "/coach")})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache"'


def test_a_devices_logout_clears_the_sites_http_cache(app, world):
    browser, auth = device(app, world["coach"])
    response = browser.post("/api/sync/logout", headers=auth)
    assert response.status_code == 200
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert response.headers["Cache-Control"] == "no-store"
