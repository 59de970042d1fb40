"""Issue 12, item 8: the sync page shows the latest sync without a reload:
work saved offline is pushed when the device is back online (the `online`
event), and the open sync page says so when that sync ends."""

import pytest
from playwright.sync_api import expect

from tests.e2e.pwa_helpers import open_app, set_offline

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
