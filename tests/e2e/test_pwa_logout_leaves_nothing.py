"""After the coach logs out of the app, nothing of a participant is left in
the browser's caches: not in Cache Storage (the app's shell cache) and not in
the HTTP disk cache (sync pulls, the server's own pages), which is looked at
in the browser profile's files once the browser has closed."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.browser import open_app

pytestmark = pytest.mark.e2e

NAME = "Lehtonen-Kivimäki"
GOAL = "Unirytmi kuntoon ennen kevättä"

# Every Cache Storage entry whose body holds one of `needles`.
FIND_IN_CACHE_STORAGE = """async (needles) => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const body = await (await cache.match(request)).text();
      for (const needle of needles) {
        if (body.includes(needle)) found.push([name, request.url, needle]);
      }
    }
  }
  return found;
}"""


@pytest.fixture
def db_backend():
    return "sqlite"


def files_holding(folder: Path, needles: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [(str(path), n) for n in needles if n.encode() in data]
    return found


def test_after_logout_no_participant_data_is_in_the_browsers_caches(
    browser_type, browser_type_launch_args, pwa_server, factory, tmp_path
):
    coach = factory.user("coach", name="Sanna Virtanen")
    aino = factory.participant(coach, first_name="Aino", last_name=NAME)
    factory.goal(factory.period(aino), "wellbeing", title=GOAL)
    url, aino_id = pwa_server.url, aino.id
    profile = tmp_path / "profile"
    context = browser_type.launch_persistent_context(profile, **browser_type_launch_args)
    page = context.new_page()
    open_app(page, url, coach.email)  # the app pulled the caseload
    expect(page.get_by_text(f"Aino {NAME}")).to_be_visible()
    # The server's pages with the same data, in the same browser.
    page.goto(f"{url}/participants/{aino_id}")
    expect(page.get_by_text(GOAL)).to_be_visible()
    page.goto(f"{url}/coach")
    expect(page.get_by_text(NAME)).to_be_visible()

    page.goto(f"{url}/app/")
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_text("Olet kirjautunut ulos.")).to_be_visible()
    assert page.evaluate(FIND_IN_CACHE_STORAGE, [NAME, GOAL]) == []
    context.close()

    default = profile / "Default"
    assert (default / "Cache").is_dir(), "the profile has an HTTP disk cache"
    assert files_holding(default / "Cache", [NAME, GOAL]) == []
    assert files_holding(default / "Service Worker" / "CacheStorage", [NAME, GOAL]) == []
