"""Seed 002, events as they run: offline on the phone, the coach records a
Työkohtaamo with an employer taking part and its meetings, a client who got
work there, and two job seekers who are not clients (one named with consent,
one not). After sync the desk's figures count them; the unnamed one stays
unnamed. axe-core finds nothing serious on the event page."""

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import EventAttendance, EventGuest, MeetingEvent, MeetingEventEmployer
from server.outcomes import figures
from server.outcomes.cohorts import Scope
from tests.support.browser import open_app, set_offline, sync_now, violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


def test_an_event_with_a_non_client_and_meetings_recorded_offline(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    factory.employer(organization=coach.organization, name="Konepaja Oy")
    url, email, org_id = pwa_server.url, coach.email, coach.organization_id
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    open_app(page, url, email)
    set_offline(context, pwa_server, True)

    page.goto(f"{url}/app/events/new")
    page.get_by_label("Nimi", exact=True).fill("Työkohtaamo: kone-ala")
    page.get_by_label("Päivämäärä").fill("2026-11-20")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_role("heading", name="Osallistuvat työnantajat")).to_be_visible()

    # The employer taking part, with the meetings it held.
    adding = page.locator("form.event-employer-new")
    adding.get_by_label("Työnantaja").select_option(label="Konepaja Oy")
    adding.get_by_label("Tapaamisia työnhakijoiden kanssa").fill("3")
    adding.get_by_role("button", name="Lisää työnantaja").click()
    expect(page.locator("form.event-employer h3")).to_contain_text("Konepaja Oy")

    # The client came, met two employers' people and got work at Konepaja.
    aino = page.locator("form.attendance").filter(has_text="Aino Lehtonen")
    aino.get_by_label("Osallistui").check()
    aino.get_by_label("Käydyt keskustelut").fill("2")
    aino.get_by_label("Sai työtä").check()
    aino.get_by_label("Työnantaja, josta työ löytyi").select_option(label="Konepaja Oy")
    aino.get_by_role("button", name="Tallenna").click()
    # Saved (the page came back with the record marked as waiting for sync).
    expect(page.locator("form.attendance h3 .pill")).to_be_visible()

    # A non-client who agrees to be named; a name without consent is refused first.
    guest = page.locator("form.event-guest-new")
    guest.get_by_label("Nimi", exact=True).fill("Maija Vieras")
    guest.get_by_label("Käydyt keskustelut").fill("1")
    guest.get_by_label("Sai työtä").check()
    guest.get_by_label("Työnantaja, josta työ löytyi").select_option(label="Konepaja Oy")
    guest.get_by_role("button", name="Lisää työnhakija").click()
    page.wait_for_url("**?draft=*")
    guest = page.locator("form.event-guest-new")
    expect(
        guest.locator("p.error", has_text="Nimen saa kirjata vain työnhakijan suostumuksella")
    ).to_be_visible()
    expect(guest.get_by_label("Nimi", exact=True)).to_have_value("Maija Vieras")
    assert violations(page) == []
    guest.get_by_label("Suostuu nimensä kirjaamiseen").check()
    guest.get_by_role("button", name="Lisää työnhakija").click()
    expect(page.locator("form.event-guest h3").first).to_contain_text("Maija Vieras")

    # One who does not want to be named: counted all the same.
    guest = page.locator("form.event-guest-new")
    guest.get_by_label("Käydyt keskustelut").fill("1")
    guest.get_by_role("button", name="Lisää työnhakija").click()
    expect(page.locator("form.event-guest h3").nth(1)).to_contain_text("Nimetön työnhakija 2")
    assert violations(page) == []

    set_offline(context, pwa_server, False)
    sync_now(page, url)
    context.close()

    db.session.remove()
    event = db.session.scalars(select(MeetingEvent)).one()
    taking_part = db.session.scalars(select(MeetingEventEmployer)).one()
    assert (taking_part.event_id, taking_part.meetings_held) == (event.id, 3)
    attendance = db.session.scalars(select(EventAttendance)).one()
    assert (attendance.attended, attendance.got_work, attendance.meetings_held) == (True, True, 2)
    guests = db.session.scalars(select(EventGuest).order_by(EventGuest.id)).all()
    assert [(g.name_consent, g.name, g.got_work) for g in guests] == [
        (True, "Maija Vieras", True),
        (False, None, False),
    ]
    counted = figures.compute(Scope(org_id, date(2026, 1, 1), date(2026, 12, 31)))
    assert (counted.events, counted.employers_at_events, counted.meetings) == (1, 1, 3)
    assert (counted.attendees, counted.non_client_attendees) == (3, 2)
    employed = counted.employed_from_events
    assert (employed.numerator, employed.denominator) == (2, 3)
