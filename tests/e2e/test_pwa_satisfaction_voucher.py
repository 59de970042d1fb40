"""Seed 001 and 003 on the phone: the new employee's and the employer's
satisfaction, the employer's given by the representative on the hand-over
screen in their own language; and a coaching voucher requested offline,
decided by the server's rules on reconnect, its answer shown on the phone."""

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.extensions import db
from server.models import CoachingVoucher, SatisfactionAnswer, User
from server.vouchers import rules
from tests.support.browser import open_app, set_offline, sync_now, violations

pytestmark = pytest.mark.e2e

PIN = "246813"
END = date(2026, 3, 31)


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


@pytest.fixture
def world(factory):
    coach = factory.user("coach", name="Sanna Virtanen")
    employer = factory.employer(coach.organization, name="Satama Oy")
    participant = factory.participant(coach, first_name="Aino", last_name="Lehtonen")
    period = factory.period(
        participant, employer, start_date=date(2026, 1, 2), end_date=END, phase="ended"
    )
    factory.assessment_round(period, END, is_final=True)
    other = factory.participant(coach, first_name="Eero", last_name="Mäki")
    unready = factory.period(other, employer, start_date=date(2026, 1, 2), phase="active")
    supervisor = factory.user("supervisor", organization=coach.organization)
    return {
        "coach": coach.email,
        "period": period.id,
        "unready": unready.id,
        "supervisor": supervisor.id,
    }


def axe(page, screen, problems):
    if found := violations(page):
        problems[screen] = found


def test_the_employer_answers_on_the_hand_over_screen(browser, pwa_server, world):
    url, problems = pwa_server.url, {}
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    open_app(page, url, world["coach"])
    page.goto(f"{url}/app/periods/{world['period']}")
    section = page.get_by_role("region", name="Tyytyväisyys")
    expect(section).to_contain_text("Ei vielä vastauksia.")
    axe(page, "period page", problems)

    # The new employee answers with the coach.
    mine = section.locator("form[action$='/satisfaction']")
    mine.get_by_label("Ajankohta").select_option("end")
    mine.get_by_text("erittäin tyytyväinen", exact=True).click()
    mine.get_by_label("Kommentti").fill("Hyvä työpaikka")
    mine.get_by_role("button", name="Tallenna vastaus").click()
    expect(page.get_by_test_id("satisfaction-answers")).to_contain_text("Hyvä työpaikka")

    # The coach hands the device over; the representative reads in Swedish.
    theirs = page.locator("form[action$='/satisfaction/handover']")
    theirs.get_by_label("Ajankohta").select_option("end")
    theirs.get_by_role("button", name="Anna laite työnantajalle vastattavaksi").click()
    expect(page.get_by_role("heading", name="Aseta laitteen PIN-koodi")).to_be_visible()
    page.get_by_label("PIN-koodi (6–12 numeroa)").fill(PIN)
    page.get_by_label("PIN-koodi uudelleen").fill(PIN)
    page.get_by_role("button", name="Aseta PIN-koodi ja anna laite").click()
    expect(page.get_by_role("heading", name="Työnantajan tyytyväisyys")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)  # nothing leads to the caseload
    page.get_by_role("button", name="På svenska").click()
    expect(page.get_by_role("heading", name="Arbetsgivarens nöjdhet")).to_be_visible()
    expect(page.get_by_text("Aino Lehtonen")).to_be_visible()
    axe(page, "hand-over answer", problems)
    # Sent without a rating: the field says what is missing.
    page.get_by_role("button", name="Skicka svaret").click()
    page.get_by_text("nöjd", exact=True).click()
    page.get_by_label("Kommentar").fill("Bra arbetstagare")
    page.get_by_label("Ert namn (frivilligt)").fill("Saga Berg")
    page.get_by_role("button", name="Skicka svaret").click()
    expect(page.get_by_text("Tack för svaret! Ge tillbaka enheten till coachen.")).to_be_visible()
    axe(page, "hand-over thanks", problems)
    page.get_by_label("Coachens PIN-kod").fill(PIN)
    page.get_by_role("button", name="Lås upp").click()

    # Back with the coach, in Finnish: both answers on the period page.
    expect(page.get_by_role("heading", name="Tyytyväisyys")).to_be_visible()
    answers = page.get_by_test_id("satisfaction-answers")
    expect(answers).to_contain_text("Bra arbetstagare")
    expect(answers).to_contain_text("Saga Berg")
    axe(page, "period page with answers", problems)
    sync_now(page, url)
    assert problems == {}, problems

    db.session.remove()
    stored = db.session.scalars(select(SatisfactionAnswer).order_by(SatisfactionAnswer.party)).all()
    assert [(a.party, a.rating, a.moment) for a in stored] == [
        ("employer", 4, "end"),
        ("participant", 5, "end"),
    ]
    assert (stored[0].language, stored[0].respondent) == ("sv", "Saga Berg")
    assert stored[1].language == "fi"


def test_a_voucher_requested_offline_is_decided_on_reconnect(browser, pwa_server, world):
    url, problems = pwa_server.url, {}
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    open_app(page, url, world["coach"])

    # Not eligible yet: the server's reasons, and no request button.
    page.goto(f"{url}/app/periods/{world['unready']}")
    expect(page.get_by_test_id("voucher-status")).to_have_text("Ei vielä oikeutettu")
    reasons = page.get_by_test_id("voucher-reasons")
    expect(reasons).to_contain_text("loppuarviointikierros puuttuu")
    expect(reasons).to_contain_text("jakso ei ole päättynyt")
    expect(page.get_by_role("button", name="Hae valmennusseteliä")).to_have_count(0)

    page.goto(f"{url}/app/periods/{world['period']}")
    expect(page.get_by_test_id("voucher-status")).to_have_text("Oikeutettu")
    set_offline(context, pwa_server, True)
    page.get_by_role("button", name="Hae valmennusseteliä").click()
    expect(page.get_by_test_id("voucher-waiting")).to_contain_text("odottaa lähetystä")
    axe(page, "request queued", problems)
    db.session.remove()
    assert db.session.scalar(select(CoachingVoucher)) is None  # nothing reached the server

    set_offline(context, pwa_server, False)
    sync_now(page, url)
    page.goto(f"{url}/app/periods/{world['period']}")
    expect(page.get_by_test_id("voucher-status")).to_have_text("Haettu")
    expect(page.get_by_test_id("voucher-waiting")).to_have_count(0)

    # The supervisor rejects it at the desk; the reason reaches the phone.
    db.session.remove()
    voucher = db.session.scalar(select(CoachingVoucher))
    supervisor = db.session.get(User, world["supervisor"])
    rules.reject(db.session, voucher, supervisor, "Työsopimus puuttuu")
    db.session.commit()
    sync_now(page, url)
    page.goto(f"{url}/app/periods/{world['period']}")
    expect(page.get_by_test_id("voucher-status")).to_have_text("Hylätty")
    expect(page.get_by_test_id("voucher-rejection")).to_contain_text("Työsopimus puuttuu")
    axe(page, "voucher rejected", problems)
    assert problems == {}, problems
