"""Issue 12, item 1: a page of another site (here 127.0.0.1 on another port,
the app being on localhost) can start requests to the app's routes, which the
service worker answers. None of them may create, export or wipe anything:
a change needs the app's origin and the device's form token
(pwa/js/request-guard.js), and no GET has a side effect."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Device, Participant
from tests.support.browser import open_app, set_offline, sync_now, violations

pytestmark = pytest.mark.e2e

# An auto-submitting form, as a malicious page would have; the token is a guess.
FORM = """<!doctype html><html lang="en">
<head><meta charset="utf-8"><title>Win a prize</title>{head}</head>
<body><form id="f" method="post" action="{app}{path}">{fields}
<input name="form_token" value="guessed"></form>
<script>document.getElementById("f").submit()</script></body></html>"""
LINKS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Links</title></head>
<body><a href="{app}/app/export.json">Export (the old address)</a>
<a href="{app}/app/export">Export (the confirmation page)</a></body></html>"""
HIDE_REFERRER = '<meta name="referrer" content="no-referrer">'


class Attacker:
    """Static pages of another origin: 127.0.0.1 on a port of its own."""

    def __init__(self, directory, app_url):
        self.directory = directory
        self.app_url = app_url
        handler = partial(SimpleHTTPRequestHandler, directory=str(directory))
        handler.log_message = lambda *args: None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def form(self, name, path, fields=None, hide_referrer=False):
        inputs = "".join(
            f'<input name="{key}" value="{value}">' for key, value in (fields or {}).items()
        )
        page = FORM.format(
            app=self.app_url, path=path, fields=inputs, head=HIDE_REFERRER if hide_referrer else ""
        )
        (self.directory / f"{name}.html").write_text(page, "utf-8")
        return f"{self.url}/{name}.html"

    def links(self):
        (self.directory / "links.html").write_text(LINKS.format(app=self.app_url), "utf-8")
        return f"{self.url}/links.html"


@pytest.fixture
def attacker(pwa_server, tmp_path):
    site = Attacker(tmp_path, pwa_server.url)
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


NEW_CLIENT = {"first_name": "Hyökkääjä", "last_name": "Sivusto"}


def expect_refused(page: Page, path: str) -> None:
    expect(page.get_by_role("heading", name="Pyyntö hylättiin")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Pyyntö tuli toiselta sivustolta.")
    assert page.url.endswith(path)


def test_a_form_on_another_site_creates_no_participant(browser, pwa_server, attacker, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    page = browser.new_context().new_page()
    open_app(page, pwa_server.url, coach.email)

    page.goto(attacker.form("create", "/app/participants", NEW_CLIENT))
    expect_refused(page, "/app/participants")
    expect(page.get_by_text("Mitään ei tallennettu, viety eikä poistettu.")).to_be_visible()
    assert violations(page) == []
    # A page that hides its address sends "Origin: null": refused as well.
    page.goto(attacker.form("hidden", "/app/participants", NEW_CLIENT, hide_referrer=True))
    expect_refused(page, "/app/participants")

    page.get_by_role("link", name="Avaa Polku").click()
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()
    expect(page.get_by_text("Hyökkääjä")).to_have_count(0)
    sync_now(page, pwa_server.url)
    page.context.close()
    db.session.remove()
    names = db.session.scalars(select(Participant.first_name)).all()
    assert names == ["Aino"]


def test_a_form_on_another_site_does_not_log_the_device_out(browser, pwa_server, attacker, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    page = browser.new_context().new_page()
    open_app(page, pwa_server.url, coach.email)
    sync_now(page, pwa_server.url)  # nothing unsynced: the logout guard would let it through

    page.goto(attacker.form("logout", "/app/logout"))
    expect_refused(page, "/app/logout")
    page.goto(pwa_server.url + "/app/")
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible()
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()
    page.context.close()
    db.session.remove()
    device = db.session.scalars(select(Device)).one()
    assert device.revoked_at is None


def test_offline_work_survives_a_cross_site_export_and_logout(
    browser, pwa_server, attacker, factory
):
    """The data-loss chain: unsynced work, a link to the export (which used to
    mark everything exported and so switch the logout guard off), a cross-site
    logout; once the server is reachable again, the work reaches it."""
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

    # The phone is online again, but the work has not reached the server yet.
    context.set_offline(False)
    page.goto(attacker.links())
    page.get_by_role("link", name="Export (the old address)").click()
    expect(page.get_by_role("heading", name="Tietoa ei löytynyt tältä laitteelta")).to_be_visible()
    page.goto(attacker.links())
    page.get_by_role("link", name="Export (the confirmation page)").click()
    expect(page.get_by_role("button", name="Vie 1 muutosta tiedostoon")).to_be_visible()
    assert violations(page) == []
    page.goto(attacker.form("logout", "/app/logout"))
    expect_refused(page, "/app/logout")

    # The app's own logout still refuses: nothing was exported.
    page.goto(pwa_server.url + "/app/")
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_role("alert")).to_contain_text("Laitteella on 1 muutosta")

    pwa_server.network.offline = False
    sync_now(page, pwa_server.url)
    context.close()
    db.session.remove()
    assert db.session.scalars(select(Participant.last_name)).all() == ["Mäkinen"]
