"""Signing in Chromium: the virtual authenticator (a security key with a PIN,
through the DevTools protocol), logging in and out of the server's pages, a
representative registering a key at /employer/keys, and the coach's steps of
hand-over mode in the app. The scene to sign is tests/support/signoff.py's."""

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.support.browser import open_app, sync_now
from tests.support.factories import PASSWORD

PIN = "246813"
HANDOVER_TITLE = "Työnäytön allekirjoitus"


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


def ready_device(page: Page, url: str, world) -> VirtualKey:
    """The representative's key registered online; the coach's app synced since."""
    key = VirtualKey(page)
    register_key(page, url, world.rep, "Sininen YubiKey")
    open_app(page, url, world.coach.email)
    sync_now(page, url)  # the signers with their keys, and the nonce pool
    return key


def hand_over(page: Page, url: str, world, first_time: bool = True) -> None:
    page.goto(f"{url}/app/demonstrations/{world.demo.id}")
    page.get_by_role("button", name="Anna työnantajan allekirjoitettavaksi").click()
    if first_time:
        expect(page.get_by_role("heading", name="Aseta laitteen PIN-koodi")).to_be_visible()
        page.get_by_label("PIN-koodi (6–12 numeroa)").fill(PIN)
        page.get_by_label("PIN-koodi uudelleen").fill(PIN)
        page.get_by_role("button", name="Aseta PIN-koodi ja anna laite").click()
    expect(page.get_by_role("heading", name=HANDOVER_TITLE)).to_be_visible()


def expect_locked(page: Page) -> None:
    expect(page.get_by_role("heading", name=HANDOVER_TITLE)).to_be_visible()
    assert urlsplit(page.url).path == "/app/handover"
    expect(page.get_by_role("navigation")).to_have_count(0)


def unlock(page: Page, pin: str) -> None:
    page.get_by_label("Valmentajan PIN-koodi").fill(pin)
    page.get_by_role("button", name="Avaa").click()
