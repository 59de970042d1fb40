"""Scenario 4 of issue 4: axe-core (vendored for the tests) finds no serious or
critical violations on the app's main pages; the pages fit a 360 px phone
without sideways scrolling; Swedish and English are complete and switchable."""

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
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    employer = factory.employer(organization=coach.organization, name="Pohjolan Puutarha Oy")
    period = factory.period(participant, employer)
    goals = [factory.goal(period, area) for area in ("competence", "wellbeing")]
    factory.assessment(goals[0], rater="employer", rating=4)
    return {"coach": coach, "participant": participant, "period": period, "employer": employer}


def test_main_pages_have_no_serious_accessibility_violations(browser, pwa_server, caseload):
    url = pwa_server.url
    ids = {k: v.id for k, v in caseload.items()}
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    open_app(page, url, caseload["coach"].email)
    page.goto(f"{url}/app/participants/{ids['participant']}/demonstrations/new")
    page.get_by_label("Työnäytön nimi").fill("Kassatyöt")
    page.get_by_label("Työnantaja").select_option(label="Pohjolan Puutarha Oy")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Kassatyöt")).to_be_visible()
    demo_url = page.url

    pages = [
        f"{url}/app/",
        f"{url}/app/participants/{ids['participant']}",
        f"{url}/app/periods/{ids['period']}",
        f"{url}/app/periods/{ids['period']}/rounds/new",
        f"{url}/app/periods/{ids['period']}/goals/new?area=competence",
        demo_url,
        f"{url}/app/employers",
        f"{url}/app/employers/{ids['employer']}",
        f"{url}/app/employers/new",
        f"{url}/app/events",
        f"{url}/app/sync",
        f"{url}/app/conflicts",
    ]
    problems = {}
    for address in pages:
        page.goto(address)
        expect(page.locator("h1")).to_be_visible()
        if found := violations(page):
            problems[address] = found
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{address} is {width} px wide on a 360 px phone"
    assert not problems, problems
    context.close()


def test_language_switch_swedish_and_english(browser, pwa_server, caseload):
    context = browser.new_context()
    page = context.new_page()
    open_app(page, pwa_server.url, caseload["coach"].email)
    page.get_by_role("button", name="På svenska").click()
    expect(page.get_by_role("heading", name="Mina klienter")).to_be_visible()
    expect(page.get_by_text("Allt synkroniserat")).to_be_visible()
    page.goto(f"{pwa_server.url}/app/periods/{caseload['period'].id}")
    expect(page.get_by_role("heading", name="Kompetens", exact=True)).to_be_visible()
    page.get_by_role("button", name="In English").click()
    expect(page.get_by_role("heading", name="Competence", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Suomeksi").click()
    expect(page.get_by_role("heading", name="Osaaminen", exact=True)).to_be_visible()
    context.close()
