"""The supervisor's pages on a few thousand records: milliseconds per page.

Builds one organization (default 5,000 job seekers over 20 coaches and 200
employers; a period each, four goals, three assessment rounds rated by three
parties — about 180,000 ratings — plus employer contacts, meeting events,
vouchers and open conflicts), then times each desk page through the real app
(in-process WSGI) on file-backed SQLite, and on PostgreSQL when reachable.

Prints a table of median and worst milliseconds per page over the runs.
The supervisor logs in through /login, as in the browser. `--quick` is a
smoke run (300 job seekers, 2 runs, SQLite only) that shows the bench still works.

    python bench/review_bench.py [--quick] [--people 5000] [--runs 5] [--postgres URL]
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from server import create_app
from server.extensions import db
from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    CoachingVoucher,
    Conflict,
    Employer,
    EmployerContact,
    EventAttendance,
    EventGuest,
    Goal,
    MeetingEvent,
    MeetingEventEmployer,
    Organization,
    Participant,
    User,
)
from server.ytunnus import check_digit

AREAS = ("competence", "work_community", "working_life_skills", "wellbeing")
TODAY = date.today()
SUPERVISOR = ("s@bench", "bench-supervisor-password")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def uid() -> str:
    return str(uuid.uuid4())


def ytunnukset(count: int) -> list[str]:
    """`count` distinct valid Y-tunnus (digits with r = 1 have none: skipped)."""
    found, n = [], 1_000_000
    while len(found) < count:
        digits = f"{n:07d}"
        if (c := check_digit(digits)) is not None:
            found.append(f"{digits}-{c}")
        n += 7
    return found


def synced(**fields) -> dict:
    now = datetime.now(UTC)
    return {
        "id": uid(),
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "deleted": False,
        "field_meta": {},
        **fields,
    }


def load(people: int, seed: int = 6) -> str:
    """Bulk-load one organization through Core; returns the id of a period to show."""
    rnd = random.Random(seed)
    conn = db.session.connection()
    org = Organization(name="Bench")
    db.session.add(org)
    db.session.flush()
    coaches = [
        User(
            organization_id=org.id,
            email=f"c{i}@bench",
            name=f"Valmentaja {i:02d}",
            role="coach",
            password_hash="x",
        )
        for i in range(20)
    ]
    supervisor = User(
        organization_id=org.id,
        email=SUPERVISOR[0],
        name="Vastaava",
        role="supervisor",
        password_hash=generate_password_hash(SUPERVISOR[1]),
    )
    db.session.add_all([*coaches, supervisor])
    db.session.flush()
    business_ids = ytunnukset(200)
    employers = [
        synced(organization_id=org.id, name=f"Yritys {i:03d} Oy", business_id=business_ids[i])
        for i in range(200)
    ]
    conn.execute(sa.insert(Employer), employers)
    participants, periods, goals, rounds, ratings, vouchers = [], [], [], [], [], []
    for i in range(people):
        coach = coaches[i % 20]
        p = synced(
            organization_id=org.id,
            coach_id=coach.id,
            first_name=f"Etu{i}",
            last_name=f"Suku{i:05d}",
            consent_given=True,
        )
        participants.append(p)
        start = TODAY - timedelta(days=rnd.randint(0, 700))
        ended = rnd.random() < 0.5
        period = synced(
            participant_id=p["id"],
            coach_id=coach.id,
            employer_id=rnd.choice(employers)["id"],
            measure_type="work_trial",
            phase="ended" if ended else "active",
            start_date=start,
            end_date=start + timedelta(days=120) if ended else None,
            outcome_at_end=rnd.choice(["employed_open", "studies", "job_search"])
            if ended
            else None,
        )
        periods.append(period)
        period_goals = [
            synced(period_id=period["id"], area=a, title=f"Tavoite {a}", status="open")
            for a in AREAS
        ]
        goals += period_goals
        for n in range(3):
            r = synced(
                period_id=period["id"],
                held_on=start + timedelta(days=30 * (n + 1)),
                is_final=ended and n == 2,
            )
            rounds.append(r)
            for g in period_goals:
                for rater in ("participant", "employer", "coach"):
                    ratings.append(
                        synced(
                            round_id=r["id"],
                            goal_id=g["id"],
                            rater=rater,
                            rating=min(5, 1 + n + rnd.randint(0, 2)),
                        )
                    )
        if ended and rnd.random() < 0.4:
            vouchers.append(
                synced(
                    period_id=period["id"],
                    employer_id=period["employer_id"],
                    status=rnd.choice(["requested", "approved", "paid"]),
                    amount_cents=150000,
                )
            )
    for model, rows in (
        (Participant, participants),
        (CoachingPeriod, periods),
        (Goal, goals),
        (AssessmentRound, rounds),
        (Assessment, ratings),
        (CoachingVoucher, vouchers),
    ):
        for chunk in range(0, len(rows), 5000):
            conn.execute(sa.insert(model), rows[chunk : chunk + 5000])
    contacts = [
        synced(
            employer_id=rnd.choice(employers)["id"],
            coach_id=rnd.choice(coaches).id,
            contact_date=TODAY - timedelta(days=rnd.randint(0, 700)),
            kind="visit",
            informed_of_alternative_recruitment=rnd.random() < 0.9,
            adopted_alternative_recruitment=rnd.random() < 0.4,
        )
        for _ in range(people)
    ]
    conn.execute(sa.insert(EmployerContact), contacts)
    events = [
        synced(
            organization_id=org.id,
            title=f"Työkohtaamo {i}",
            event_date=TODAY - timedelta(days=rnd.randint(0, 700)),
        )
        for i in range(60)
    ]
    conn.execute(sa.insert(MeetingEvent), events)
    attendances = [
        synced(
            event_id=e["id"],
            participant_id=p["id"],
            attended=True,
            meetings_held=2,
            got_work=rnd.random() < 0.25,
        )
        for e in events
        for p in rnd.sample(participants, 20)
    ]
    conn.execute(sa.insert(EventAttendance), attendances)
    # Events as they run: three employers taking part in each, with their
    # meetings, and ten job seekers who are not clients (some named, with consent).
    conn.execute(
        sa.insert(MeetingEventEmployer),
        [
            synced(event_id=e["id"], employer_id=employer_id, meetings_held=rnd.randint(0, 12))
            for e in events
            for employer_id in rnd.sample([x["id"] for x in employers], 3)
        ],
    )
    conn.execute(
        sa.insert(EventGuest),
        [
            synced(
                event_id=e["id"],
                name_consent=(named := rnd.random() < 0.3),
                name=f"Vieras {i}" if named else None,
                meetings_held=rnd.randint(0, 3),
                got_work=rnd.random() < 0.25,
                employer_id=None,
            )
            for e in events
            for i in range(10)
        ],
    )
    conflicts = [
        {
            "id": uid(),
            "record_type": "goal",
            "record_id": g["id"],
            "field": "title",
            "kind": "value",
            "values": [{"value": "A"}, {"value": "B"}],
            "status": "open",
            "organization_id": org.id,
            "participant_id": None,
            "created_at": datetime.now(UTC),
            "version": 1,
        }
        for g in rnd.sample(goals, 300)
    ]
    conn.execute(sa.insert(Conflict), conflicts)
    db.session.commit()
    print(
        f"  loaded {people} job seekers, {len(ratings)} ratings, {len(contacts)} contacts, "
        f"{len(attendances)} attendances, {len(vouchers)} vouchers, {len(conflicts)} conflicts"
    )
    return periods[len(periods) // 2]["id"]


def pages(period_id: str) -> list[tuple[str, str]]:
    year = {"from": (TODAY - timedelta(days=365)).isoformat(), "to": TODAY.isoformat()}
    q = "&".join(f"{k}={v}" for k, v in year.items())
    return [
        ("team overview", "/review/"),
        ("periods, page 1", "/review/periods"),
        ("periods, page 40", "/review/periods?page=40"),
        ("periods, search", "/review/periods?q=suku0123"),
        ("periods, overdue rounds", "/review/periods?attention=overdue_round"),
        ("periods CSV (all)", "/review/periods.csv"),
        ("one period", f"/review/periods/{period_id}"),
        ("conflicts", "/review/conflicts"),
        ("vouchers", "/vouchers/"),
        ("employers", "/employers/"),
        ("events", "/events/"),
        ("outcome figures, 12 months", f"/outcomes/?{q}"),
        ("figures CSV", f"/outcomes/figures.csv?{q}"),
        ("records: ratings, page 1", f"/outcomes/records/ratings?{q}"),
        ("records: served CSV", f"/outcomes/records/served.csv?{q}"),
        ("records: employed from events", f"/outcomes/records/employed_from_events?{q}"),
    ]


def log_in(client) -> None:
    """The supervisor's login, as a browser makes it (a server-held login, issue 9)."""
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    email, password = SUPERVISOR
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, f"login answered {response.status_code}"


def run(url: str, people: int, runs: int, engine_options=None) -> None:
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True}
    if engine_options:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    app = create_app(config)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        period_id = load(people)
        print(f"  load took {time.perf_counter() - started:.1f} s")
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
    client = app.test_client()
    log_in(client)
    print(f"  {'page':32} {'median ms':>10} {'worst ms':>10}")
    for name, path in pages(period_id):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(f"  {name:32} {statistics.median(times):10.1f} {max(times):10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: small, SQLite only")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "POLKU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    if args.quick:
        args.people, args.runs = 300, 2
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite (file), {args.people} job seekers")
        run(f"sqlite:///{tmp}/bench.db", args.people, args.runs)
    if args.quick:
        return
    schema = f"review_bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = sa.create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # no PostgreSQL here: say so and stop
        print(f"PostgreSQL skipped: {type(error).__name__} at {args.postgres}")
        return
    try:
        print(f"PostgreSQL, {args.people} job seekers")
        run(
            args.postgres,
            args.people,
            args.runs,
            {"connect_args": {"options": f"-csearch_path={schema}"}},
        )
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
