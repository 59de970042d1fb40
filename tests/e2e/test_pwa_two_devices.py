"""Scenario 2 of issue 4: two devices of one coach edit the same goal while
offline: both change its title, each changes another field too. Both sync;
both show the merged fields and the title conflict with every competing value;
resolving it on one device clears it on the other."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Conflict, Goal
from tests.support.browser import open_app, set_offline, sync_now

pytestmark = pytest.mark.e2e

TITLE_A = "Asiakaspalvelu kassalla"
TITLE_B = "Asiakaspalvelu puhelimessa"
MERGED = "Asiakaspalvelu kassalla ja puhelimessa"


@pytest.fixture
def db_backend():
    return "sqlite"


def edit_goal(page: Page, url: str, goal_id: str, **fields) -> None:
    page.goto(f"{url}/app/goals/{goal_id}/edit")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Osapuolet ja tiedot")).to_be_visible()


def expect_merged(page: Page, url: str, period_id: str, title: str) -> None:
    page.goto(f"{url}/app/periods/{period_id}")
    goal = page.locator("li.goal")
    expect(goal.get_by_role("heading")).to_contain_text(title)
    expect(goal.get_by_text("Kassan avaus ja sulkeminen")).to_be_visible()
    expect(goal.get_by_text("Vastaa puheluihin itse")).to_be_visible()


def test_concurrent_edits_merge_and_the_conflict_resolves_everywhere(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(participant)
    goal = factory.goal(period, title="Asiakaspalvelu")
    url, goal_id, period_id, email = pwa_server.url, goal.id, period.id, coach.email

    phone = browser.new_context(viewport={"width": 360, "height": 640})
    tablet = browser.new_context()
    a, b = phone.new_page(), tablet.new_page()
    open_app(a, url, email)
    open_app(b, url, email)

    pwa_server.network.offline = True
    phone.set_offline(True)
    tablet.set_offline(True)
    edit_goal(a, url, goal_id, Tavoite=TITLE_A, Kuvaus="Kassan avaus ja sulkeminen")
    edit_goal(
        b, url, goal_id, Tavoite=TITLE_B, **{"Onnistumisen mittari": "Vastaa puheluihin itse"}
    )

    set_offline(phone, pwa_server, False)
    sync_now(a, url)
    tablet.set_offline(False)
    sync_now(b, url)  # B's title meets A's: a conflict, both values kept
    sync_now(a, url)  # A pulls the conflict

    for page in (a, b):
        expect_merged(page, url, period_id, TITLE_B)  # the later write wins the field
        expect(page.get_by_text("Ristiriita", exact=True)).to_be_visible()
        page.goto(f"{url}/app/conflicts")
        conflict = page.locator("li.conflict")
        expect(conflict).to_have_count(1)
        expect(conflict.get_by_role("group")).to_contain_text("Otsikko")
        expect(conflict.get_by_role("radio", name=TITLE_A)).to_be_visible()
        expect(conflict.get_by_role("radio", name=TITLE_B)).to_be_visible()
        expect(conflict).to_contain_text("sinä, tämä laite")
        expect(conflict).to_contain_text("sinä, toinen laite")

    a.get_by_label("Oma yhdistetty arvo").first.check()
    a.locator("li.conflict textarea").fill(MERGED)
    a.get_by_role("button", name="Ratkaise").click()
    expect(a.get_by_text("Ratkaisu odottaa synkronointia")).to_be_visible()
    sync_now(a, url)
    sync_now(b, url)

    for page in (a, b):
        page.goto(f"{url}/app/conflicts")
        expect(page.get_by_text("Ei avoimia ristiriitoja.")).to_be_visible()
        expect_merged(page, url, period_id, MERGED)
    phone.close()
    tablet.close()

    db.session.remove()
    stored = db.session.get(Goal, goal_id)
    assert stored.title == MERGED
    assert stored.description == "Kassan avaus ja sulkeminen"
    assert stored.success_criteria == "Vastaa puheluihin itse"
    conflicts = db.session.scalars(select(Conflict).where(Conflict.record_id == goal_id)).all()
    assert [(c.field, c.status) for c in conflicts] == [("title", "resolved")]
