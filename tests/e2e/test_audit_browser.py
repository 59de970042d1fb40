"""The audit log page in Chromium: reached from the desk, filtered by htmx under
the strict CSP, no serious accessibility findings in Finnish, Swedish and English."""

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import violations
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


@pytest.fixture
def supervisor(factory):
    org = factory.organization()
    coach = factory.user("coach", org, name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    return factory.user("supervisor", org, name="Anu Korhonen")


def test_supervisor_reads_and_filters_the_log_accessibly(page: Page, live_server, supervisor):
    # Script errors and CSP violations (the browser's own favicon request may 404).
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
    page.get_by_label("Sähköposti").fill(supervisor.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("heading", name="Tiimin tilanne")).to_be_visible()

    page.get_by_role("link", name="Lokitiedot").click()
    expect(page.get_by_role("heading", name="Lokitiedot")).to_be_visible()
    assert violations(page) == []
    # The supervisor's own login is in the log.
    rows = page.locator("#audit-results tbody tr")
    expect(rows.filter(has_text="Kirjautuminen").first).to_be_visible()

    page.get_by_label("Tapahtuma").select_option(label="Kirjautuminen")
    page.get_by_role("button", name="Näytä").click()
    expect(page).to_have_url(f"{live_server.url}/audit/?participant=&user=&action=login&from=&to=")
    expect(rows).to_have_count(1)
    assert violations(page) == []

    for button, heading in (("På svenska", "Loggdata"), ("In English", "Audit log")):
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        assert violations(page) == []
    assert problems == []
