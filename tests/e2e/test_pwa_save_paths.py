"""Issue 12, item 6: no form loses what was typed. A refused form comes back
with the values and the reasons, at an address that a reload shows again,
and the corrected form saves; a refused edit is never dropped without a word."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Participant
from tests.support.browser import open_app, sync_now, violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


def expect_refused_again_after_reload(page: Page, check) -> None:
    page.wait_for_url("**?draft=*")
    check()
    page.reload()
    check()


def test_a_new_client_refused_once_is_saved_when_corrected(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    page = browser.new_context().new_page()
    open_app(page, pwa_server.url, coach.email)

    page.get_by_role("link", name="Uusi asiakas").click()
    page.get_by_label("Etunimi").fill("Oskari")
    page.get_by_label("Sukunimi").fill("Mäkinen")
    page.get_by_label("Syntymävuosi").fill("1890")
    page.get_by_label("Kotikunta").fill("Oulu")
    page.get_by_role("button", name="Tallenna").click()

    def refused():
        expect(page.get_by_role("alert")).to_be_visible()
        expect(page.locator("p.error", has_text="Anna luku 1900–2100.")).to_be_visible()
        expect(page.get_by_label("Etunimi")).to_have_value("Oskari")
        expect(page.get_by_label("Kotikunta")).to_have_value("Oulu")
        expect(page.get_by_label("Syntymävuosi")).to_have_value("1890")

    expect_refused_again_after_reload(page, refused)
    assert violations(page) == []
    page.get_by_label("Syntymävuosi").fill("1990")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Oskari Mäkinen")).to_be_visible()
    assert "undefined" not in page.url

    sync_now(page, pwa_server.url)
    page.context.close()
    db.session.remove()
    oskari = db.session.scalars(select(Participant)).one()
    assert (oskari.first_name, oskari.birth_year, oskari.municipality) == ("Oskari", 1990, "Oulu")


def test_refused_contact_person_attendance_and_task_are_not_dropped(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    employer = factory.employer(organization=coach.organization, name="Pohjolan Puutarha Oy")
    aino = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    demo = factory.demonstration(aino, employer, title="Kassatyöt")
    url, employer_id, demo_id = pwa_server.url, employer.id, demo.id
    page = browser.new_context().new_page()
    open_app(page, url, coach.email)

    # A contact person whose e-mail lacks its domain's end: the browser lets it
    # through, the device's check does not.
    page.goto(f"{url}/app/employers/{employer_id}")
    people = page.locator("form").filter(has_text="Uusi yhteyshenkilö")
    people.get_by_label("Nimi", exact=True).fill("Jari Mäkelä")
    people.get_by_label("Sähköposti").fill("jari@puutarha")
    people.get_by_role("button").click()

    def person_refused():
        form = page.locator("form").filter(has_text="Uusi yhteyshenkilö")
        expect(form.get_by_role("alert")).to_be_visible()
        expect(form.get_by_label("Nimi", exact=True)).to_have_value("Jari Mäkelä")
        expect(form.get_by_label("Sähköposti")).to_have_value("jari@puutarha")
        expect(form.locator("#f-email-error")).to_be_visible()

    expect_refused_again_after_reload(page, person_refused)

    # Attendance with more meetings than the rules allow.
    page.goto(f"{url}/app/events/new")
    page.get_by_label("Nimi", exact=True).fill("Työkohtaamo")
    page.get_by_role("button", name="Tallenna").click()
    card = page.locator("form.attendance").filter(has_text="Aino Lehtonen")
    card.get_by_label("Osallistui").check()
    card.get_by_label("Käydyt keskustelut").fill("150")
    card.get_by_role("button", name="Tallenna").click()

    def attendance_refused():
        card = page.locator("form.attendance").filter(has_text="Aino Lehtonen")
        expect(card.locator("p.error", has_text="Anna luku 0–100.")).to_be_visible()
        expect(card.get_by_label("Käydyt keskustelut")).to_have_value("150")
        expect(card.get_by_label("Osallistui")).to_be_checked()

    expect_refused_again_after_reload(page, attendance_refused)

    # A new task of blanks only: its criteria stay.
    page.goto(f"{url}/app/demonstrations/{demo_id}")
    task = page.locator("form").filter(has_text="Uusi tehtävä")
    task.get_by_label("Tehtävä", exact=True).fill("  ")
    task.get_by_label("Arviointikriteerit").fill("Kassa täsmää illalla")
    task.get_by_role("button").click()

    def task_refused():
        form = page.locator("form").filter(has_text="Uusi tehtävä")
        expect(form.get_by_role("alert")).to_be_visible()
        expect(form.get_by_label("Arviointikriteerit")).to_have_value("Kassa täsmää illalla")

    expect_refused_again_after_reload(page, task_refused)
    page.context.close()
