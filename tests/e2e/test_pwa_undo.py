"""Undoing the day's mistakes offline: a goal deleted after a confirm step, an
assessment round voided with a reason, a note written and corrected, an event
edited; back online, the server holds each (the goal a tombstone, the round
kept but voided), and every page on the way has no serious axe findings."""

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import AssessmentRound, Goal, MeetingEvent, Note
from tests.support.browser import open_app, set_offline, sync_now, violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


def test_delete_void_note_and_edit_offline_then_sync(browser, pwa_server, factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(participant)
    kept = factory.goal(period, title="Kassatyöt sujuvat")
    wrong = factory.goal(period, title="Väärä tavoite")
    rnd = factory.assessment_round(period, date(2026, 10, 1))
    factory.assessment(kept, rating=3, round=rnd)
    event = factory.event(coach.organization, date(2026, 11, 5), title="Työkohtaamo")
    db.session.commit()
    url = pwa_server.url
    ids = {"period": period.id, "wrong": wrong.id, "round": rnd.id, "event": event.id}

    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    open_app(page, url, coach.email)
    set_offline(context, pwa_server, True)
    problems = {}

    def check(name):
        if found := violations(page):
            problems[name] = found

    # Delete a goal: a confirm step, then it is gone.
    page.goto(f"{url}/app/periods/{ids['period']}")
    page.locator(f"#goal-{ids['wrong']}").get_by_role("link", name="Poista").click()
    expect(page.get_by_role("heading", name="Poistetaanko?")).to_be_visible()
    expect(page.get_by_text("Väärä tavoite")).to_be_visible()
    check("confirm")
    page.get_by_role("button", name="Kyllä, poista").click()
    expect(page.get_by_role("heading", name="Osapuolet ja tiedot")).to_be_visible()
    expect(page.get_by_text("Väärä tavoite")).to_have_count(0)
    expect(page.get_by_text("Kassatyöt sujuvat")).to_be_visible()

    # Void the round with a reason.
    page.goto(f"{url}/app/rounds/{ids['round']}")
    page.get_by_role("link", name="Mitätöi kierros").click()
    check("void")
    page.get_by_label("Mitätöinnin syy").fill("Kirjattu väärälle asiakkaalle")
    page.get_by_role("button", name="Mitätöi", exact=True).click()
    expect(page.get_by_text("Kirjattu väärälle asiakkaalle")).to_be_visible()
    check("voided round")

    # A note on the period, then a correction of it.
    page.goto(f"{url}/app/periods/{ids['period']}")
    page.get_by_label("Muistiinpano", exact=True).fill("Soitin työnantajalle")
    page.get_by_role("button", name="Lisää muistiinpano").click()
    expect(page.get_by_text("Soitin työnantajalle")).to_be_visible()
    page.locator(".note").get_by_role("link", name="Korjaa").click()
    check("correction")
    page.get_by_label("Muistiinpano", exact=True).fill("Soitin työnantajalle ja asiakkaalle")
    page.get_by_role("button", name="Tallenna korjaus").click()
    expect(page.get_by_text("korjattu myöhemmin")).to_be_visible()
    check("notes")

    # Edit the event's place.
    page.goto(f"{url}/app/events/{ids['event']}")
    page.get_by_role("link", name="Muokkaa tapahtumaa").click()
    page.get_by_label("Paikka").fill("Pääkirjasto")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Pääkirjasto")).to_be_visible()
    check("event")

    set_offline(context, pwa_server, False)
    sync_now(page, url)
    context.close()
    assert not problems, problems

    db.session.remove()
    assert db.session.get(Goal, ids["wrong"]).deleted
    voided = db.session.get(AssessmentRound, ids["round"])
    assert (voided.void_reason, voided.deleted) == ("Kirjattu väärälle asiakkaalle", False)
    notes = db.session.scalars(select(Note).order_by(Note.created_at)).all()
    assert [n.body for n in notes] == [
        "Soitin työnantajalle",
        "Soitin työnantajalle ja asiakkaalle",
    ]
    assert notes[1].corrects_id == notes[0].id and notes[0].period_id == ids["period"]
    assert db.session.get(MeetingEvent, ids["event"]).place == "Pääkirjasto"
