"""The coach's app: shell size and offline cold start, in headless Chromium.

- shell size: every file the app needs to start offline (the service worker's
  cache: SHELL in pwa/js/shell.js, plus the worker and its modules, which the
  browser keeps itself), each gzipped, summed;
- offline cold start: a fresh browser process on the installed profile, the
  network off, navigate to the app; time until the caseload view is rendered
  (the service worker starts, reads IndexedDB and renders the page). Median of
  --runs runs, each in a new browser (nothing warm in memory).

The caseload is the demo organization's coach plus --participants more, each
with a coaching period, four goals and an assessment round, so the device
holds a realistic amount of data. Last line: one JSON object with the figures.
`--quick` is a smoke run (one cold start, 5 more participants).

    python bench/pwa_bench.py [--quick] [--runs 7] [--participants 40]
"""

import argparse
import gzip
import json
import logging
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
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


def add_caseload(count: int) -> None:
    coach = db.session.scalar(db.select(User).where(User.email == COACH))
    for n in range(count):
        p = Participant(
            organization_id=coach.organization_id,
            coach_id=coach.id,
            first_name="Testi",
            last_name=f"Asiakas {n:03d}",
            municipality="Oulu",
            consent_given=True,
        )
        db.session.add(p)
        db.session.flush()
        period = CoachingPeriod(
            participant_id=p.id,
            coach_id=coach.id,
            measure_type="work_trial",
            phase="active",
            start_date=date(2026, 9, 1),
        )
        db.session.add(period)
        db.session.flush()
        rnd = AssessmentRound(period_id=period.id, held_on=date(2026, 10, 1))
        db.session.add(rnd)
        db.session.flush()
        for area in AREAS:
            goal = Goal(period_id=period.id, area=area, title=f"Tavoite {area} {n}")
            db.session.add(goal)
            db.session.flush()
            for rater in RATERS:
                db.session.add(Assessment(round_id=rnd.id, goal_id=goal.id, rater=rater, rating=3))
    db.session.commit()


def serve(tmp: Path, participants: int):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
            "SECRET_KEY": "bench-only",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        upgrade()
        load_demo()
        add_caseload(participants)
    server = make_server("localhost", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://localhost:{server.server_port}"


def wait_for_controller(page) -> None:
    for _ in range(300):
        try:
            if page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
                return
        except Exception:  # the page reloads itself once the worker has claimed it
            pass
        time.sleep(0.1)
    raise SystemExit("the service worker never took control")


def cold_starts(base: str, profile: Path, runs: int, chromium: str) -> dict:
    args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as pw:
        launch = dict(executable_path=chromium, args=args, headless=True)
        context = pw.chromium.launch_persistent_context(profile, **launch)
        page = context.pages[0]
        page.goto(base + "/login?next=/app/")
        page.get_by_label("Sähköposti").fill(COACH)
        page.get_by_label("Salasana").fill(PASSWORD)
        page.get_by_role("button", name="Kirjaudu", exact=True).click()
        page.wait_for_url("**/app/**")
        wait_for_controller(page)
        page.wait_for_selector("#caseload")
        records = page.locator("#caseload li.card").count()
        context.close()

        wall, dom = [], []
        for _ in range(runs):
            context = pw.chromium.launch_persistent_context(profile, **launch)
            context.set_offline(True)
            page = context.pages[0]
            start = time.perf_counter()
            page.goto(base + "/app/", wait_until="commit")
            page.wait_for_selector("#caseload li.card")
            wall.append((time.perf_counter() - start) * 1000)
            timing = page.evaluate(
                "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
            )
            dom.append(timing)
            context.close()
    return {"participants_shown": records, "wall_ms": wall, "dom_ms": dom}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: one cold start")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--participants", type=int, default=40)
    options = parser.parse_args()
    if options.quick:
        options.runs, options.participants = 1, 5
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    size = shell_size()
    with tempfile.TemporaryDirectory() as tmp:
        server, base = serve(Path(tmp), options.participants)
        try:
            starts = cold_starts(base, Path(tmp) / "profile", options.runs, chromium)
        finally:
            server.shutdown()

    cold = statistics.median(starts["wall_ms"])
    dom = statistics.median(starts["dom_ms"])
    print(
        f"app shell: {size['files']} files, {size['bytes'] / 1024:.1f} KiB, "
        f"{size['gzip_bytes'] / 1024:.1f} KiB gzipped"
    )
    print(
        f"offline cold start ({options.runs} runs, {starts['participants_shown']} participants "
        f"on the caseload): median {cold:.0f} ms to the caseload view "
        f"(DOMContentLoaded {dom:.0f} ms after navigation start); "
        f"runs: {', '.join(f'{t:.0f}' for t in starts['wall_ms'])} ms"
    )
    print(
        json.dumps(
            {
                "shell_files": size["files"],
                "shell_bytes": size["bytes"],
                "shell_gzip_bytes": size["gzip_bytes"],
                "offline_cold_start_ms": round(cold, 1),
                "offline_cold_start_dom_ms": round(dom, 1),
                "runs": options.runs,
                "participants": starts["participants_shown"],
            }
        )
    )


if __name__ == "__main__":
    main()
