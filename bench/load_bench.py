"""Many devices syncing at once against two gunicorn servers (two hosts) on one PostgreSQL.

N simulated coach devices (default 200, two per coach, each coach with a
realistic caseload: 30 participants with their periods, goals, a round and
ratings) run the protocol as the app does (bench/http_device.py): make a
few edits, push, pull until done, think, again; every request goes to either
host at random, as a load balancer spreads them. After a bounded time every
device syncs until its outbox is empty, and the bench checks the end state:

- nothing lost: every mutation a device pushed (and the server did not
  reject) is recorded on the server; nothing it did not push is;
- nothing duplicated: no record created twice, no conflict recorded twice;
- every device converged: each equals a fresh device of its coach that pulls
  everything (records, versions, deletions, open conflicts).

It prints sync round trips/s (one round trip: push the outbox and pull until
done, retries included), their p50/p95/p99 latency, requests/s with their
latency by kind, errors by status, and one JSON line with the figures and the
verdict; the exit status is 1 when the verdict is not ok.

`--faults`: every few seconds one host's worker is killed (SIGKILL; gunicorn
starts another), and between kills the servers' database connections are
terminated (pg_terminate_backend) in the middle of pushes.
Devices retry as the app does. The end check must still pass.

`--quick`: 20 devices, 5 participants each, 15 s of load (under a minute in all).

    python bench/load_bench.py [--quick] [--faults] [--devices N] [--duration S] [--postgres URL]

Everything runs on this machine (loopback); the bench's schema is dropped at the end.
"""

import argparse
import json
import os
import random
import socket
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote_plus

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.http_device import HttpDevice  # noqa: E402
from bench.servers import GunicornServer  # noqa: E402
from bench.sync_bench import Mutations, device_token, make_app, make_coach  # noqa: E402
from server.extensions import db  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GOAL_STATUSES = ("open", "achieved", "dropped")
MUNICIPALITIES = ("Oulu", "Kempele", "Kajaani", "Raahe", "Kuusamo", "Ii")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


class CpuMeter:
    """Where the CPU went during the load: the servers' workers, their
    PostgreSQL backends, this client, and everything else on the machine
    (other work sharing it). Processes that end meanwhile (killed workers,
    terminated backends) are not counted."""

    def __init__(self, servers, engine, app_name: str):
        self.servers, self.engine, self.app_name = servers, engine, app_name

    def _pids(self) -> dict[str, list[int]]:
        with self.engine.connect() as conn:
            backends = conn.execute(
                sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :app"),
                {"app": self.app_name},
            ).scalars()
            database = list(backends)
        return {"server": [p for s in self.servers for p in s.worker_pids()], "database": database}

    def snapshot(self) -> dict:
        times = os.times()
        return {
            "pids": {k: {p: process_cpu(p) for p in v} for k, v in self._pids().items()},
            "client": times.user + times.system,
            "machine": machine_cpu(),
        }

    @staticmethod
    def used(before: dict, after: dict) -> dict[str, float]:
        used = {}
        for kind, now in after["pids"].items():
            then = before["pids"][kind]
            used[kind] = sum(cpu - then.get(pid, 0.0) for pid, cpu in now.items())
        used["client"] = after["client"] - before["client"]
        busy = after["machine"][0] - before["machine"][0]
        used["other"] = max(0.0, busy - sum(used.values()))
        used["idle"] = (after["machine"][1] - before["machine"][1]) - busy
        return used


class Stats:
    """Every request's and every sync's outcome, from all device threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, int | str, float]] = []
        self.syncs: list[float] = []
        self.gave_up = 0
        self.timing = False

    def record(self, kind: str, status: int | str, seconds: float) -> None:
        if self.timing:
            with self.lock:
                self.requests.append((kind, status, seconds))

    def sync(self, seconds: float | None) -> None:
        with self.lock:
            if seconds is None:
                self.gave_up += 1
            else:
                self.syncs.append(seconds)


def edit(device: HttpDevice, rng: random.Random, coach_id: int, serial: int) -> None:
    """A few of a coach's everyday edits on records the device holds."""
    goals = [k for k in device.records if k[0] == "goal" and k not in device.deleted]
    participants = [k for k in device.records if k[0] == "participant"]
    periods = [k for k in device.records if k[0] == "coaching_period"]
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.5 and goals:
            _, goal_id = rng.choice(goals)
            if rng.random() < 0.5:
                device.upsert("goal", goal_id, status=rng.choice(GOAL_STATUSES))
            else:
                device.upsert("goal", goal_id, title=f"Tavoite {serial}-{rng.randrange(10**6)}")
        elif roll < 0.8 and participants:
            _, participant_id = rng.choice(participants)
            device.upsert("participant", participant_id, municipality=rng.choice(MUNICIPALITIES))
        elif periods:
            _, period_id = rng.choice(periods)
            device.upsert(
                "goal",
                period_id=period_id,
                area="competence",
                title=f"Uusi tavoite {serial}",
                status="open",
            )


