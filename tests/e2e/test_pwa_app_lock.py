"""The app lock in Chromium: a logout on one of the server's pages locks the
app at once, and only the coach's password (online) or PIN opens it; idle
time locks it offline too; the lock screen shows nothing of the caseload,
is reachable by keyboard and passes axe. A device cut off on /devices/ wipes
itself at its next contact, pushes nothing, and says why."""

import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Participant
from tests.support.browser import open_app, set_offline, violations, wait_for_service_worker
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e

PIN = "908172"

# Moves the app's last use back by `minutes` in its IndexedDB, as if the phone had lain unused.
AGE_LAST_USE = """(minutes) => new Promise((resolve, reject) => {
  const open = indexedDB.open("polku");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction("meta", "readwrite");
    tx.objectStore("meta").put({ key: "active_at", value: Date.now() - minutes * 60000 });
    tx.oncomplete = () => { open.result.close(); resolve(); };
  };
})"""

COUNT_RECORDS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("polku");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("records").objectStore("records").count();
    request.onsuccess = () => { open.result.close(); resolve(request.result); };
  };
})"""


@pytest.fixture
def db_backend():
    return "sqlite"


def expect_lock_screen(page: Page) -> None:
    expect(page.get_by_role("heading", name="Polku on lukittu")).to_be_visible()
    assert page.url.endswith("/app/unlock") or "/app/unlock?" in page.url
    expect(page.get_by_text("Aino")).to_have_count(0)
    expect(page.get_by_text("Lehtonen")).to_have_count(0)


def tab_to(page: Page, element_id: str) -> None:
    """Tab from the top of the page until the element has the focus."""
    page.wait_for_load_state()
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def test_a_logout_on_a_server_page_locks_the_app_until_the_password(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    url = pwa_server.url
    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, coach.email)
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()
    app_tab = context.new_page()  # the app left open in another tab
    app_tab.goto(f"{url}/app/")
    expect(app_tab.get_by_text("Aino Lehtonen")).to_be_visible()

    page.goto(f"{url}/coach")
    page.get_by_role("banner").get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_text("Olet kirjautunut ulos.")).to_be_visible()

    # The open tab locks itself on coming back into view (no reload needed).
    app_tab.bring_to_front()
    app_tab.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    expect(app_tab.get_by_role("heading", name="Polku on lukittu")).to_be_visible(timeout=15000)

    for address in ("/app/", "/app/sync", "/app/employers"):
        page.goto(url + address)
        expect_lock_screen(page)
    assert violations(page) == []
    expect(page.get_by_text("Avaa se laitteen PIN-koodilla tai salasanallasi")).to_be_visible()

    # By keyboard: a wrong password, then the right one.
    tab_to(page, "f-password")
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Väärä salasana.")).to_be_visible()
    expect_lock_screen(page)
    tab_to(page, "f-password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    # No PIN was set on this device: one is asked before anything else, by today's rules.
    expect(page.get_by_role("heading", name="Aseta uusi PIN-koodi")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("PIN-koodi (6–12 numeroa)").fill("123456")
    page.get_by_label("PIN-koodi uudelleen").fill("123456")
    page.get_by_role("button", name="Aseta PIN-koodi", exact=True).click()
    refused = "PIN-koodi ei voi olla numerojono kuten 123456 tai 654321."
    # At the field, and in the summary as a link to it.
    expect(page.locator("#f-pin-error")).to_have_text(refused)
    expect(page.get_by_role("link", name=refused)).to_have_attribute("href", "#f-pin")
    page.get_by_label("PIN-koodi (6–12 numeroa)").fill(PIN)
    page.get_by_label("PIN-koodi uudelleen").fill(PIN)
    page.get_by_role("button", name="Aseta PIN-koodi", exact=True).click()
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible()
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()
    context.close()


def test_idle_time_locks_the_app_offline_and_the_pin_opens_it(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    url = pwa_server.url
    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, coach.email)
    page.goto(f"{url}/app/pin")
    page.get_by_label("PIN-koodi (6–12 numeroa)").fill(PIN)
    page.get_by_label("PIN-koodi uudelleen").fill(PIN)
    page.get_by_role("button", name="Aseta PIN-koodi", exact=True).click()
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible()

    set_offline(context, pwa_server, True)
    page.evaluate(AGE_LAST_USE, 16)
    page.goto(f"{url}/app/")
    expect_lock_screen(page)
    assert violations(page) == []
    expect(page.get_by_text("Ei verkkoyhteyttä.")).to_be_visible()

    tab_to(page, "f-pin")
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Väärä PIN-koodi.")).to_be_visible()
    page.get_by_label("Laitteen PIN-koodi").fill(PIN)
    page.get_by_role("button", name="Avaa", exact=True).click()
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible()
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()
    context.close()


def test_a_device_cut_off_by_the_admin_wipes_itself_pushes_nothing_and_says_why(
    browser, pwa_server, factory
):
    coach = factory.user("coach", name="Sanna Virtanen")
    admin = factory.user("admin", organization=coach.organization, name="Pekka Laine")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    url = pwa_server.url
    phone = browser.new_context()
    page = phone.new_page()
    open_app(page, url, coach.email)

    # Work that has not reached the server when the phone goes missing.
    pwa_server.network.unavailable.add("/api/sync/push")
    page.goto(f"{url}/app/participants/new")
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()

    desk = browser.new_context().new_page()
    desk.goto(f"{url}/login?next=/devices/")
    desk.get_by_label("Sähköposti").fill(admin.email)
    desk.get_by_label("Salasana").fill(PASSWORD)
    desk.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(desk.get_by_role("heading", name="Laitteet")).to_be_visible()
    expect(desk.get_by_role("row", name=re.compile("Sanna Virtanen"))).to_contain_text("Käytössä")
    assert violations(desk) == []
    cut_off = re.compile(r"Katkaise yhteys: .*, käyttäjä Sanna Virtanen")
    desk.get_by_role("button", name=cut_off).click()
    expect(desk.get_by_text("Laitteen yhteys on katkaistu.")).to_be_visible()
    expect(desk.get_by_role("row", name=re.compile("Sanna Virtanen"))).to_contain_text(
        "Yhteys katkaistu"
    )

    # Its next contact (the app syncs when opened): wiped, and the screen says why.
    pwa_server.network.unavailable.clear()
    page.goto(f"{url}/app/")
    expect(page.get_by_role("heading", name="Laitteen yhteys on katkaistu")).to_be_visible(
        timeout=15000
    )
    expect(page.get_by_text("Kaikki Polun tiedot on poistettu tältä laitteelta.")).to_be_visible()
    assert violations(page) == []
    assert page.evaluate(COUNT_RECORDS) == 0
    page.goto(f"{url}/app/")  # every address leads here, and nothing registers again
    expect(page.get_by_role("heading", name="Laitteen yhteys on katkaistu")).to_be_visible()
    page.get_by_role("button", name="Kirjaudu sisään ja aloita alusta").click()
    expect(page.get_by_role("heading", name="Kirjaudu sisään")).to_be_visible()
    phone.close()

    time.sleep(0.5)  # nothing more may arrive
    db.session.remove()
    names = db.session.scalars(select(Participant.first_name))
    assert list(names) == ["Aino"], "the cut-off phone pushed nothing"


def test_open_app_still_works_after_reload(browser, pwa_server, factory):
    """A lock that is not due never shows: a reload and a restart of the worker open the app."""
    coach = factory.user("coach", name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    context = browser.new_context()
    page = context.new_page()
    open_app(page, pwa_server.url, coach.email)
    page.reload()
    wait_for_service_worker(page)
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()
    context.close()
