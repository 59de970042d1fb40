"""A person logs in with a real browser (Debian's Chromium)."""

import pytest
from playwright.sync_api import Page, expect

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


def test_coach_logs_in_sees_caseload_and_logs_out(page: Page, live_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Kirjaudu sisään")).to_be_visible()
    page.get_by_label("Sähköposti").fill(coach.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible()
    expect(page.get_by_role("link", name="Aino Lehtonen")).to_be_visible()
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_text("Olet kirjautunut ulos.")).to_be_visible()
    page.goto(live_server.url + "/coach")
    expect(page.get_by_role("heading", name="Kirjaudu sisään")).to_be_visible()


def test_language_switch_in_browser(page: Page, live_server):
    page.goto(live_server.url + "/login")
    page.get_by_role("button", name="På svenska").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_role("button", name="In English").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_login_page_fits_a_small_phone(page: Page, live_server):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(live_server.url + "/login")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
