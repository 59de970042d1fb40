"""A record a supervisor returned with a comment reaches the coach's app: the
comment shows on the record and in the caseload, and the coach's answer syncs
back (record type review_return)."""

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import ReviewReturn
from tests.support.browser import open_app, sync_now

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"


def test_returned_record_shows_its_comment_and_the_answer_syncs(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    supervisor = factory.user("supervisor", organization=coach.organization)
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(participant)
    returned = ReviewReturn(
        organization_id=coach.organization_id,
        record_type="coaching_period",
        record_id=period.id,
        participant_id=participant.id,
        coach_id=coach.id,
        comment="Suunniteltu päättymispäivä puuttuu.",
        returned_by_id=supervisor.id,
    )
    db.session.add(returned)
    db.session.commit()
    url, period_id, return_id = pwa_server.url, period.id, returned.id

    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, coach.email)
    expect(page.get_by_text("Palautettu: Suunniteltu päättymispäivä puuttuu.")).to_be_visible()
    page.goto(f"{url}/app/periods/{period_id}")
    panel = page.get_by_role("region", name="Palautettu korjattavaksi")
    expect(panel).to_contain_text("Suunniteltu päättymispäivä puuttuu.")
    panel.get_by_label("Vastauksesi").fill("Lisätty, jakso päättyy joulukuussa.")
    panel.get_by_role("button", name="Lähetä vastaus").click()
    expect(page.get_by_role("region", name="Palautettu korjattavaksi")).to_have_count(0)
    sync_now(page, url)
    context.close()

    db.session.remove()
    answered = db.session.get(ReviewReturn, return_id)
    assert (answered.status, answered.answer) == ("answered", "Lisätty, jakso päättyy joulukuussa.")
