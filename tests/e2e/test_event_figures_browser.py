"""The desk's event figures in Chromium: each figure's one-line definition is
on the page, a share's link opens its numerator's records (who got work, and
where), the event page names a non-client only with consent; axe-core finds
nothing serious on any of them."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import violations
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


@pytest.fixture
def desk(factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    supervisor = factory.user("supervisor", org, name="Anu Korhonen")
    employer = factory.employer(org, name="Konepaja Oy")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    event = factory.event(org, date.today(), title="Työkohtaamo: kone-ala")
    factory.event_employer(event, employer, meetings_held=4)
    factory.attendance(event, aino, meetings_held=2)
    factory.guest(
        event, name="Maija Vieras", name_consent=True, got_work=True, employer_id=employer.id
    )
    factory.guest(event, name="Salainen Nimi", name_consent=False, meetings_held=1)
    return supervisor


def test_event_figures_open_their_numerators_records(page: Page, live_server, desk):
    page.goto(live_server.url + "/login")
    page.get_by_label("Sähköposti").fill(desk.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("heading", name="Tiimin tilanne")).to_be_visible()

    page.goto(live_server.url + "/outcomes/")
    employed = page.locator("#figure-employed_from_events")
    expect(employed).to_contain_text("Per työnhakija")
    expect(page.locator("#figure-attendees")).to_contain_text("joista muita kuin asiakkaita 2")
    expect(page.locator("#figure-meetings dd").first).to_have_text("4")
    assert violations(page) == []

    employed.get_by_role("link", name="33,3 %").click()
    expect(page.get_by_role("rowheader", name="Maija Vieras")).to_be_visible()
    expect(page.get_by_role("cell", name="Konepaja Oy")).to_be_visible()
    expect(page.get_by_text("Aino Lehtonen")).to_have_count(0)
    assert violations(page) == []

    page.get_by_role("link", name="Maija Vieras").click()
    expect(page.get_by_role("table", name="Muut työnhakijat (eivät asiakkaita)")).to_be_visible()
    expect(page.get_by_text("Salainen Nimi")).to_have_count(0)
    expect(page.get_by_role("rowheader", name="Muu työnhakija (ei nimeä)")).to_be_visible()
    assert violations(page) == []
