"""The app on a 360 × 640 phone: the navigation is one row, so each page's own
content (its heading) starts in the top third of the screen; the rating
scale's words are at least 12 px and fit their buttons; an error summary's
message links to its field."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import open_app, violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 640}


@pytest.fixture
def db_backend():
    return "sqlite"


@pytest.fixture
def caseload(factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(participant)
    factory.goal(period, "competence", title="Kassatyöt")
    return {"coach": coach, "period": period}


@pytest.mark.parametrize("language", [None, "På svenska"])
def test_content_starts_in_the_top_third(browser, pwa_server, caseload, language):
    url, period_id = pwa_server.url, caseload["period"].id
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_app(page, url, caseload["coach"].email)
    if language:
        page.get_by_role("button", name=language).click()
    for path in ("/app/", f"/app/periods/{period_id}", "/app/employers", "/app/sync"):
        page.goto(url + path)
        top = page.locator("main h1").bounding_box()["y"]
        assert top < PHONE["height"] / 3, f"{path}: the heading starts at {top} px"
        nav = page.get_by_role("navigation").first.bounding_box()
        assert nav["height"] <= 56, f"{path}: the navigation is {nav['height']} px tall"
    context.close()


def test_rating_words_are_readable(browser, pwa_server, caseload):
    url, period_id = pwa_server.url, caseload["period"].id
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_app(page, url, caseload["coach"].email)
    page.goto(f"{url}/app/periods/{period_id}/rounds/new")
    words = page.locator(".scale .words")
    expect(words.first).to_be_visible()
    sizes = words.evaluate_all("els => els.map((e) => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes and min(sizes) >= 12, sizes
    overflowing = words.evaluate_all(
        "els => els.filter((e) => e.scrollWidth > e.parentElement.clientWidth).length"
    )
    assert overflowing == 0
    assert violations(page) == []
    context.close()


def test_error_summary_links_to_the_field(browser, pwa_server, caseload):
    url = pwa_server.url
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    open_app(page, url, caseload["coach"].email)
    page.goto(url + "/app/employers/new")
    page.get_by_label("Nimi", exact=True).fill("Testi Oy")
    page.get_by_label("Y-tunnus").fill("1234567-8")  # the check digit of 1234567 is 1
    page.get_by_role("button", name="Tallenna").click()
    link = page.locator(".error-summary a")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#f-business_id")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "f-business_id"
    assert violations(page) == []
    context.close()
