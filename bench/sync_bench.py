"""Sync throughput on a file-backed SQLite database, and on PostgreSQL when available.

Measures, through the real HTTP endpoints (in-process WSGI, so no network
noise) and the real database:
- push: mutations/s, batches of 500 realistic records (participants, periods,
  goals, assessment rounds and append-only assessments), encoded before the
  clock starts as a device sends them;
- pull: records/s, pages of 1,000, a fresh device pulling everything;
- empty incremental pull: ms per pull for the device of a coach with 30
  participants that is up to date, with 10k, 100k and 1M records in the
  database (it must not grow with the table);
- raw upsert: the same kind of rows straight through the driver, the ceiling.

Throughput is a running server's: another coach pushes and pulls a little
first, untimed (see warm_up). Prints a table, then one JSON line with
push_mutations_per_s, pull_records_per_s, empty_pull_ms (keyed by record
count), raw_upsert_rows_per_s.
`--quick` is a smoke run (10k records, 2,000 pushed): it shows the bench
still works, in seconds; its figures are not comparable with a full run.

    python bench/sync_bench.py [--quick] [--postgres URL]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade

from server import create_app
from server.extensions import db
from server.models import Organization, User
from sync.hlc import Clock
from sync.ids import uuid7

PASSWORD_HASH = "scrypt:32768:8:1$bench$0"  # never logged in with: devices are made directly


def make_app(url: str, engine_options: dict | None = None):
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True}
    if engine_options:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    app = create_app(config)
    with app.app_context():
        upgrade()
    return app


def make_coach(app, name: str) -> tuple[int, int]:
    with app.app_context():
        org = db.session.scalar(sa.select(Organization).limit(1))
        if org is None:
            org = Organization(name="Bench")
            db.session.add(org)
            db.session.flush()
        user = User(
            organization_id=org.id,
            email=f"{name}@bench.example",
            name=name,
            role="coach",
            password_hash=PASSWORD_HASH,
        )
        db.session.add(user)
        db.session.commit()
        return user.id, org.id


def device_token(app, user_id: int) -> tuple[str, str]:
    """(device id, token) of a newly registered device."""
    from server.sync_api import devices

    with app.app_context():
        user = db.session.get(User, user_id)
        device, token = devices.register(user, str(uuid.uuid4()), "bench")
        db.session.commit()
        return device.id, token


class Mutations:
    """Realistic offline work: per participant a period, four goals, a round, 12 assessments."""

    def __init__(self, coach_id: int, device_id: str):
        self.coach_id = coach_id
        self.clock = Clock(device_id)

    def _m(self, record_type, fields, record_id=None):
        return {
            "mutation_id": uuid7(),
            "record_type": record_type,
            "record_id": record_id or uuid7(),
            "op": "upsert",
            "fields": fields,
            "stamp": self.clock.send().pack(),
            "base_version": 0,
        }

    def participant_bundle(self, n: int) -> list[dict]:
        p = self._m(
            "participant",
            {
                "first_name": f"Aino{n}",
                "last_name": "Lehtonen",
                "coach_id": self.coach_id,
                "consent_given": True,
                "municipality": "Oulu",
            },
        )
        period = self._m(
            "coaching_period",
            {
                "participant_id": p["record_id"],
                "coach_id": self.coach_id,
                "measure_type": "work_trial",
                "phase": "active",
                "start_date": "2026-09-01",
            },
        )
        out = [p, period]
        goals = []
        for area in ("competence", "work_community", "working_life_skills", "wellbeing"):
            goal = self._m(
                "goal",
                {
                    "period_id": period["record_id"],
                    "area": area,
                    "title": "Hallitsee kassatyön",
                    "status": "open",
                    "success_criteria": "Tekee kassatyön itsenäisesti.",
                },
            )
            goals.append(goal)
        rnd = self._m(
            "assessment_round", {"period_id": period["record_id"], "held_on": "2026-10-01"}
        )
        out += [*goals, rnd]
        for goal in goals:
            for rater in ("participant", "employer", "coach"):
                out.append(
                    self._m(
                        "assessment",
                        {
                            "round_id": rnd["record_id"],
                            "goal_id": goal["record_id"],
                            "rater": rater,
                            "rating": 3,
                            "comment": "Edistyy hyvin",
                        },
                    )
                )
        return out  # 19 mutations

    def stream(self, count: int) -> list[dict]:
        out, n = [], 0
        while len(out) < count:
            out += self.participant_bundle(n)
            n += 1
        return out[: count - count % 19] if count >= 19 else out


def push_bodies(mutations: list[dict]) -> list[bytes]:
    """The push request bodies, batches of 500, encoded as a device sends them."""
    return [
        json.dumps({"mutations": mutations[i : i + 500]}).encode()
        for i in range(0, len(mutations), 500)
    ]


def bench_push(client, token, bodies: list[bytes]) -> float:
    """Mutations/s of pushing the bodies. They are encoded before the clock
    starts and the mutations themselves are not kept: a device sends bytes,
    and its encoding and its copy of the mutations are not the server's work
    (kept in this process, they made each of the server's full garbage
    collections walk 100,000 more objects)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    responses = [client.post("/api/sync/push", data=body, headers=headers) for body in bodies]
    elapsed = time.perf_counter() - start
    applied = 0
    for response in responses:
        results = response.get_json()["results"]
        bad = [r for r in results if r["status"] != "applied"]
        assert response.status_code == 200 and not bad, bad[:3]
        applied += len(results)
    return applied / elapsed


