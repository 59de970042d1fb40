"""The supervisor's desk in Chromium: htmx swaps under the strict CSP, no full reloads."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


@pytest.fixture
def desk(factory):
    org = factory.organization()
    coach = factory.user("coach", org, name="Sanna Virtanen")
    supervisor = factory.user("supervisor", org, name="Anu Korhonen")
    employer = factory.employer(org, name="Pohjolan Puutarha Oy")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    jussi = factory.participant(coach, first_name="Jussi", last_name="Niskanen")
    factory.period(aino, employer, phase="active")
    ended = factory.period(jussi, employer, phase="ended", end_date=date(2026, 3, 31))
    goal = factory.goal(ended, title="Kassatyö")
    factory.conflict(
        "goal",
        goal,
        "title",
        ["Kassatyö", "Kassatyö ja tilitys"],
        organization_id=org.id,
        participant_id=jussi.id,
        user_id=coach.id,
    )
    factory.voucher(ended, "requested")
    return supervisor


def test_supervisor_filters_resolves_and_approves_without_reloads(page: Page, live_server, desk):
    # Script errors and CSP violations; a 4xx answer is logged too, and is expected here.
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(live_server.url + "/login")
    page.get_by_label("Sähköposti").fill(desk.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("heading", name="Tiimin tilanne")).to_be_visible()

    page.get_by_role("link", name="Valmennusjaksot").first.click()
    expect(page.get_by_role("link", name="Aino Lehtonen")).to_be_visible()
    # Mark the document: a full reload would lose the mark, an htmx swap keeps it.
    page.evaluate("document.body.dataset.mark = 'kept'")
    page.get_by_label("Vaihe").select_option("ended")
    expect(page.get_by_role("link", name="Aino Lehtonen")).to_have_count(0)
    expect(page.get_by_role("link", name="Jussi Niskanen")).to_be_visible()
    assert "phase=ended" in page.url
    assert page.evaluate("document.body.dataset.mark") == "kept"

    page.get_by_role("link", name="Ristiriidat").first.click()
    page.evaluate("document.body.dataset.mark = 'kept'")
    page.get_by_label("Kassatyö ja tilitys").check()
    page.get_by_role("button", name="Ratkaise").click()
    expect(page.get_by_text("Ristiriita ratkaistu.")).to_be_visible()
    assert page.evaluate("document.body.dataset.mark") == "kept"

    page.get_by_role("link", name="Valmennussetelit").first.click()
    page.evaluate("document.body.dataset.mark = 'kept'")
    page.get_by_label("Summa (€)").first.fill("1500,00")
    page.get_by_role("button", name="Hyväksy").click()
    expect(page.locator(".badge.voucher-approved")).to_be_visible()
    expect(page.get_by_text("1 500,00 €")).to_be_visible()
    # A refusal is swapped in too, with its message.
    page.get_by_label("Maksettu").fill("2099-01-01")
    page.get_by_role("button", name="Kirjaa maksetuksi").click()
    expect(page.get_by_role("alert")).to_contain_text("paid_on")
    assert page.evaluate("document.body.dataset.mark") == "kept"
    assert problems == []
