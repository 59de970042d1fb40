"""Re-signing after an edit (issue 14), end to end in the coach's app.

A demonstration is signed and verified. The coach changes the
recommendation: the signed content is frozen, so the server keeps the edit as
a "signed" conflict and the demonstration needs a new sign-off; the app and
the desk say so, and the app shows the change waiting for a signature. The
employer signs the new content in hand-over mode; the server accepts that
signature as settling the conflict. Both signatures, and the content the
first one covered, stay visible at the desk."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from server.extensions import db
from server.models import Conflict, SignOff, WorkDemonstration
from tests.support.browser import sync_now, violations
from tests.support.browser_signoff import PIN, hand_over, log_in, ready_device, unlock
from tests.support.signoff import scene

pytestmark = pytest.mark.e2e

NEW = "Suosittelemme vakituista työsuhdetta."


@pytest.fixture
def db_backend():
    return "sqlite"  # the browser path does not depend on the database


@pytest.fixture
def server(app, pwa_server):
    app.config["WEBAUTHN_ORIGIN"] = pwa_server.url
    return pwa_server


@pytest.fixture
def world(app, factory):
    return scene(app, factory, with_key=False)


def sign_and_hand_back(page: Page) -> None:
    page.get_by_label("Jari Mäkelä").check()
    page.get_by_role("button", name="Allekirjoita", exact=True).click()
    expect(page.get_by_text("Allekirjoitettu. Kiitos!")).to_be_visible()
    unlock(page, PIN)


def test_edit_after_signing_then_the_employer_signs_the_new_content(browser, server, world):
    url, demo_id = server.url, world.demo.id
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    ready_device(page, url, world)
    problems = {}

    def check(screen: str) -> None:
        if found := violations(page):
            problems[screen] = found

    # Signed and verified.
    hand_over(page, url, world)
    sign_and_hand_back(page)
    sync_now(page, url)
    page.goto(f"{url}/app/demonstrations/{demo_id}")
    status = page.get_by_test_id("signoff-status")
    expect(status).to_have_text("Allekirjoitus vahvistettu")

    # The coach edits the recommendation; the sync makes it a "signed" conflict.
    page.get_by_role("textbox", name="Suositus").fill(NEW)
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(status).to_have_text("Vaatii uuden allekirjoituksen")
    sync_now(page, url)
    db.session.expire_all()
    demo = db.session.get(WorkDemonstration, demo_id)
    assert (demo.status, demo.recommendation) == (
        "needs_new_signoff",
        "Suosittelemme palkkaamista kesäkaudeksi.",
    )
    page.goto(f"{url}/app/demonstrations/{demo_id}")
    expect(status).to_have_text("Vaatii uuden allekirjoituksen")
    waiting = page.get_by_test_id("awaiting-signature")
    expect(waiting).to_contain_text(f"Suositus: {NEW}")
    check("demonstration awaiting a new signature")

    # The conflict list does not offer the new value (it would only conflict
    # again): it leads to the hand-over, or back to the signed value.
    page.goto(f"{url}/app/conflicts")
    expect(page.get_by_role("main")).to_contain_text(NEW)
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("button", name="Palaa allekirjoitettuun arvoon")).to_be_visible()
    check("signed conflict")
    page.get_by_role("link", name="Anna työnantajan allekirjoittaa uusi sisältö").click()
    expect(status).to_have_text("Vaatii uuden allekirjoituksen")

    # The desk says so too.
    office = browser.new_context()
    desk = office.new_page()
    log_in(desk, url, world.supervisor.email)
    desk.goto(f"{url}/review/periods/{world.period.id}")
    expect(desk.get_by_text("Vaatii uuden allekirjoituksen").first).to_be_visible()

    # The employer signs the new content, read on the hand-over screen.
    hand_over(page, url, world, first_time=False)
    expect(page.get_by_role("main")).to_contain_text(NEW)
    check("hand-over with the new content")
    sign_and_hand_back(page)  # online: the app syncs it at once
    sync_now(page, url)
    page.goto(f"{url}/app/demonstrations/{demo_id}")
    expect(status).to_have_text("Allekirjoitus vahvistettu")
    expect(page.get_by_role("textbox", name="Suositus")).to_have_value(NEW)
    expect(page.get_by_test_id("awaiting-signature")).to_have_count(0)
    page.goto(f"{url}/app/conflicts")
    expect(page.get_by_text("Ei avoimia ristiriitoja.")).to_be_visible()

    db.session.expire_all()
    demo = db.session.get(WorkDemonstration, demo_id)
    assert (demo.status, demo.recommendation) == ("signed", NEW)
    assert [s.verification_status for s in db.session.scalars(select(SignOff))] == [
        "verified",
        "verified",
    ]
    (conflict,) = db.session.scalars(select(Conflict)).all()
    assert conflict.status == "resolved" and conflict.resolution["value"] == NEW

    # The desk: both signatures, the first one's content kept and marked as changed since.
    desk.goto(f"{url}/review/periods/{world.period.id}")
    expect(desk.get_by_text("Allekirjoittaja", exact=True)).to_have_count(2)
    expect(desk.get_by_text("Sisältöä muutettu allekirjoituksen jälkeen")).to_be_visible()
    expect(desk.get_by_text("Sisältö sama kuin allekirjoitettu")).to_be_visible()
    page_check = violations(desk)
    if page_check:
        problems["desk period page"] = page_check
    office.close()
    context.close()
    assert not problems, problems
