"""A new app version is announced and taken when the coach reloads into it;
unsynced local work survives the update."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from server.app_shell import views
from tests.e2e.pwa_helpers import open_app, set_offline

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
