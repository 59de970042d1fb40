"""The coach's app with years of records on the device, in headless Chromium.

For a device holding about 600, 5,000 and 20,000 records (--sizes; each
participant has a coaching period, an assessment round, four goals and
sixteen ratings: 23 records), on a phone viewport, unthrottled and at 4×
CPU throttling (CDP Emulation.setCPUThrottlingRate on the page and on the
service worker):

- restore: a fresh browser profile, the login submitted → the caseload shown
  (the first start registers the device and pulls everything first);
- offline cold start: a new browser process on the restored profile with the
  network really gone (the server's port refuses connections: Playwright's
  set_offline did not always reach a relaunched worker), to DOMContentLoaded;
  the server counts the requests that reached it meanwhile and must see none;
- a record's page (a participant), the caseload, and a goal edit saved → the
  period page it leads to (in-page fetch of the boosted post): offline,
  median of --runs.

Prints a table, the growth 600 → 20,000 and, last, one JSON line. The shell
size (every file the app needs offline, gzipped) is printed too.
`--quick` is a smoke run (one small size, unthrottled, one run).

    python bench/pwa_bench.py [--quick] [--runs 5] [--sizes 600,5000,20000]
"""

import argparse
import gzip
import json
import logging
import re
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import contextlib

from flask import request
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from server import create_app
from server.demo import load_demo
from server.extensions import db
from server.models import Assessment, AssessmentRound, CoachingPeriod, Goal, Participant, User

PWA = Path(__file__).resolve().parents[1] / "pwa"
COACH = "sanna.virtanen@polku.example"
PASSWORD = "polku-demo-2026"
AREAS = ("competence", "work_community", "working_life_skills", "wellbeing")
RATERS = ("participant", "employer", "work_community", "coach")
PER_PARTICIPANT = 23
PHONE = {"width": 390, "height": 844}
THROTTLES = [1, 4]


def shell_files() -> list[Path]:
    cached = re.findall(r'"/app/([^"]+)"', (PWA / "js" / "shell.js").read_text("utf-8"))
    worker = ["sw.js", *(str(p.relative_to(PWA)) for p in (PWA / "js").rglob("*.js"))]
    worker.append("vendor/" + next(p.name for p in (PWA / "vendor").glob("idb-*.js")))
    return [PWA / name for name in sorted(set(cached) | set(worker))]


def shell_size() -> dict:
    files = shell_files()
    raw = sum(p.stat().st_size for p in files)
    gzipped = sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)
    return {"files": len(files), "bytes": raw, "gzip_bytes": gzipped}


def add_caseload(count: int) -> dict:
    """`count` participants of the demo coach, written in bulk; the ids of one
    in the middle of the list (its period and a goal) for the page timings."""
    coach = db.session.scalar(db.select(User).where(User.email == COACH))
    rows, probe = [], {}
    for n in range(count):
        pid, period_id, round_id = (str(uuid.uuid4()) for _ in range(3))
        rows.append(
            Participant(
                id=pid,
                organization_id=coach.organization_id,
                coach_id=coach.id,
                first_name="Testi",
                last_name=f"Asiakas {n:05d}",
                municipality="Oulu",
                consent_given=True,
            )
        )
        rows.append(
            CoachingPeriod(
                id=period_id,
                participant_id=pid,
                coach_id=coach.id,
                measure_type="work_trial",
                phase="active",
                start_date=date(2026, 9, 1),
            )
        )
        rows.append(AssessmentRound(id=round_id, period_id=period_id, held_on=date(2026, 10, 1)))
        for area in AREAS:
            goal_id = str(uuid.uuid4())
            rows.append(
                Goal(id=goal_id, period_id=period_id, area=area, title=f"Tavoite {area} {n}")
            )
            for rater in RATERS:
                rows.append(Assessment(round_id=round_id, goal_id=goal_id, rater=rater, rating=3))
            if n == count // 2:
                probe = {"participant": pid, "period": period_id, "goal": goal_id}
        if len(rows) >= 50 * PER_PARTICIPANT:  # small flushes: the sync feed's hooks run per flush
            db.session.add_all(rows)
            db.session.commit()
            rows = []
    db.session.add_all(rows)
    db.session.commit()
    return probe


class Gate:
    """The browser's way to the server: a TCP forwarder whose port refuses
    connections once closed (really offline: nothing listens there)."""

    def __init__(self, target_port: int):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.open = set()
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.open |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self):
        # Kept-alive connections too: nothing may pass once the gate is shut.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
        self.listener.close()
        for s in list(self.open):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


