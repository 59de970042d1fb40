"""Issue 14, conflicts a person can resolve: a conflict over a choice field
(a period's phase) shows its values by their labels in the coach's language,
offers only the values the server would accept (an ended period cannot be
"active" again: it has an end date), has no merged text, and resolves
through sync; the page passes axe-core."""

from datetime import date

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import CoachingPeriod, Conflict
from tests.support.browser import open_app, violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"


def test_a_phase_conflict_in_swedish(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(participant, phase="ended", end_date=date(2026, 12, 1))
    conflict = factory.conflict(
        "coaching_period",
        period,
        "phase",
        ["ended", "active"],
        organization_id=coach.organization_id,
        participant_id=participant.id,
        user_id=coach.id,
    )
    url, conflict_id, period_id = pwa_server.url, conflict.id, period.id
    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, coach.email)
    page.get_by_role("button", name="På svenska").click()
    page.goto(f"{url}/app/conflicts")
    card = page.locator("li.conflict")
    expect(card).to_have_count(1)
    ended = card.get_by_role("radio", name="Avslutad")
    active = card.get_by_role("radio", name="Pågår")
    expect(ended).to_be_checked()
    expect(active).to_be_disabled()
    expect(card).to_contain_text("Perioden har ett slutdatum")
    expect(card.locator("textarea")).to_have_count(0)
    assert not violations(page)

    card.get_by_role("button").click()
    page.goto(f"{url}/app/sync")
    page.get_by_role("button", name="Synkronisera nu").click()
    expect(page.get_by_text("Synkroniseringen är klar.")).to_be_visible()
    expect(page.get_by_test_id("pending-count")).to_have_text("0")
    page.goto(f"{url}/app/conflicts")
    expect(page.locator("li.conflict")).to_have_count(0)
    context.close()

    db.session.remove()
    assert db.session.get(Conflict, conflict_id).status == "resolved"
    assert db.session.get(CoachingPeriod, period_id).phase == "ended"
