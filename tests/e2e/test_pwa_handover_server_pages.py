"""Hand-over mode reaches past /app/: the coach's app's service worker
controls the whole origin, so while the employer holds the device, the
server's own pages (the coach's vouchers, returns, home page) are not open
with the browser's login either; starting the mode online ends that login.
After the PIN the app syncs on with its device token, and the server's pages
are reached through the login again. Without hand-over mode the worker
leaves the server's pages alone (a supervisor's desk in the same browser)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import open_app, set_offline, sync_now
from tests.support.browser_signoff import (
    PIN,
    expect_locked,
    hand_over,
    log_in,
    ready_device,
    unlock,
)
from tests.support.factories import PASSWORD
from tests.support.signoff import scene

pytestmark = pytest.mark.e2e

# The server's pages a coach may see, with the caseload on them.
SERVER_PAGES = ("/vouchers/", "/vouchers/?status=requested", "/review/returns", "/coach", "/login")


@pytest.fixture
def db_backend():
    return "sqlite"


@pytest.fixture
def server(app, pwa_server):
    app.config["WEBAUTHN_ORIGIN"] = pwa_server.url  # what the virtual key signs for
    return pwa_server


@pytest.fixture
def world(app, factory):
    world = scene(app, factory, with_key=False)
    factory.voucher(world.period, "requested")  # Aino's voucher on /vouchers/
    return world


def logged_in(page: Page) -> bool:
    return page.evaluate("() => fetch('/app/session.json').then((r) => r.json())")["logged_in"]


def scopes(page: Page) -> list[str]:
    return page.evaluate(
        "() => navigator.serviceWorker.getRegistrations().then((all) => all.map((r) => r.scope))"
    )


def test_online_hand_over_closes_the_server_pages_until_the_pin(browser, server, world):
    url = server.url
    context = browser.new_context()
    page = context.new_page()
    ready_device(page, url, world)
    assert scopes(page) == [f"{url}/"]
    page.goto(f"{url}/vouchers/")
    expect(page.get_by_role("heading", name="Valmennussetelit")).to_be_visible()
    expect(page.get_by_text("Aino Lähteenmäki").first).to_be_visible()

    hand_over(page, url, world)
    assert not logged_in(page), "starting hand-over mode online ends the browser's login"
    for address in SERVER_PAGES:
        page.goto(url + address)
        expect_locked(page)
    expect(page.get_by_text("Valmennussetelit")).to_have_count(0)

    page.get_by_role("button", name="Peruuta, en allekirjoita").click()
    unlock(page, PIN)
    expect(page.get_by_test_id("signoff-status")).to_have_text("Ei allekirjoitettu")
    sync_now(page, url)  # with the device token alone
    assert not logged_in(page)

    # The server's pages again, through its login as after any logout.
    page.goto(f"{url}/vouchers/")
    assert urlsplit(page.url).path == "/login"
    log_in(page, url, world.coach.email, next_page="/vouchers/")
    expect(page.get_by_role("heading", name="Valmennussetelit")).to_be_visible()
    expect(page.get_by_text("Aino Lähteenmäki").first).to_be_visible()
    page.goto(f"{url}/review/returns")
    expect(page.get_by_role("heading", name="Palautetut tiedot")).to_be_visible()
    page.goto(f"{url}/app/")
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible()
    context.close()


def test_hand_over_begun_offline_closes_them_online_even_after_a_worker_restart(
    browser, server, world
):
    url = server.url
    context = browser.new_context()
    page = context.new_page()
    ready_device(page, url, world)
    set_offline(context, server, True)
    hand_over(page, url, world)
    set_offline(context, server, False)
    # The worker stopped (as the browser does when idle): the navigation that
    # starts it again waits for the mode to be read from IndexedDB.
    cdp = context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    page.goto(f"{url}/vouchers/")
    expect_locked(page)
    # Showing the screen online has ended the login the offline start left
    # (checked again after a few seconds: the page the browser may have
    # fetched alongside the worker's answer can bring the cookie back).
    for _ in range(100):
        if not logged_in(page):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the browser's login was not ended")
    page.goto(f"{url}/review/returns")
    expect_locked(page)
    context.close()


def test_without_hand_over_the_worker_leaves_the_desk_alone(browser, server, world):
    """The coach's app installed (its worker controls every page of the origin),
    then a supervisor uses the desk in the same browser: a login form, full
    pages, htmx posts, all from the server as before, also when the worker has
    just been started by the request (it reads the mode first)."""
    url = server.url
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    open_app(page, url, world.coach.email)
    cdp = context.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")

    page.goto(f"{url}/login")
    page.get_by_label("Sähköposti").fill(world.supervisor.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    cdp.send("ServiceWorker.stopAllWorkers")  # the form's post starts it again
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("heading", name="Tiimin tilanne")).to_be_visible()
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)"), (
        "in the worker's scope"
    )

    cdp.send("ServiceWorker.stopAllWorkers")
    page.get_by_role("link", name="Valmennussetelit").first.click()
    expect(page.get_by_role("heading", name="Valmennussetelit")).to_be_visible()
    page.evaluate("document.body.dataset.mark = 'kept'")
    page.get_by_label("Summa (€)").first.fill("1500,00")
    page.get_by_role("button", name="Hyväksy").click()
    expect(page.locator(".badge.voucher-approved")).to_be_visible()
    assert page.evaluate("document.body.dataset.mark") == "kept", "an htmx swap, no reload"
    page.goto(f"{url}/review/periods/{world.period.id}")
    expect(page.get_by_text("Aino Lähteenmäki").first).to_be_visible()
    assert problems == []
    context.close()