def serve(tmp: Path, participants: int):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "SECRET_KEY": "bench-only",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    hits = {"count": 0}

    @app.before_request
    def count_request():
        hits["count"] += 1
        hits["last"] = request.path

    with app.app_context():
        db.create_all()  # the schema as the models say (faster than the migrations)
        load_demo()
        probe = add_caseload(participants)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits, probe


def wait_for_controller(page) -> None:
    for _ in range(600):
        try:
            if page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
                return
        except Exception:  # the page reloads itself once the worker has claimed it
            pass
        time.sleep(0.1)
    raise SystemExit("the service worker never took control")


def throttle(context, page, rate: int) -> None:
    """CPU throttling on the page and on the service worker (where the local
    server renders): the worker's target is attached through the page's CDP
    session, and the command sent to it as a message."""
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    command = {"id": 1, "method": "Emulation.setCPUThrottlingRate", "params": {"rate": rate}}
    for target in cdp.send("Target.getTargets")["targetInfos"]:
        if target["type"] != "service_worker":
            continue
        attach = {"targetId": target["targetId"], "flatten": False}
        session = cdp.send("Target.attachToTarget", attach)["sessionId"]
        message = {"sessionId": session, "message": json.dumps(command)}
        cdp.send("Target.sendMessageToTarget", message)


LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def launch(pw, profile: Path, chromium: str):
    return pw.chromium.launch_persistent_context(
        profile, executable_path=chromium, args=LAUNCH_ARGS, headless=True, viewport=PHONE
    )


def restore(pw, base: str, profile: Path, chromium: str, rate: int) -> float:
    context = launch(pw, profile, chromium)
    page = context.pages[0]
    page.goto(base + "/login?next=/app/")
    page.get_by_label("Sähköposti").fill(COACH)
    page.get_by_label("Salasana").fill(PASSWORD)
    start = time.perf_counter()
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url("**/app/**")
    if rate > 1:
        throttle(context, page, rate)
    wait_for_controller(page)
    page.wait_for_selector("#caseload", timeout=600_000)
    took = (time.perf_counter() - start) * 1000
    context.close()
    return took


def cold_start(pw, base: str, profile: Path, chromium: str, rate: int) -> float:
    context = launch(pw, profile, chromium)
    page = context.pages[0]
    if rate > 1:
        throttle(context, page, rate)
    page.goto(base + "/app/", wait_until="domcontentloaded")
    dom = page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
    )
    page.wait_for_selector("#caseload")
    context.close()
    return dom


NAVIGATE = """async (url) => {
  const t0 = performance.now();
  const r = await fetch(url);
  await r.text();
  if (!r.ok) throw new Error(url + " answered " + r.status);
  return performance.now() - t0;
}"""

SAVE = """async ([goal, n]) => {
  const edit = await (await fetch(`/app/goals/${goal}/edit`)).text();
  const doc = new DOMParser().parseFromString(edit, "text/html");
  const form = doc.querySelector(`form[action="/app/goals/${goal}"]`);
  const data = new URLSearchParams(new FormData(form));
  data.set("title", `Tavoite muokattu ${n}`);
  const t0 = performance.now();
  const headers = {"HX-Request": "true"};
  const r = await fetch(`/app/goals/${goal}`, {method: "POST", body: data, headers});
  const page = await r.text();
  const took = performance.now() - t0;
  if (!page.includes(`Tavoite muokattu ${n}`)) throw new Error("the period page lacks the edit");
  return took;
}"""


def page_timings(
    pw, base: str, profile: Path, chromium: str, probe: dict, runs: int, rate: int
) -> dict:
    context = launch(pw, profile, chromium)
    page = context.pages[0]
    page.goto(base + "/app/", wait_until="domcontentloaded")
    page.wait_for_selector("#caseload")
    if rate > 1:
        throttle(context, page, rate)
    out = {"record_ms": [], "caseload_ms": [], "save_ms": []}
    for n in range(runs + 1):  # the first of each warms the worker up and is not counted
        times = {
            "record_ms": page.evaluate(NAVIGATE, f"/app/participants/{probe['participant']}"),
            "caseload_ms": page.evaluate(NAVIGATE, "/app/"),
            "save_ms": page.evaluate(SAVE, [probe["goal"], f"{rate}-{n}"]),
        }
        if n:
            for key, value in times.items():
                out[key].append(value)
    context.close()
    return {key: statistics.median(values) for key, values in out.items()}


