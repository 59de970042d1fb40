"""The hand-over summary in the browser: the representative opens the
employer's version from the portal, and it has no wellbeing goal; on paper
(print media) only the summary is left; it prints to PDF; the coach's
version for the new employee holds the wellbeing goal; axe-core finds nothing."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import open_app, set_offline, violations
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e

WELLBEING = "Jaksaa koko työpäivän"


@pytest.fixture
def db_backend():
    return "sqlite"


def desk_login(page: Page, url: str, email: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_load_state()


def test_employer_summary_from_the_portal_prints_without_wellbeing(browser, live_server, factory):
    org = factory.organization()
    coach = factory.user("coach", org, name="Sanna Virtanen")
    employer = factory.employer(org, name="Pohjolan Puutarha Oy")
    rep = factory.representative(employer, name="Eero Esimies")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen", consent_given=True)
    period = factory.period(aino, employer, end_date=date(2026, 11, 30), phase="ended")
    competence = factory.goal(period, "competence", title="Kassan avaus")
    wellbeing = factory.goal(period, "wellbeing", title=WELLBEING)
    rnd = factory.assessment_round(period, date(2026, 10, 1))
    factory.assessment(competence, "employer", 4, round=rnd)
    factory.assessment(wellbeing, "participant", 2, round=rnd, comment="Väsyttää")
    url, period_id = live_server.url, period.id

    page = browser.new_context().new_page()
    desk_login(page, url, rep.email)
    page.goto(url + "/employer")
    page.get_by_role("link", name="Aino Lehtonen").click()
    expect(
        page.get_by_role("heading", name="Yhteenveto valmennuksesta: Aino Lehtonen")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Kassan avaus")).to_be_visible()
    body = page.locator("body").inner_text()
    assert WELLBEING not in body and "Väsyttää" not in body and "Hyvinvointi\n" not in body
    assert violations(page) == []

    page.emulate_media(media="print")
    expect(page.locator(".summary-tools")).to_be_hidden()
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.get_by_role("heading", name="Kassan avaus")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000

    coach_page = browser.new_context().new_page()
    desk_login(coach_page, url, coach.email)
    coach_page.goto(f"{url}/handover/periods/{period_id}?version=employee&lang=sv")
    expect(
        coach_page.get_by_role("heading", name="Sammanfattning av coachningen: Aino Lehtonen")
    ).to_be_visible()
    expect(coach_page.get_by_role("heading", name=WELLBEING)).to_be_visible()
    assert violations(coach_page) == []


def test_summary_in_the_app_offline(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    employer = factory.employer(organization=coach.organization, name="Pohjolan Puutarha Oy")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(aino, employer)
    competence = factory.goal(period, "competence", title="Kassan avaus")
    wellbeing = factory.goal(period, "wellbeing", title=WELLBEING)
    rnd = factory.assessment_round(period, date(2026, 10, 1))
    factory.assessment(competence, "employer", 4, round=rnd)
    factory.assessment(wellbeing, "participant", 2, round=rnd, comment="Väsyttää")
    url, period_id = pwa_server.url, period.id
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    open_app(page, url, coach.email)
    set_offline(context, pwa_server, True)
    page.goto(f"{url}/app/periods/{period_id}")
    page.get_by_role("link", name="Yhteenveto").click()
    expect(page.get_by_role("heading", name="Yhteenveto uudelle työntekijälle")).to_be_visible()
    expect(page.get_by_role("heading", name=WELLBEING)).to_be_visible()
    page.get_by_role("link", name="Työnantajalle").click()
    expect(page.get_by_role("heading", name="Yhteenveto työnantajalle")).to_be_visible()
    expect(page.get_by_role("heading", name="Kassan avaus")).to_be_visible()
    expect(page.get_by_text("4 – Onnistuu hyvin")).to_be_visible()
    body = page.locator("main").inner_text()
    assert WELLBEING not in body and "Väsyttää" not in body
    expect(page.get_by_role("heading", name="Hyvinvointi", exact=True)).to_have_count(0)
    assert violations(page) == []
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator(".summary-versions")).to_be_hidden()
    context.close()
