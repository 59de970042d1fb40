"""The device session around offline work: an expired session never blocks
work and the outbox is pushed after logging in again; logout with unsynced
changes refuses until they are synced or exported, then wipes the device."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import Device, Participant
from tests.support.browser import open_app, set_offline
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"


def add_participant(page, url, first, last):
    page.goto(f"{url}/app/participants/new")
    page.get_by_label("Etunimi").fill(first)
    page.get_by_label("Sukunimi").fill(last)
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name=f"{first} {last}")).to_be_visible()


def test_expired_session_keeps_work_and_pushes_after_login(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    url, email = pwa_server.url, coach.email
    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, email)

    # Both sessions end while the coach works: the device token and the login cookie.
    for device in db.session.scalars(select(Device)):
        device.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    context.clear_cookies()

    add_participant(page, url, "Oskari", "Mäkinen")  # work goes on
    page.goto(f"{url}/app/sync")
    page.get_by_role("button", name="Synkronoi nyt").click()
    expect(page.get_by_role("alert")).to_have_text("Kirjautuminen vanheni")
    expect(page.get_by_test_id("pending-count")).to_have_text("1")
    add_participant(page, url, "Ilona", "Koski")  # still not blocked

    page.get_by_role("link", name="Istunto vanheni – kirjaudu uudelleen").click()
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url("**/app/")
    # The app syncs at start: it registers the device again (D1) and pushes the outbox.
    expect(page.get_by_test_id("pending")).to_have_text("Kaikki synkronoitu", timeout=15000)
    context.close()

    db.session.remove()
    names = db.session.scalars(select(Participant.first_name).order_by(Participant.first_name))
    assert list(names) == ["Ilona", "Oskari"]


def test_logout_refuses_unsynced_work_until_exported_then_wipes(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    url, email = pwa_server.url, coach.email
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    open_app(page, url, email)

    set_offline(context, pwa_server, True)
    add_participant(page, url, "Oskari", "Mäkinen")
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_role("alert")).to_contain_text("1 muutosta")
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_have_count(0)

    # Exporting is a confirmed post from its own page (issue 12).
    page.get_by_role("link", name="Vie muutokset tiedostoon").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Vie 1 muutosta tiedostoon").click()
    exported = json.loads(download.value.path().read_text("utf-8"))
    assert [m["fields"]["first_name"] for m in exported["outbox"]] == ["Oskari"]
    assert exported["outbox"][0]["record_type"] == "participant"
    expect(page.get_by_text("1 muutosta vietiin tiedostoon polku-outbox.json.")).to_be_visible()

    set_offline(context, pwa_server, False)
    page.get_by_role("main").get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_text("Olet kirjautunut ulos.")).to_be_visible()

    page.goto(f"{url}/app/")  # nothing left on the device: the app asks to log in
    expect(page.get_by_role("heading", name="Kirjaudu sisään")).to_be_visible()
    db.session.remove()
    devices = db.session.scalars(select(Device)).all()
    assert len(devices) == 1 and devices[0].revoked_at is not None
    context.close()
