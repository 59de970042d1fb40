"""axe-core on every desk, portal and admin page (WCAG 2.1 AA: no serious or
critical finding), found by following each role's links over the demo
organization; the pages fit 200 % zoom (a 1280 px window zoomed is 640 CSS px)
without sideways scrolling; a caseload moves with the keyboard alone."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from server.demo import DEMO_PASSWORD, load_demo
from tests.support.browser import violations

pytestmark = pytest.mark.e2e

ROLES = {
    "supervisor": "anu.korhonen@polku.example",
    "coach": "sanna.virtanen@polku.example",  # lands in the app: the desk starts at /coach
    "admin": "pekka.laine@polku.example",
    "employer_rep": "jari.makela@puutarha.example",
}
# Files, the app itself (its own test), leaving: not pages to check.
_SKIP = re.compile(r"\.(csv|json)$|^/app|^/logout|^/static")
_ID = re.compile(r"/([0-9a-f]{8}-[0-9a-f-]{27}|\d+)(?=/|$)")
MAX_PAGES = 70
# Pages each crawl must have reached (so a broken link cannot shrink the check).
EXPECTED = {
    "supervisor": {
        "/review/caseload?",
        "/review/periods/{id}?",
        "/handover/periods/{id}?version,version=employer",
        "/outcomes/?",
        "/audit/?",
    },
    "coach": {"/participants/{id}?", "/handover/periods/{id}?version,version=employee"},
    "admin": {"/admin/users?", "/admin/keys?", "/subjects/?"},
    "employer_rep": {"/employer?", "/employer/handover/{id}?", "/employer/demonstrations/{id}?"},
}
WIDEST = """() => [...document.querySelectorAll("main *")]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
  .slice(0, 5).map((e) => e.tagName + "." + e.className)"""


@pytest.fixture
def db_backend():
    return "sqlite"


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo()


def login(page: Page, url: str, email: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_load_state()


def _kind(path: str, query: str) -> str:
    """One visit per kind of page: ids and query values do not make a new kind."""
    keys = sorted(p.split("=")[0] for p in query.split("&") if p)
    versions = re.findall(r"version=\w+", query)
    return _ID.sub("/{id}", path) + "?" + ",".join(keys + versions)


def crawl(page: Page, url: str) -> dict[str, list]:
    """Every kind of page reachable by links from where the login lands."""
    queue, seen, problems = [page.url], set(), {}
    while queue and len(seen) < MAX_PAGES:
        address = queue.pop(0)
        parts = urlsplit(address)
        kind = _kind(parts.path, parts.query)
        if kind in seen:
            continue
        seen.add(kind)
        page.goto(address)
        if found := violations(page):
            problems[parts.path + "?" + parts.query] = found
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urlsplit(href)
            if href.startswith(url) and not _SKIP.search(target.path) and not target.fragment:
                queue.append(href)
    assert len(seen) > 3, seen
    return problems, seen


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_a_role_passes_axe(browser, live_server, demo, role):
    context = browser.new_context()
    page = context.new_page()
    login(page, live_server.url, ROLES[role])
    if role == "coach":
        page.goto(live_server.url + "/coach")
    problems, seen = crawl(page, live_server.url)
    context.close()
    assert not problems, problems
    assert EXPECTED[role] <= seen, EXPECTED[role] - seen


def test_login_and_error_pages_pass_axe(browser, live_server, demo):
    page = browser.new_context().new_page()
    page.goto(live_server.url + "/login")
    page.get_by_role("button", name="Kirjaudu", exact=True).click()  # an empty form: errors
    assert violations(page) == []
    page.goto(live_server.url + "/no-such-page")
    assert violations(page) == []


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("supervisor", "/review/"),
        ("supervisor", "/review/periods"),
        ("supervisor", "/review/caseload"),
        ("supervisor", "/outcomes/"),
        ("supervisor", "/audit/"),
        ("employer_rep", "/employer"),
        ("admin", "/admin/users"),
        ("admin", "/admin/keys"),
        ("admin", "/subjects/"),
        ("supervisor", "/devices/"),
        ("employer_rep", "/employer/keys"),
    ],
)
def test_desk_pages_fit_200_percent_zoom(browser, live_server, demo, role, path):
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page = context.new_page()
    login(page, live_server.url, ROLES[role])
    page.goto(live_server.url + path)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(WIDEST) if overflow > 0 else []
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 200 %: {wide}"
    assert violations(page) == []
    context.close()


def test_a_caseload_moves_with_the_keyboard_alone(browser, live_server, demo):
    page = browser.new_context().new_page()
    login(page, live_server.url, ROLES["supervisor"])
    page.goto(live_server.url + "/review/caseload")
    # Tab to the participant list, choose with the arrow keys, on to the coach, then Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "participant":
            break
    page.keyboard.press("ArrowDown")  # Anttila, Sofia: Mikko Heikkinen's
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "to_coach"
    page.keyboard.press("ArrowDown")  # Mikko Heikkinen again: refused
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Uusi valmentaja: valitse eri valmentaja")
    # The summary has the focus; its link takes the keyboard to the field.
    assert page.evaluate("() => document.activeElement.className") == "error-summary"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "to_coach"
    page.keyboard.press("ArrowDown")  # Sanna Virtanen
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Siirretty 1 asiakasta valmentajalle Sanna Virtanen.")).to_be_visible()