def bench_pull(client, token) -> tuple[float, int, str]:
    headers = {"Authorization": f"Bearer {token}"}
    cursor, records = None, 0
    start = time.perf_counter()
    while True:
        params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/sync/pull", query_string=params, headers=headers).get_json()
        records += len(page["changes"])
        cursor = page["cursor"]
        if not page["more"]:
            break
    return records / (time.perf_counter() - start), records, cursor


def bench_empty_pull(client, token, cursor: str, repeat: int) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        page = client.get(
            "/api/sync/pull", query_string={"cursor": cursor}, headers=headers
        ).get_json()
        times.append(time.perf_counter() - start)
        assert page["changes"] == []
    return statistics.median(times) * 1000


def bulk_period(conn, org_id: int, coach_id: int, name: str) -> tuple[str, str, dict]:
    """A participant and a coaching period written straight to the tables, for
    bulk rows to hang on; returns their ids and the columns every row shares."""
    now = datetime.now(UTC)
    common = {
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "deleted": False,
        "field_meta": {},
    }
    participant, period = uuid7(), uuid7()
    conn.execute(
        sa.insert(db.metadata.tables["participants"]),
        [
            {
                "id": participant,
                "organization_id": org_id,
                "coach_id": coach_id,
                "first_name": name,
                "last_name": "Data",
                "consent_given": True,
                **common,
            }
        ],
    )
    conn.execute(
        sa.insert(db.metadata.tables["coaching_periods"]),
        [
            {
                "id": period,
                "participant_id": participant,
                "coach_id": coach_id,
                "measure_type": "work_trial",
                "phase": "active",
                "start_date": now.date(),
                **common,
            }
        ],
    )
    return participant, period, common


def grow(app, org_id: int, coach_id: int, target: int) -> None:
    """Fill the database with another coach's history up to `target` synced records
    (goals with their feed rows), in bulk: the empty pull must not care."""
    with app.app_context():
        conn = db.session.connection()
        have = conn.execute(sa.text("SELECT count(*) FROM change_feed")).scalar()
        participant, period, common = bulk_period(conn, org_id, coach_id, "Täyte")
        goals = db.metadata.tables["goals"]
        feed = db.metadata.tables["change_feed"]
        step = 20_000
        for start in range(have, target, step):
            ids = [uuid7() for _ in range(min(step, target - start))]
            conn.execute(
                sa.insert(goals),
                [
                    {
                        "id": i,
                        "period_id": period,
                        "area": "competence",
                        "title": "Täyte",
                        "status": "open",
                        **common,
                    }
                    for i in ids
                ],
            )
            conn.execute(
                sa.insert(feed),
                [
                    {
                        "record_type": "goal",
                        "record_id": i,
                        "version": 1,
                        "organization_id": org_id,
                        "participant_id": participant,
                        "employer_id": None,
                        "sensitive": False,
                        "kind": "change",
                        "target_user_id": None,
                    }
                    for i in ids
                ],
            )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does in production after a bulk load: fresh statistics.
            with db.engine.connect() as fresh:
                fresh.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))


def bench_raw_upsert(app, org_id: int, coach_id: int, rows: int) -> float:
    """The same goal rows straight through the database driver (no SQLAlchemy):
    INSERT … ON CONFLICT DO UPDATE with executemany, a transaction per 500
    rows, values already in the form the driver stores."""
    with app.app_context():
        conn = db.session.connection()
        dialect = conn.dialect.name
        _participant, period, common = bulk_period(conn, org_id, coach_id, "Raaka")
        db.session.commit()
        columns = ["id", "period_id", "area", "title", "status", *common]
        marker = "%s" if dialect == "postgresql" else "?"
        sql = (
            f"INSERT INTO goals ({', '.join(columns)}) "
            f"VALUES ({', '.join([marker] * len(columns))}) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, version = excluded.version"
        )
        if dialect == "postgresql":
            from psycopg.types.json import Json

            stored = {**common, "field_meta": Json({})}
        else:  # SQLite keeps times as text, booleans as 0/1, JSON as text
            now = common["created_at"].strftime("%Y-%m-%d %H:%M:%S.%f")
            stored = {**common, "created_at": now, "updated_at": now, "deleted": 0}
            stored["field_meta"] = "{}"
        shared = tuple(stored[name] for name in common)
        batch = [
            (uuid7(), period, "competence", "Hallitsee kassatyön", "open", *shared)
            for _ in range(rows)
        ]
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            start = time.perf_counter()
            for i in range(0, rows, 500):
                cursor.executemany(sql, batch[i : i + 500])
                raw.commit()
            return rows / (time.perf_counter() - start)
        finally:
            raw.close()


