"""Issue 12, item 8: when the app syncs. The sync page shows the latest sync
without a reload; a conflict resolved on the phone is pushed at once, also
after a failed Background Sync left the browser waiting out its backoff."""

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import Conflict
from tests.support.browser import open_app, set_offline

PUSHED_WITHIN_S = 15  # the minute timer would be the next trigger otherwise

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


def test_the_sync_page_refreshes_after_an_automatic_sync(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    context = browser.new_context()
    page = context.new_page()
    open_app(page, pwa_server.url, coach.email)

    set_offline(context, pwa_server, True)
    page.goto(pwa_server.url + "/app/participants/new")
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()
    page.goto(pwa_server.url + "/app/sync")
    expect(page.get_by_test_id("pending-count")).to_have_text("1")

    set_offline(context, pwa_server, False)  # the `online` event: the worker syncs
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=20000)
    assert page.url.endswith("/app/sync")
    context.close()


def test_a_resolved_conflict_is_pushed_at_once(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    goal = factory.goal(factory.period(aino), title="Kassatyö")
    factory.conflict(
        "goal",
        goal,
        "title",
        ["Kassatyö", "Kassatyö ja tilitys"],
        organization_id=coach.organization_id,
        participant_id=aino.id,
        user_id=coach.id,
    )
    url = pwa_server.url
    page = browser.new_context().new_page()
    open_app(page, url, coach.email)

    # A save while the server is unreachable: its Background Sync fails, and
    # the browser waits out a backoff before it fires that tag again.
    pwa_server.network.offline = True
    page.get_by_role("link", name="Uusi asiakas").click()
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Ei yhteyttä – työ tallentuu laitteelle")).to_be_visible(timeout=15000)
    pwa_server.network.offline = False

    page.get_by_role("link", name="Ristiriidat").click()  # htmx: no page load, no start sync
    page.get_by_role("button", name="Ratkaise").click()
    deadline = time.monotonic() + PUSHED_WITHIN_S
    while time.monotonic() < deadline:
        db.session.remove()
        if db.session.scalars(select(Conflict.status)).one() == "resolved":
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"the resolution was not pushed within {PUSHED_WITHIN_S} s")
    page.context.close()
