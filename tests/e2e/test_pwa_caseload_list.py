"""Issue 16: the caseload is a list, not a dump. In Chromium, with more
participants than one page: active ones by default in pages of 50, the
filters, and a search that finds an ended participant by a name typed
without its accents; axe finds nothing serious on the list."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.support.browser import open_app, violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"


@pytest.fixture
def caseload(factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    for n in range(52):
        person = factory.participant(coach, first_name="Testi", last_name=f"Asiakas {n:02d}")
        factory.period(person)
    ended = factory.participant(coach, first_name="Eino", last_name="Äijälä")
    factory.period(ended, phase="ended", end_date=date(2026, 10, 1))
    return coach


def test_caseload_pages_filters_and_search(browser, pwa_server, caseload):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    open_app(page, pwa_server.url, caseload.email)
    cards = page.locator("#caseload li.card")
    expect(page.locator("#caseload .count")).to_have_text("52 asiakasta")
    expect(cards).to_have_count(50)
    expect(page.get_by_text("Sivu 1/2")).to_be_visible()
    assert not violations(page)
    page.get_by_role("link", name="Seuraava sivu").click()
    expect(cards).to_have_count(2)
    expect(page.get_by_role("link", name="Testi Asiakas 51")).to_be_visible()

    page.get_by_role("link", name="Päättyneet").click()
    expect(page.locator("#caseload .count")).to_have_text("1 asiakasta")
    expect(page.get_by_role("link", name="Eino Äijälä")).to_be_visible()

    page.goto(pwa_server.url + "/app/")
    expect(page.get_by_role("link", name="Eino Äijälä")).to_have_count(0)
    page.get_by_label("Hae nimellä, kunnalla tai työnantajalla").fill("aijala")
    expect(page.locator("#caseload .count")).to_have_text("1 asiakasta")
    expect(page.get_by_role("link", name="Eino Äijälä")).to_be_visible()
    context.close()