def measure(size: int, runs: int, chromium: str) -> dict:
    participants = max(1, round(size / PER_PARTICIPANT))
    result = {"participants": participants}
    with tempfile.TemporaryDirectory() as tmp:
        server, hits, probe = serve(Path(tmp), participants)
        note(f"seeded {participants} participants")
        gate = Gate(server.server_port)
        base = f"http://localhost:{gate.port}"
        try:
            with sync_playwright() as pw:
                for rate in THROTTLES:
                    profile = Path(tmp) / f"profile-{rate}"
                    result[f"restore_ms@{rate}x"] = restore(pw, base, profile, chromium, rate)
                    note(f"restore at {rate}x")
                gate.close()  # from here on, really offline
                time.sleep(0.5)
                seen = hits["count"]
                for rate in THROTTLES:
                    profile = Path(tmp) / f"profile-{rate}"
                    starts = [cold_start(pw, base, profile, chromium, rate) for _ in range(runs)]
                    result[f"cold_start_ms@{rate}x"] = statistics.median(starts)
                    note(f"cold starts at {rate}x")
                    for key, value in page_timings(
                        pw, base, profile, chromium, probe, runs, rate
                    ).items():
                        result[f"{key}@{rate}x"] = value
                    note(f"pages at {rate}x")
                if hits["count"] != seen:
                    raise SystemExit(
                        f"{hits['count'] - seen} requests reached the server ({hits['last']})"
                    )
                result["offline_requests"] = hits["count"] - seen
        finally:
            gate.close()
            server.shutdown()
    result["records"] = records_of(participants)
    return result


STARTED = time.perf_counter()


def note(what: str) -> None:
    print(f"  [{time.perf_counter() - STARTED:6.1f} s] {what}", file=sys.stderr, flush=True)


def records_of(participants: int) -> int:
    return participants * PER_PARTICIPANT


MEASURES = (
    ("restore_ms", "restore (login → everything pulled and shown)"),
    ("cold_start_ms", "offline cold start (DOMContentLoaded)"),
    ("record_ms", "a record's page"),
    ("caseload_ms", "the caseload"),
    ("save_ms", "save a goal edit → period page"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: one small size, unthrottled, one run"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="600,5000,20000")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    if options.quick:
        options.runs, sizes = 1, [50]
        THROTTLES[:] = [1]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    size = shell_size()
    print(
        f"app shell: {size['files']} files, {size['bytes'] / 1024:.1f} KiB, "
        f"{size['gzip_bytes'] / 1024:.1f} KiB gzipped"
    )
    results = {}
    for wanted in sizes:
        results[wanted] = measure(wanted, options.runs, chromium)
        print(f"  measured: {json.dumps(results[wanted])}", file=sys.stderr, flush=True)

    columns = [(s, rate) for rate in THROTTLES for s in sizes]
    header = " | ".join(f"{results[s]['records']:,} @{rate}×" for s, rate in columns)
    print(f"| measure (ms, median of {options.runs}) | {header} |")
    print("|---" * (len(columns) + 1) + "|")
    for key, label in MEASURES:
        cells = " | ".join(f"{results[s][f'{key}@{rate}x']:,.0f}" for s, rate in columns)
        print(f"| {label} | {cells} |")
    first, last = sizes[0], sizes[-1]
    growth = {
        f"{key}@{rate}x": round(
            results[last][f"{key}@{rate}x"] / max(results[first][f"{key}@{rate}x"], 0.1), 2
        )
        for key, _ in MEASURES
        for rate in THROTTLES
    }
    print(f"growth {results[first]['records']:,} → {results[last]['records']:,}:")
    for key, label in MEASURES:
        print(f"  {label}: " + ", ".join(f"{growth[f'{key}@{r}x']}× at {r}×" for r in THROTTLES))
    print(
        json.dumps(
            {
                "shell_files": size["files"],
                "shell_bytes": size["bytes"],
                "shell_gzip_bytes": size["gzip_bytes"],
                "runs": options.runs,
                "sizes": {
                    str(results[s]["records"]): {k: round(v, 1) for k, v in results[s].items()}
                    for s in sizes
                },
                "growth": growth,
            }
        )
    )


if __name__ == "__main__":
    main()