def run_devices(fleet, stats: Stats, deadline: float, think: float, seed: int) -> None:
    def loop(n: int, coach_id: int, device: HttpDevice) -> None:
        rng = random.Random(seed + n)
        time.sleep(rng.uniform(0, think))  # devices do not all start in step
        serial = 0
        while time.monotonic() < deadline:
            serial += 1
            edit(device, rng, coach_id, serial)
            start = time.perf_counter()
            # No new try after the deadline: what is left waits for settle().
            ok = device.sync_with_retry(until=deadline)
            stats.sync(time.perf_counter() - start if ok else None)
            time.sleep(rng.uniform(0, 2 * think))

    threads = [
        threading.Thread(target=loop, args=(n, coach_id, device), daemon=True)
        for n, (coach_id, device) in enumerate(fleet)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_faults(servers, engine, app_name: str, deadline: float, every: float, log: Counter):
    """SIGKILL a worker every `every` seconds, alternating hosts; in between,
    terminate the servers' database connections in the middle of pushes."""
    # A push in progress: a transaction whose running (or last) statement
    # writes; pulls only read.
    in_push = sa.text(
        "SELECT pid FROM pg_stat_activity WHERE application_name = :app "
        "AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid() "
        "AND query ~* '^\\s*(INSERT|UPDATE|SAVEPOINT|RELEASE|SELECT pg_advisory_xact_lock)'"
    )
    kill_at = time.monotonic() + every
    host = 0
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while time.monotonic() < deadline:
            if time.monotonic() >= kill_at:
                if servers[host % 2].kill_worker():
                    log["workers_killed"] += 1
                host += 1
                kill_at += every
                continue
            pids = conn.execute(in_push, {"app": app_name}).scalars().all()
            if pids:
                pid = random.choice(pids)
                if conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar():
                    log["connections_terminated"] += 1
                time.sleep(every / 3)
            else:
                time.sleep(0.02)


def settle(fleet, rounds: int = 20) -> list[str]:
    """After the load: every device pushes its outbox and pulls, twice over,
    so each sees what the others pushed last. Returns what would not settle."""
    problems = []
    for phase in range(2):
        for _, device in fleet:
            for _ in range(rounds):
                if device.sync_with_retry(attempts=2, base_delay=0.2) and not device.outbox:
                    break
            else:
                problems.append(f"device {device.device_id} did not sync (phase {phase})")
    return problems


def check(app, fleet, hosts: list[str]) -> dict:
    """The end state: lost, duplicated, diverged (see the module docstring)."""
    pushed: dict[str, str] = {}
    for _, device in fleet:
        pushed.update(device.pushed)
    accepted = {mid for mid, status in pushed.items() if status != "rejected"}
    device_ids = [device.device_id for _, device in fleet]
    with app.app_context():
        conn = db.session.connection()
        recorded = set(
            conn.execute(
                sa.text("SELECT mutation_id FROM applied_mutations WHERE device_id = ANY(:d)"),
                {"d": device_ids},
            ).scalars()
        )
        # A record created twice (a push applied again) would have two
        # "create" events; the record table's key alone would hide it.
        double_creations = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT 1 FROM audit_events WHERE action = 'create' "
                "GROUP BY entity_type, entity_id HAVING count(*) > 1) AS d"
            )
        ).scalar()
        double_conflicts = conn.execute(
            sa.text(
                "SELECT count(*) FROM (SELECT 1 FROM conflicts WHERE mutation_id IS NOT NULL "
                "GROUP BY mutation_id, field HAVING count(*) > 1) AS d"
            )
        ).scalar()
        open_conflicts = conn.execute(
            sa.text("SELECT count(*) FROM conflicts WHERE status = 'open'")
        ).scalar()
        tokens = {}
        for coach_id in {coach_id for coach_id, _ in fleet}:
            tokens[coach_id] = device_token(app, coach_id)
        db.session.remove()
    diverged = []
    for coach_id, (device_id, token) in tokens.items():
        reference = HttpDevice(hosts, device_id, token)
        reference.pull()
        reference.close()
        expected = reference.state()
        for owner, device in fleet:
            if owner == coach_id and device.state() != expected:
                diverged.append(device.device_id)
    lost = sorted(accepted - recorded)
    unknown = sorted(recorded - set(pushed))
    return {
        "mutations_pushed": len(pushed),
        "mutations_rejected": len(pushed) - len(accepted),
        "lost": len(lost),
        "recorded_but_never_pushed": len(unknown),
        "duplicated_creations": double_creations,
        "duplicated_conflicts": double_conflicts,
        "diverged_devices": len(diverged),
        "outboxes_not_empty": sum(1 for _, d in fleet if d.outbox),
        "open_conflicts": open_conflicts,
    }


