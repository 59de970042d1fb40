"""A caseload moved at the desk between two phones: the supervisor gives Aino
to Ben; at its next sync Anna's phone no longer has her records, and Ben's
phone gets her whole history. The desk page itself passes axe-core."""

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import open_app, sync_now, violations
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"


def desk_login(page: Page, url: str, email: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_load_state()


def test_a_moved_participant_leaves_one_phone_and_reaches_the_other(browser, pwa_server, factory):
    org = factory.organization()
    anna = factory.user("coach", org, name="Anna Lähtevä")
    ben = factory.user("coach", org, name="Ben Jatkaja")
    supervisor = factory.user("supervisor", org, name="Sari Esihenkilö")
    aino = factory.participant(anna, first_name="Aino", last_name="Lehtonen")
    period = factory.period(aino)
    factory.goal(period, "competence", title="Kassatyöt itsenäisesti")
    factory.goal(period, "wellbeing", title="Jaksaminen työpäivän aikana")
    url, period_id = pwa_server.url, period.id

    phones = [browser.new_context(viewport={"width": 360, "height": 640}) for _ in range(2)]
    a, b = (context.new_page() for context in phones)
    open_app(a, url, anna.email)
    open_app(b, url, ben.email)
    expect(a.get_by_text("Aino Lehtonen")).to_be_visible()
    expect(b.get_by_text("Aino Lehtonen")).to_have_count(0)

    desk = browser.new_context().new_page()
    desk_login(desk, url, supervisor.email)
    desk.goto(url + "/review/caseload")
    assert violations(desk) == []
    desk.get_by_label("Asiakas", exact=True).select_option(label="Lehtonen, Aino (Anna Lähtevä)")
    desk.locator("#to_coach").select_option(label="Ben Jatkaja")
    desk.get_by_role("button", name="Siirrä asiakas").click()
    expect(desk.get_by_text("Siirretty 1 asiakasta valmentajalle Ben Jatkaja.")).to_be_visible()

    sync_now(a, url)
    a.goto(url + "/app/")
    expect(a.get_by_role("heading", name="Asiakkaani")).to_be_visible()
    expect(a.get_by_text("Aino Lehtonen")).to_have_count(0)
    a.goto(f"{url}/app/periods/{period_id}")
    expect(a.get_by_text("Kassatyöt itsenäisesti")).to_have_count(0)

    sync_now(b, url)
    b.goto(url + "/app/")
    expect(b.get_by_text("Aino Lehtonen")).to_be_visible()
    b.goto(f"{url}/app/periods/{period_id}")
    expect(b.get_by_text("Kassatyöt itsenäisesti")).to_be_visible()
    expect(b.get_by_text("Jaksaminen työpäivän aikana")).to_be_visible()
    for context in phones:
        context.close()
