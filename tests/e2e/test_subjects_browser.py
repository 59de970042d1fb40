"""Data-subject rights in Chromium: an erased participant leaves the coach's
phone at its next sync; the admin's export and erasure pages pass axe-core."""

import pytest
from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Participant
from server.subjects import erasure
from tests.support.browser import open_app, set_offline, sync_now, violations
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


def test_an_erased_participant_disappears_from_the_phone_at_the_next_sync(
    browser, pwa_server, factory
):
    coach = factory.user("coach", name="Sanna Virtanen")
    admin = factory.user("admin", organization=coach.organization)
    ilmari = factory.participant(coach, first_name="Ilmari", last_name="Tuulenpesä")
    factory.period(ilmari)
    factory.participant(coach, first_name="Kerttu", last_name="Naapuri")
    url, ilmari_id = pwa_server.url, ilmari.id

    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, coach.email)
    expect(page.get_by_text("Ilmari Tuulenpesä")).to_be_visible()

    erasure.erase(db.session, db.session.get(Participant, ilmari_id), "pyyntö", admin.id)
    db.session.commit()
    sync_now(page, url)
    page.goto(f"{url}/app/")
    expect(page.get_by_text("Kerttu Naapuri")).to_be_visible()
    expect(page.get_by_text("Tuulenpesä")).to_have_count(0)
    page.goto(f"{url}/app/participants/{ilmari_id}")
    expect(page.get_by_text("Tuulenpesä")).to_have_count(0)
    context.close()


def test_a_pending_edit_for_an_erased_participant_is_not_pushed(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    admin = factory.user("admin", organization=coach.organization)
    ilmari = factory.participant(coach, first_name="Ilmari", last_name="Tuulenpesä")
    url, ilmari_id = pwa_server.url, ilmari.id

    context = browser.new_context()
    page = context.new_page()
    open_app(page, url, coach.email)
    set_offline(context, pwa_server, True)
    page.goto(f"{url}/app/participants/{ilmari_id}/edit")
    page.get_by_label("Kotikunta").fill("Kempele")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Kempele")).to_be_visible()

    erasure.erase(db.session, db.session.get(Participant, ilmari_id), "pyyntö", admin.id)
    db.session.commit()
    set_offline(context, pwa_server, False)
    sync_now(page, url)
    expect(page.get_by_text("Vaatii toimia").first).to_be_visible()
    # The refused edit is listed, but its content is gone from the phone.
    page.goto(f"{url}/app/sync")
    expect(page.get_by_text("eikä sen sisältöä säilytetä")).to_be_visible()
    expect(page.get_by_role("button", name="Yritä uudelleen")).to_have_count(0)
    assert "Kempele" not in page.content()
    db.session.expire_all()
    stored = db.session.get(Participant, ilmari_id)
    assert (stored.deleted, stored.municipality, stored.last_name) == (True, None, "")
    page.goto(f"{url}/app/")
    expect(page.get_by_text("Tuulenpesä")).to_have_count(0)
    context.close()


def test_the_export_page_is_accessible(page: Page, live_server, factory):
    coach = factory.user("coach")
    admin = factory.user("admin", organization=coach.organization)
    participant = factory.participant(coach, first_name="Ilmari", last_name="Tuulenpesä")
    factory.goal(factory.period(participant), "wellbeing", description="Jaksaminen")
    page.goto(live_server.url + "/login")
    page.get_by_label("Sähköposti").fill(admin.email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_role("link", name="Rekisteröidyn oikeudet").click()
    assert violations(page) == []
    page.get_by_label("Nimi, sähköposti tai puhelin").fill("tuulen")
    page.get_by_role("button", name="Hae").click()
    page.get_by_role("link", name="Ilmari Tuulenpesä").click()
    expect(
        page.get_by_role("heading", name="Rekisteröidyn tiedot: Ilmari Tuulenpesä")
    ).to_be_visible()
    assert violations(page) == []
    # Erase without confirming: refused, the message named at the checkbox.
    page.get_by_label("Poiston peruste").fill("Rekisteröidyn pyyntö")
    page.get_by_role("button", name="Poista tiedot pysyvästi").click()
    expect(page.get_by_text("Vahvista poisto rastittamalla ruutu.")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Poiston peruste").fill("Rekisteröidyn pyyntö")
    page.get_by_label("Vahvistan, että henkilön tiedot poistetaan pysyvästi.").check()
    page.get_by_role("button", name="Poista tiedot pysyvästi").click()
    expect(page.get_by_text("Henkilön tiedot poistettu.")).to_be_visible()
    expect(page.get_by_text("Tuulenpesä")).to_have_count(0)
    assert violations(page) == []
