"""Scenario 3 of issue 4: the server stops in the middle of a sync (after it
merged a push, before the device heard the answer) and starts again. The
outbox survives on the device, and the next sync completes with nothing lost
and nothing duplicated."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from server.extensions import db
from server.models import AppliedMutation, Employer, Goal, Participant
from tests.support.browser import open_app, set_offline, sync_now

pytestmark = pytest.mark.e2e

TITLES = ("Työvuoron aloitus", "Tiimipalaveri", "Tauot")


@pytest.fixture
def db_backend():
    return "sqlite"


def test_server_stopped_during_sync_loses_and_duplicates_nothing(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(participant)
    url, period_id, email = pwa_server.url, period.id, coach.email

    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, email)
    set_offline(context, pwa_server, True)
    for title in TITLES:
        page.goto(f"{url}/app/periods/{period_id}/goals/new?area=competence")
        page.get_by_label("Tavoite", exact=True).fill(title)
        page.get_by_role("button", name="Tallenna").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.goto(f"{url}/app/employers/new")
    page.get_by_label("Nimi", exact=True).fill("Konepaja Oy")
    page.get_by_label("Y-tunnus").fill("2456789-5")
    page.get_by_role("button", name="Tallenna").click()
    expect(
        page.locator("p.error", has_text="Y-tunnuksen tarkiste ei täsmää.")
    ).to_be_visible()  # checked offline
    page.get_by_label("Y-tunnus").fill("2456789-6")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Konepaja Oy")).to_be_visible()
    page.goto(f"{url}/app/participants/new")
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()
    expect(page.get_by_test_id("pending")).to_have_text("Odottaa synkronointia: 5")

    pwa_server.network.drop_next_push = True
    set_offline(context, pwa_server, False)  # the `online` event starts a sync
    assert pwa_server.network.pushed.wait(timeout=20), "the app never pushed"
    pwa_server.stop()  # the server goes down before the device hears the answer
    pwa_server.network.release.set()

    page.goto(f"{url}/app/sync")  # the service worker still answers
    expect(page.get_by_test_id("pending-count")).to_have_text("5")
    page.get_by_role("button", name="Synkronoi nyt").click()
    expect(page.get_by_text("Ei verkkoyhteyttä tai palvelin ei vastannut").first).to_be_visible()
    expect(page.get_by_test_id("pending-count")).to_have_text("5")
    page.reload()
    expect(page.get_by_test_id("pending-count")).to_have_text("5")

    db.session.remove()  # the push had been merged: the server has each record once already
    assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == 5

    pwa_server.start()
    sync_now(page, url)  # the same mutations again: duplicates, nothing changes twice
    expect(page.get_by_test_id("pending")).to_have_text("Kaikki synkronoitu")
    page.goto(f"{url}/app/periods/{period_id}")
    for title in TITLES:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_text("Ei vielä synkronoitu")).to_have_count(0)
    context.close()

    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == 5
    goals = db.session.scalars(select(Goal).where(Goal.period_id == period_id)).all()
    assert sorted(g.title for g in goals) == sorted(TITLES)
    assert all(g.version == 1 for g in goals)
    employers = db.session.scalars(select(Employer).where(Employer.name == "Konepaja Oy")).all()
    assert [(e.business_id, e.version) for e in employers] == [("2456789-6", 1)]
    oskari = db.session.scalars(select(Participant).where(Participant.first_name == "Oskari")).all()
    assert [(p.last_name, p.coach_id, p.version) for p in oskari] == [("Mäkinen", coach.id, 1)]