def warm_up(app, client, label: str) -> None:
    """Another coach pushes and pulls 190 mutations first, untimed: the figures
    are a running server's, whose statements are compiled and caches filled
    (a fresh process spends some 20-40 ms on that in its first push and pull)."""
    coach_id, _ = make_coach(app, f"warm-up-{label}")
    device_id, token = device_token(app, coach_id)
    bench_push(client, token, push_bodies(Mutations(coach_id, device_id).stream(190)))
    bench_pull(client, token)


def run(label: str, app, sizes: list[int], push_count: int, repeat: int) -> dict:
    coach_id, org_id = make_coach(app, f"coach-{label}")
    filler_id, _ = make_coach(app, f"filler-{label}")
    client = app.test_client()
    warm_up(app, client, label)
    device_id, token = device_token(app, coach_id)
    push_rate = bench_push(
        client, token, push_bodies(Mutations(coach_id, device_id).stream(push_count))
    )
    # The ceiling on a database of the same size as the push saw (goal rows of
    # another coach, without feed rows: nothing a pull below would receive).
    raw = bench_raw_upsert(app, org_id, filler_id, min(push_count, 20_000))
    _reader_id, reader = device_token(app, coach_id)
    pull_rate, pulled, _cursor = bench_pull(client, reader)
    # The empty pull is a coach with a real caseload (30 participants, their
    # periods, goals, rounds and ratings) whose device is up to date, while the
    # rest of the organization's records fill the database.
    everyday_id, _ = make_coach(app, f"everyday-{label}")
    everyday_device, everyday_token = device_token(app, everyday_id)
    caseload = Mutations(everyday_id, everyday_device).stream(30 * 19)
    bench_push(client, everyday_token, push_bodies(caseload))
    # A new device of that coach: the whole caseload in one go.
    start = time.perf_counter()
    _, first_records, cursor = bench_pull(client, everyday_token)
    first_pull_ms = (time.perf_counter() - start) * 1000
    empty = {}
    for size in sizes:
        grow(app, org_id, filler_id, size)
        empty[str(size)] = round(bench_empty_pull(client, everyday_token, cursor, repeat), 3)
    return {
        "push_mutations_per_s": round(push_rate),
        "pull_records_per_s": round(pull_rate),
        "pulled_records": pulled,
        "empty_pull_ms": empty,
        "first_pull_30_participants_ms": round(first_pull_ms, 1),
        "first_pull_30_participants_records": first_records,
        "raw_upsert_rows_per_s": round(raw),
    }


def table(results: dict[str, dict]) -> str:
    lines = [f"{'measure':<34}" + "".join(f"{name:>16}" for name in results)]

    def row(title, get):
        lines.append(f"{title:<34}" + "".join(f"{get(r):>16}" for r in results.values()))

    row("push (mutations/s, batches of 500)", lambda r: f"{r['push_mutations_per_s']:,}")
    row("pull (records/s, pages of 1,000)", lambda r: f"{r['pull_records_per_s']:,}")
    sizes = next(iter(results.values()))["empty_pull_ms"]
    for size in sizes:
        row(
            f"empty pull, {int(size):,} rows (ms)", lambda r, s=size: r["empty_pull_ms"].get(s, "-")
        )
    row(
        "first pull, 30 participants (ms)",
        lambda r: (
            f"{r['first_pull_30_participants_ms']} ({r['first_pull_30_participants_records']})"
        ),
    )
    row("raw upsert (rows/s, the ceiling)", lambda r: f"{r['raw_upsert_rows_per_s']:,}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: small sizes, seconds")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "POLKU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    sizes = [10_000] if args.quick else [10_000, 100_000, 1_000_000]
    push_count = 2_000 if args.quick else 20_000
    repeat = 10 if args.quick else 50

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/bench.db")
        results["sqlite"] = run("sqlite", app, sizes, push_count, repeat)
        with app.app_context():
            db.engine.dispose()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        engine = sa.create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL not measured ({type(error).__name__}: not reachable)", file=sys.stderr)
    else:
        try:
            app = make_app(args.postgres, {"connect_args": {"options": f"-csearch_path={schema}"}})
            results["postgresql"] = run("pg", app, sizes, push_count, repeat)
            with app.app_context():
                db.engine.dispose()
        finally:
            with engine.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    print(table(results))
    summary = dict(results["sqlite"])
    summary.pop("pulled_records")
    if "postgresql" in results:
        summary["postgresql"] = {
            k: v for k, v in results["postgresql"].items() if k != "pulled_records"
        }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
