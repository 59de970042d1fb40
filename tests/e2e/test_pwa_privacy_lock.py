"""Another user logs in on a browser whose app holds a coach's data: the app
shows only a lock screen (no caseload by link, typed address or the back
button) and pushes nothing under that login; the coach's own login opens it,
and the unsynced work then syncs as theirs."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Device, Participant
from tests.support.browser import open_app, sync_now
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"


def expect_locked(page: Page) -> None:
    expect(page.get_by_role("heading", name="Laite on lukittu")).to_be_visible()
    assert urlsplit(page.url).path == "/app/locked"
    expect(page.get_by_text("Aino")).to_have_count(0)
    expect(page.get_by_text("Oskari")).to_have_count(0)


def log_in_form(page: Page, email: str) -> None:
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()


def test_another_users_login_locks_the_device_until_its_owner_logs_in(browser, pwa_server, factory):
    sanna = factory.user("coach", name="Sanna Virtanen")
    mikko = factory.user("coach", organization=sanna.organization, name="Mikko Heikkinen")
    aino = factory.participant(sanna, first_name="Aino", last_name="Lehtonen")
    url, aino_id = pwa_server.url, aino.id
    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, sanna.email)
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()

    # Sanna's work waits in the outbox (the server is busy with pushes).
    pwa_server.network.unavailable.add("/api/sync/push")
    page.goto(f"{url}/app/participants/new")
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()

    # Mikko logs in on the same browser and lands in the app.
    page.goto(f"{url}/login?next=/app/")
    log_in_form(page, mikko.email)
    expect_locked(page)
    expect(page.get_by_role("main")).to_contain_text(
        "Vain Sanna Virtanen voi avata laitteen kirjautumalla sisään omilla tunnuksillaan."
    )
    expect(page.get_by_role("main")).to_contain_text("Laitteella on 1 synkronoimatonta muutosta.")
    for address in ("/app/", f"/app/participants/{aino_id}", "/app/sync", "/app/export"):
        page.goto(url + address)
        expect_locked(page)
    page.go_back()
    expect_locked(page)
    page.reload()
    expect_locked(page)

    # Only Sanna opens it; then her change syncs as hers.
    page.get_by_role("link", name="Kirjaudu sisään käyttäjänä Sanna Virtanen").click()
    log_in_form(page, sanna.email)
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible()
    expect(page.get_by_text("Oskari Mäkinen")).to_be_visible()
    pwa_server.network.unavailable.clear()
    sync_now(page, url)
    context.close()

    db.session.remove()
    oskari = db.session.scalar(select(Participant).filter_by(first_name="Oskari"))
    assert oskari.coach_id == sanna.id
    assert db.session.scalars(select(Device).filter_by(user_id=mikko.id)).all() == []
