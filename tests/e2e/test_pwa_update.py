"""A new app version is announced and taken when the coach reloads into it;
unsynced local work survives the update, also the one that moves the worker
from /app/ to the whole origin."""

import re
import shutil
import time

import pytest
from playwright.sync_api import Error, expect

from server.app_shell import views
from tests.support.browser import open_app, set_offline

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"


def test_new_version_is_announced_and_keeps_local_data(
    browser_type, browser_type_launch_args, pwa_server, factory, tmp_path, monkeypatch
):
    coach = factory.user("coach", name="Sanna Virtanen")
    url = pwa_server.url
    release = tmp_path / "pwa"
    shutil.copytree(views.PWA_DIR, release)
    monkeypatch.setattr(views, "PWA_DIR", release)
    # A browser of its own: in the session's shared browser, after the other
    # tests' workers, Chromium sometimes defers activating the waiting worker.
    browser = browser_type.launch(**browser_type_launch_args)
    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, coach.email)

    set_offline(context, pwa_server, True)
    page.goto(f"{url}/app/participants/new")
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()

    worker = release / "sw.js"  # the next release
    worker.write_text(re.sub(r'VERSION = "[^"]+"', 'VERSION = "next"', worker.read_text()))
    set_offline(context, pwa_server, False)
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(page.get_by_text("Sovelluksesta on uusi versio.")).to_be_visible(timeout=15000)
    with page.expect_event("framenavigated"):  # the page reloads into the new version
        page.get_by_role("button", name="Ota käyttöön").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()
    expect(page.get_by_text("Sovelluksesta on uusi versio.")).to_be_hidden()
    assert page.evaluate("() => caches.keys()") == ["polku-shell-next"]
    context.close()
    browser.close()


def test_an_install_scoped_to_the_app_moves_to_the_origin_with_the_update(
    browser_type, browser_type_launch_args, pwa_server, factory, tmp_path, monkeypatch
):
    """Releases before hand-over mode guarded the server's pages registered the
    worker for /app/ only: the update moves it to the whole origin, once, and
    keeps the local data."""
    coach = factory.user("coach", name="Sanna Virtanen")
    url = pwa_server.url
    release = tmp_path / "pwa"
    shutil.copytree(views.PWA_DIR, release)
    monkeypatch.setattr(views, "PWA_DIR", release)
    app_js = release / "js" / "app.js"
    current = app_js.read_text()
    app_js.write_text(current.replace('const SCOPE = "/";', 'const SCOPE = "/app/";'))
    assert app_js.read_text() != current
    browser = browser_type.launch(**browser_type_launch_args)
    context = browser.new_context()
    page = context.new_page()
    scopes = "() => navigator.serviceWorker.getRegistrations().then((a) => a.map((r) => r.scope))"
    open_app(page, url, coach.email)
    assert page.evaluate(scopes) == [f"{url}/app/"]
    set_offline(context, pwa_server, True)
    page.goto(f"{url}/app/participants/new")
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()
    set_offline(context, pwa_server, False)

    app_js.write_text(current)  # the next release
    worker = release / "sw.js"
    worker.write_text(re.sub(r'VERSION = "[^"]+"', 'VERSION = "next"', worker.read_text()))
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(page.get_by_text("Sovelluksesta on uusi versio.")).to_be_visible(timeout=15000)
    page.get_by_role("button", name="Ota käyttöön").click()
    # Reloaded into the new version, which registers for the origin, removes
    # the old registration once the new worker runs, and reloads into it.
    deadline = time.monotonic() + 15
    while not evaluate(page, MOVED):
        assert time.monotonic() < deadline, evaluate(page, scopes)
        time.sleep(0.2)
    page.wait_for_load_state()
    assert page.evaluate(scopes) == [f"{url}/"]
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()
    expect(page.get_by_text("Sovelluksesta on uusi versio.")).to_be_hidden()
    page.goto(f"{url}/app/")
    expect(page.get_by_text("Oskari Mäkinen")).to_be_visible()
    assert page.evaluate(scopes) == [f"{url}/"]
    assert page.evaluate("() => caches.keys()") == ["polku-shell-next"]
    context.close()
    browser.close()


# The page is controlled by the origin's worker (not by the removed one's).
MOVED = """() => navigator.serviceWorker.getRegistration().then((r) =>
  r?.scope === location.origin + "/" && r.active === navigator.serviceWorker.controller)"""


def evaluate(page, script):
    try:
        return page.evaluate(script)
    except Error:
        return None  # the page reloaded while we asked
