"""Issue 5 in the coach's app: a representative registers a security key
online; the coach's app syncs (signers and nonces with the records); offline,
the coach hands the device over, the representative reads the demonstration,
picks their name and signs with the key (PIN verified); nothing else of the
caseload can be reached until the coach's PIN; back online the sign-off syncs,
the server verifies it and the supervisor sees it verified."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, EmployerContactPerson, SignOff
from tests.support.browser import set_offline, sync_now, violations
from tests.support.browser_signoff import (
    PIN,
    expect_locked,
    hand_over,
    log_in,
    ready_device,
    unlock,
)
from tests.support.factories import PASSWORD
from tests.support.signoff import scene

pytestmark = pytest.mark.e2e

NEW_PIN = "975318"


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


@pytest.fixture
def server(app, pwa_server):
    # The app's origin is the live server's: what WebAuthn binds signatures to.
    app.config["WEBAUTHN_ORIGIN"] = pwa_server.url
    return pwa_server


@pytest.fixture
def world(app, factory):
    return scene(app, factory, with_key=False)


def sign_as(page: Page, name: str) -> None:
    page.get_by_label(name).check()
    page.get_by_role("button", name="Allekirjoita", exact=True).click()


def signoffs() -> list[SignOff]:
    db.session.expire_all()
    return list(db.session.scalars(select(SignOff)))


def test_signed_offline_in_hand_over_mode_and_verified_after_sync(browser, server, world):
    url, demo_id = server.url, world.demo.id
    context = browser.new_context()
    page = context.new_page()
    ready_device(page, url, world)

    set_offline(context, server, True)
    hand_over(page, url, world)
    # Only the demonstration, and only the representatives with a key.
    main = page.get_by_role("main")
    expect(main).to_contain_text("Aino Lähteenmäki")
    expect(main).to_contain_text("Puutarha Mäkelä Oy")
    expect(main.get_by_role("listitem")).to_have_count(2)
    expect(main).to_contain_text("Kastelu ja lannoitus")
    expect(main).to_contain_text("Suosittelemme palkkaamista kesäkaudeksi.")
    expect(page.get_by_label("Eeva Mäkelä")).to_have_count(0)

    # The caseload cannot be reached: the back button (to the PIN setup, then
    # to the demonstration's page), typed addresses.
    page.go_back()
    expect_locked(page)
    page.go_back()
    expect_locked(page)
    page.goto(f"{url}/app/")
    expect_locked(page)
    page.goto(f"{url}/app/participants/{world.participant.id}")
    expect_locked(page)

    sign_as(page, "Jari Mäkelä")
    expect(
        page.get_by_text("Allekirjoitettu. Kiitos! Anna laite takaisin valmentajalle.")
    ).to_be_visible()
    page.goto(f"{url}/app/sync")
    expect(page.get_by_text("Allekirjoitettu. Kiitos!")).to_be_visible()

    # A wrong PIN, a reload and a new tab keep the lock.
    unlock(page, "111111")
    expect(page.get_by_text("Väärä PIN-koodi.")).to_be_visible()
    page.reload()
    expect_locked(page)
    tab = context.new_page()
    tab.goto(f"{url}/app/")
    expect_locked(tab)
    tab.close()

    unlock(page, PIN)
    expect(page.get_by_test_id("signoff-status")).to_have_text(
        "Allekirjoitettu tällä laitteella, tarkistetaan synkronoinnissa"
    )
    assert page.url.endswith(f"/app/demonstrations/{demo_id}")
    assert signoffs() == [], "offline: nothing reached the server"

    set_offline(context, server, False)
    sync_now(page, url)
    [signoff] = signoffs()
    assert (signoff.verification_status, signoff.verification_reason) == ("verified", None)
    jari = db.session.scalar(select(EmployerContactPerson).filter_by(user_id=world.rep.id))
    assert signoff.representative_id == jari.id
    page.goto(f"{url}/app/demonstrations/{demo_id}")
    expect(page.get_by_test_id("signoff-status")).to_have_text("Allekirjoitus vahvistettu")
    expect(page.get_by_text("Allekirjoittaja Jari Mäkelä")).to_be_visible()
    expect(page.get_by_role("button", name="Anna työnantajan allekirjoitettavaksi")).to_have_count(
        0
    )
    context.close()

    office = browser.new_context()
    desk = office.new_page()
    log_in(desk, url, world.supervisor.email)
    desk.goto(f"{url}/review/periods/{world.period.id}")
    expect(desk.get_by_text("Allekirjoitus vahvistettu").first).to_be_visible()
    office.close()


def test_without_user_verification_signing_fails_on_the_device_and_can_be_retried(
    browser, server, world
):
    url = server.url
    context = browser.new_context()
    page = context.new_page()
    key = ready_device(page, url, world)
    hand_over(page, url, world)
    key.user_verified(False)  # the key's PIN not given
    sign_as(page, "Jari Mäkelä")
    expect(page.get_by_role("alert")).to_have_text(
        "Allekirjoitus ei onnistunut: se peruttiin, aika loppui tai avainta ei tunnistettu. "
        "Yritä uudelleen."
    )
    expect_locked(page)
    key.user_verified(True)
    sign_as(page, "Jari Mäkelä")
    expect(page.get_by_text("Allekirjoitettu. Kiitos!")).to_be_visible()
    context.close()


def test_cancelled_by_the_employer_back_to_the_pin_no_signoff(browser, server, world):
    url = server.url
    context = browser.new_context()
    page = context.new_page()
    ready_device(page, url, world)
    hand_over(page, url, world)
    page.get_by_role("button", name="Peruuta, en allekirjoita").click()
    expect(
        page.get_by_text("Ei allekirjoitettu. Anna laite takaisin valmentajalle.")
    ).to_be_visible()
    unlock(page, PIN)
    expect(page.get_by_test_id("signoff-status")).to_have_text("Ei allekirjoitettu")
    sync_now(page, url)
    assert signoffs() == []
    context.close()


def test_a_forgotten_pin_the_coachs_password_takes_the_device_back(browser, server, world):
    url, demo_id = server.url, world.demo.id
    context = browser.new_context()
    page = context.new_page()
    ready_device(page, url, world)
    hand_over(page, url, world)
    page.get_by_role("button", name="Peruuta, en allekirjoita").click()
    page.get_by_role("link", name="Unohtuiko PIN-koodi?").click()
    expect(page.get_by_role("heading", name="Unohtunut PIN-koodi")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Sanna Virtanen")
    password = page.get_by_label("Valmentajan salasana")
    check = page.get_by_role("button", name="Tarkista salasana ja avaa")

    # Offline the password cannot be checked, and the screen says so.
    set_offline(context, server, True)
    password.fill(PASSWORD)
    check.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Ei verkkoyhteyttä. Salasana tarkistetaan palvelimella, joten tähän tarvitaan verkkoyhteys."
    )
    set_offline(context, server, False)

    password.fill("väärä salasana")
    check.click()
    expect(page.get_by_text("Väärä salasana.")).to_be_visible()
    expect(password).to_have_attribute("aria-invalid", "true")
    page.goto(f"{url}/app/")
    expect_locked(page)

    page.get_by_role("link", name="Unohtuiko PIN-koodi?").click()
    password.fill(PASSWORD)
    check.click()
    expect(page.get_by_role("heading", name="Aseta uusi PIN-koodi")).to_be_visible()
    page.get_by_label("PIN-koodi (6–12 numeroa)").fill(NEW_PIN)
    page.get_by_label("PIN-koodi uudelleen").fill(NEW_PIN)
    page.get_by_role("button", name="Aseta PIN-koodi", exact=True).click()
    expect(page.get_by_test_id("signoff-status")).to_have_text("Ei allekirjoitettu")
    assert urlsplit(page.url).path == f"/app/demonstrations/{demo_id}"

    # The next hand-over asks for no PIN, and only the new one ends it.
    hand_over(page, url, world, first_time=False)
    page.get_by_role("button", name="Peruuta, en allekirjoita").click()
    unlock(page, PIN)
    expect(page.get_by_text("Väärä PIN-koodi.")).to_be_visible()
    unlock(page, NEW_PIN)
    expect(page.get_by_test_id("signoff-status")).to_have_text("Ei allekirjoitettu")
    context.close()

    db.session.expire_all()
    attempts = db.session.execute(
        select(AuditEvent.action, AuditEvent.user_id)
        .where(AuditEvent.action.startswith("device_owner_"))
        .order_by(AuditEvent.id)
    ).all()
    coach = world.coach.id
    assert [tuple(row) for row in attempts] == [
        ("device_owner_failed", coach),
        ("device_owner_verified", coach),
    ]


def test_hand_over_screens_are_accessible_on_a_phone(browser, server, world):
    url = server.url
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    ready_device(page, url, world)
    problems = {}

    def check(screen: str) -> None:
        if found := violations(page):
            problems[screen] = found
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{screen} is {width} px wide on a 360 px phone"

    page.goto(f"{url}/app/demonstrations/{world.demo.id}")
    check("demonstration with its sign-off")
    page.get_by_role("button", name="Anna työnantajan allekirjoitettavaksi").click()
    expect(page.get_by_role("heading", name="Aseta laitteen PIN-koodi")).to_be_visible()
    check("PIN setup")
    page.get_by_label("PIN-koodi (6–12 numeroa)").fill(PIN)
    page.get_by_label("PIN-koodi uudelleen").fill(PIN)
    page.get_by_role("button", name="Aseta PIN-koodi ja anna laite").click()
    expect_locked(page)
    check("sign")
    page.get_by_role("button", name="På svenska").click()
    expect(page.get_by_role("heading", name="Underskrift av arbetsprovet")).to_be_visible()
    page.get_by_role("button", name="Avbryt, jag undertecknar inte").click()
    expect(page.get_by_text("Inte undertecknat.")).to_be_visible()
    check("unlock")
    page.get_by_role("link", name="Glömt PIN-koden?").click()
    expect(page.get_by_role("heading", name="Glömd PIN-kod")).to_be_visible()
    check("forgotten PIN")
    assert not problems, problems
    context.close()
