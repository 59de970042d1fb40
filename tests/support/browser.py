"""Helpers for the PWA browser tests: log in, wait for the service worker,
sync on demand, accessibility checks with axe-core, and a live server that
can be stopped and started again on the same port (the app's origin, and so
its service worker and IndexedDB, must stay the same across the restart)."""

import socket
import threading
import time
from pathlib import Path

from playwright.sync_api import Error, Page, expect
from werkzeug.serving import make_server

from tests.support.factories import PASSWORD

SW_TIMEOUT_S = 20

AXE = next((Path(__file__).parents[1] / "e2e" / "vendor").glob("axe-*.min.js")).read_text("utf-8")
RUN_AXE = """() => axe.run(document, {resultTypes: ["violations"]}).then((r) =>
  r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))})))"""


def wait_for_service_worker(page: Page) -> None:
    """Poll until the service worker controls the page (the first load is
    not controlled; the app reloads itself once the worker has claimed it).
    Polled from Python: wait_for_function would need eval, which the CSP forbids."""
    deadline = time.monotonic() + SW_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
                page.wait_for_load_state()
                return
        except Error:
            pass  # the page reloaded while we asked
        time.sleep(0.1)
    raise AssertionError("the service worker never took control of the page")


def open_app(page: Page, base_url: str, email: str) -> None:
    """Log in with the server's form, then open the app and wait until it runs offline-ready."""
    page.goto(base_url + "/login?next=/app/")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url("**/app/**")
    wait_for_service_worker(page)
    expect(page.get_by_role("heading", name="Asiakkaani")).to_be_visible(timeout=15000)


def sync_now(page: Page, base_url: str) -> None:
    """Sync through the app's own button and wait until nothing is pending."""
    page.goto(base_url + "/app/sync")
    page.get_by_role("button", name="Synkronoi nyt").click()
    page.wait_for_url("**/app/sync?result=*")
    expect(page.get_by_text("Synkronointi valmis.")).to_be_visible()
    expect(page.get_by_test_id("pending-count")).to_have_text("0")


def violations(page: Page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.wait_for_load_state()
    # Evaluated through DevTools, not a <script>: the app's CSP allows no inline code.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE)
    found = page.evaluate(RUN_AXE)
    return [v for v in found if v["impact"] in ("serious", "critical")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


class RestartableServer:
    """The app in a thread on a fixed localhost port; stop() and start() again."""

    def __init__(self, app, port: int):
        self.app = app
        self.network = Network(app.wsgi_app)
        self.port = port
        self.url = f"http://localhost:{port}"
        self.server = None
        self.thread = None

    def start(self):
        self.server = make_server("localhost", self.port, self.network, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)
            self.server = None


class Network:
    """WSGI middleware standing for the network between the phone and the server.

    `offline`: every request dies unanswered, as over a dead link. The browser
    is taken offline too (context.set_offline); this makes sure nothing gets
    through either when Chromium starts a service worker or fires Background
    Sync before the emulated offline state reaches it.
    `drop_next_push`: the next push is merged and committed, then the test
    stops the server and the connection dies without an answer, as when a
    server goes down in the middle of a sync.
    `unavailable`: paths answered 503, as by a server busy with them.
    """

    def __init__(self, app):
        self.app = app
        self.offline = False
        self.unavailable = set()
        self.drop_next_push = False
        self.pushed = threading.Event()
        self.release = threading.Event()

    def __call__(self, environ, start_response):
        if self.offline:
            _hang_up(environ)
        if environ.get("PATH_INFO") in self.unavailable:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"busy"]
        if self.drop_next_push and environ.get("PATH_INFO") == "/api/sync/push":
            self.drop_next_push = False
            answer = self.app(environ, lambda *args, **kwargs: None)
            b"".join(answer)  # the push runs and commits
            if hasattr(answer, "close"):
                answer.close()
            self.pushed.set()
            self.release.wait(timeout=20)
            _hang_up(environ)
        return self.app(environ, start_response)


def _hang_up(environ):
    connection = environ["werkzeug.socket"]
    connection.shutdown(socket.SHUT_RDWR)
    connection.close()
    raise ConnectionAbortedError("no network")  # werkzeug treats it as a dropped connection


def set_offline(context, server, offline: bool) -> None:
    server.network.offline = offline
    context.set_offline(offline)


class LiveServer:
    """The app in a thread on localhost, on a free port."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("localhost", 0, app, threaded=True)
        self.url = f"http://localhost:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)