def build_fleet(app, hosts, devices: int, per_coach: int, stats: Stats, timeout: float) -> list:
    fleet = []
    for c in range((devices + per_coach - 1) // per_coach):
        coach_id, _ = make_coach(app, f"load-coach-{c}")
        for _ in range(min(per_coach, devices - len(fleet))):
            device_id, token = device_token(app, coach_id)
            device = HttpDevice(hosts, device_id, token, record=stats.record, timeout=timeout)
            device.rng.seed(len(fleet))
            fleet.append((coach_id, device))
    return fleet


def in_parallel(function, items, threads: int = 8) -> None:
    """Set-up work spread over a few threads; the first error is raised."""
    errors: list[BaseException] = []
    pending = list(items)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not pending or errors:
                    return
                item = pending.pop()
            try:
                function(item)
            except BaseException as error:
                errors.append(error)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]


def caseloads(fleet, participants: int) -> None:
    """Each coach's first device creates the caseload and syncs it; then every
    device pulls it (its first sync), untimed."""
    first = {}
    for coach_id, device in fleet:
        first.setdefault(coach_id, device)

    def create(item):
        coach_id, device = item
        device.outbox.extend(Mutations(coach_id, device.device_id).stream(participants * 19))
        if not device.sync_with_retry():
            raise RuntimeError(f"set-up: device {device.device_id} could not push its caseload")

    def first_pull(item):
        if not item[1].sync_with_retry():
            raise RuntimeError(f"set-up: device {item[1].device_id} could not pull")

    in_parallel(create, list(first.items()))
    in_parallel(first_pull, fleet)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 devices, 15 s: under a minute")
    parser.add_argument("--faults", action="store_true", help="kill workers, drop connections")
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--per-coach", type=int, default=2, help="devices per coach")
    parser.add_argument("--participants", type=int, default=30, help="caseload per coach")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between syncs, s")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--fault-every", type=float, default=3.0, help="seconds between kills")
    parser.add_argument("--timeout", type=float, default=30, help="a request's timeout, s")
    parser.add_argument("--keep-schema", action="store_true", help="keep the data to inspect")
    parser.add_argument(
        "--postgres", default=os.environ.get("POLKU_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args()
    if args.quick:
        args.devices, args.participants, args.duration = 20, 5, 15
        args.timeout = min(args.timeout, 10)

    schema = f"load_{uuid.uuid4().hex[:8]}"
    app_name = f"polku-{schema}"
    admin = sa.create_engine(args.postgres)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    options = quote_plus(f"-csearch_path={schema}")
    setup_url = f"{args.postgres}?options={options}"
    server_url = f"{setup_url}&application_name={app_name}"
    servers: list[GunicornServer] = []
    began = time.monotonic()
    try:
        app = make_app(setup_url)
        servers = [
            GunicornServer(free_port(), server_url, workers=args.workers, threads=args.threads)
            for _ in range(2)
        ]
        for server in servers:
            server.launch()
        hosts = [server.url for server in servers]
        stats = Stats()
        fleet = build_fleet(app, hosts, args.devices, args.per_coach, stats, args.timeout)
        for server in servers:
            server.wait_ready(timeout=60)
        caseloads(fleet, args.participants)
        setup_s = time.monotonic() - began

        faults: Counter = Counter()
        meter = CpuMeter(servers, admin, app_name)
        cpu_before = meter.snapshot()
        stats.timing = True
        start = time.monotonic()
        deadline = start + args.duration
        fault_thread = None
        if args.faults:
            fault_thread = threading.Thread(
                target=run_faults,
                args=(servers, admin, app_name, deadline, args.fault_every, faults),
                daemon=True,
            )
            fault_thread.start()
        run_devices(fleet, stats, deadline, args.think, seed=7)
        if fault_thread is not None:
            fault_thread.join()
        elapsed = time.monotonic() - start
        stats.timing = False
        cpu = CpuMeter.used(cpu_before, meter.snapshot())

        unsettled = settle(fleet)
        verdict = check(app, fleet, hosts)
        for _, device in fleet:
            device.close()
    finally:
        for server in servers:
            server.stop()
        if args.keep_schema:
            print(f"data kept in schema {schema}", file=sys.stderr)
        else:
            with admin.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()

    verdict["unsettled_devices"] = len(unsettled)
    ok = all(
        verdict[k] == 0
        for k in (
            "lost",
            "recorded_but_never_pushed",
            "duplicated_creations",
            "duplicated_conflicts",
            "diverged_devices",
            "outboxes_not_empty",
            "unsettled_devices",
        )
    )
    by_kind = defaultdict(list)
    errors = Counter()
    for kind, status, seconds in stats.requests:
        if status == 200:
            by_kind[kind].append(seconds)
        else:
            errors[str(status)] += 1  # a status, or the error of a request without answer
    figures = {
        "devices": len(fleet),
        "coaches": len({c for c, _ in fleet}),
        "participants_per_coach": args.participants,
        "hosts": 2,
        "workers_per_host": args.workers,
        "threads_per_worker": args.threads,
        "faults": args.faults,
        "setup_s": round(setup_s, 1),
        "load_s": round(elapsed, 1),
        "sync_round_trips": len(stats.syncs),
        "sync_round_trips_per_s": round(len(stats.syncs) / elapsed, 1),
        "sync_p50_ms": round(percentile(stats.syncs, 50) * 1000, 1),
        "sync_p95_ms": round(percentile(stats.syncs, 95) * 1000, 1),
        "sync_p99_ms": round(percentile(stats.syncs, 99) * 1000, 1),
        "syncs_given_up": stats.gave_up,  # or cut short by the end of the load
        "requests_per_s": round(len(stats.requests) / elapsed, 1),
        "request_ms": {
            kind: {f"p{q}": round(percentile(times, q) * 1000, 1) for q in (50, 95, 99)}
            for kind, times in sorted(by_kind.items())
        },
        "errors_by_status": dict(sorted(errors.items())),
        "cpu_s": {k: round(v, 1) for k, v in cpu.items()},
        "cpu_ms_per_sync": {
            k: round(v * 1000 / max(1, len(stats.syncs)), 1)
            for k, v in cpu.items()
            if k in ("server", "database", "client")
        },
        **({"fault_log": dict(faults)} if args.faults else {}),
        "end_state": verdict,
        "ok": ok,
    }
    print_table(figures)
    print(json.dumps(figures))
    return 0 if ok else 1


def print_table(f: dict) -> None:
    print(
        f"{f['devices']} devices ({f['coaches']} coaches, {f['participants_per_coach']} "
        f"participants each), 2 hosts x {f['workers_per_host']} workers x "
        f"{f['threads_per_worker']} threads, {f['load_s']} s of load"
        + (" with faults" if f["faults"] else "")
    )
    print(f"  sync round trips/s      {f['sync_round_trips_per_s']:>10}")
    print(
        f"  sync latency p50/95/99  {f['sync_p50_ms']} / {f['sync_p95_ms']} / {f['sync_p99_ms']} ms"
    )
    print(f"  requests/s              {f['requests_per_s']:>10}")
    for kind, q in f["request_ms"].items():
        print(f"  {kind:<5} p50/95/99         {q['p50']} / {q['p95']} / {q['p99']} ms")
    print(f"  errors by status        {f['errors_by_status'] or 'none'}")
    print(
        "  CPU s: servers {server}, PostgreSQL {database}, client {client}, "
        "other work on the machine {other}, idle {idle}".format(**f["cpu_s"])
    )
    print(f"  CPU ms per round trip   {f['cpu_ms_per_sync']}")
    if f["faults"]:
        print(f"  faults                  {f.get('fault_log')}")
    print(f"  end state               {f['end_state']}")
    print(f"  verdict                 {'ok' if f['ok'] else 'FAILED'}")


if __name__ == "__main__":
    sys.exit(main())
