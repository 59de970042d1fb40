"""Helpers of the sign-off browser tests: Chromium's virtual authenticator (a
security key with a PIN, through the DevTools protocol), a coach's caseload
with a demonstration to sign, logging in and out of the server's pages, and a
representative registering a key at /employer/keys."""

from datetime import date

from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import DemonstrationTask
from tests.factories import PASSWORD


class VirtualKey:
    """A security key with a PIN, plugged into the browser."""

    def __init__(self, page: Page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable")
        self.id = self.cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "usb",
                    "hasResidentKey": False,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )["authenticatorId"]

    def user_verified(self, verified: bool) -> None:
        self.cdp.send(
            "WebAuthn.setUserVerified", {"authenticatorId": self.id, "isUserVerified": verified}
        )


def signoff_world(factory) -> dict:
    """A coach's participant with a finished demonstration at an employer with
    two representatives (the tests give keys to whom they need)."""
    org = factory.organization()
    coach = factory.user("coach", organization=org, name="Sanna Virtanen")
    supervisor = factory.user("supervisor", organization=org, name="Anu Korhonen")
    employer = factory.employer(org, name="Puutarha Mäkelä Oy")
    rep = factory.representative(employer, name="Jari Mäkelä")
    colleague = factory.representative(employer, name="Eeva Mäkelä")
    participant = factory.participant(coach, first_name="Aino", last_name="Lähteenmäki")
    period = factory.period(participant, employer)
    demo = factory.demonstration(
        participant,
        employer,
        period_id=period.id,
        title="Työnäyttö: kasvihuonetyö",
        demonstration_date=date(2026, 10, 15),
        overall_result="passed",
        recommendation="Suosittelemme palkkaamista kesäkaudeksi.",
    )
    for position, task in enumerate(["Taimien koulinta", "Kastelu ja lannoitus"]):
        db.session.add(
            DemonstrationTask(
                demonstration_id=demo.id,
                position=position,
                task=task,
                criteria="Työ sujuu ohjeen mukaan, työturvallisuus huomioiden",
                result="met",
            )
        )
    db.session.commit()
    return {
        "coach": coach,
        "supervisor": supervisor,
        "rep": rep,
        "colleague": colleague,
        "participant": participant,
        "period": period,
        "demo": demo,
    }


def log_in(page: Page, base: str, email: str, next_page: str = "") -> None:
    page.goto(base + "/login" + (f"?next={next_page}" if next_page else ""))
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_load_state()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_text("Olet kirjautunut ulos.")).to_be_visible()


def register_key(page: Page, base: str, user, label: str) -> None:
    """The representative registers the plugged-in key on their page, online."""
    log_in(page, base, user.email)
    page.goto(base + "/employer/keys")
    page.get_by_label("Avaimen nimi").fill(label)
    page.get_by_role("button", name="Rekisteröi turva-avain (suositus)").click()
    expect(page.get_by_text(f"Avain {label} on rekisteröity.")).to_be_visible()
    log_out(page)
