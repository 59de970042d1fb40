"""Two real gunicorn servers (as two hosts, production settings) on one
PostgreSQL schema serve one device alternately: it pushes on one and pulls on
the other, back and forth, and ends with what the server holds. The app keeps
nothing between requests, so which host answers must not matter. Each host
counts only its own requests in /metrics (every worker's, added up) and logs
one JSON line per request with the device id and no personal data.
"""

import json
import os
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.http_device import HttpDevice
from bench.servers import GunicornServer
from server.extensions import db
from server.sync_api import devices
from tests.support.settings import POSTGRES_URL

METRICS_TOKEN = "metrics-test-token-1234"
ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 6


@pytest.fixture
def db_backend():
    return "postgresql"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_hosts(app, postgres_schema, tmp_path):
    url = f"{POSTGRES_URL}?options={quote_plus(f'-csearch_path={postgres_schema}')}"
    servers = []
    try:
        for n in range(2):
            server = GunicornServer(
                _free_port(),
                url,
                workers=2,
                threads=2,
                env={"POLKU_METRICS_TOKEN": METRICS_TOKEN},
                log_path=tmp_path / f"host{n}.log",
            )
            servers.append(server.launch())
        for server in servers:
            server.wait_ready(timeout=60)
        yield servers
    finally:
        for server in servers:
            server.stop()


def _device(user) -> HttpDevice:
    device, token = devices.register(user, str(uuid.uuid4()), "phone")
    db.session.commit()
    return HttpDevice([], device.id, token)


def _metric(server: GunicornServer, name: str) -> float:
    request = urllib.request.Request(
        f"{server.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    )


def test_two_hosts_serve_one_device_alternately(two_hosts, factory):
    coach = factory.user("coach")
    phone = _device(coach)
    participants = []
    for n in range(ROUNDS):
        here, there = two_hosts[n % 2], two_hosts[(n + 1) % 2]
        phone.hosts = [here.url]
        participants.append(
            phone.upsert(
                "participant",
                first_name="Aino",
                last_name=f"Lehtonen{n}",
                coach_id=coach.id,
                consent_given=True,
            )
        )
        if n:  # an edit of what the other host served in the round before
            phone.upsert("participant", participants[n - 1], municipality=f"Oulu {n}")
        phone.push()
        phone.hosts = [there.url]
        phone.pull()

    assert set(phone.pushed.values()) == {"applied"}
    assert len(phone.pushed) == 2 * ROUNDS - 1
    # A second device of the coach, pulling everything from either host, sees
    # exactly what the first one ends with.
    for server in two_hosts:
        fresh = _device(coach)
        fresh.hosts = [server.url]
        fresh.pull()
        fresh.close()
        assert fresh.state() == phone.state()
    phone.close()
    assert phone.versions[("participant", participants[0])] == 2
    assert phone.records[("participant", participants[-2])]["municipality"] == f"Oulu {ROUNDS - 1}"

    # Each host counted its own pushes, whichever of its workers served them.
    assert [_metric(s, "polku_sync_pushes_total") for s in two_hosts] == [ROUNDS / 2] * 2
    assert sum(_metric(s, "polku_sync_mutations_total") for s in two_hosts) == 2 * ROUNDS - 1

    lines = [
        json.loads(line)
        for server in two_hosts
        for line in server.log_path.read_text().splitlines()
        if line.startswith("{") and '"polku.request"' in line
    ]
    pushes = [line for line in lines if line["route"] == "/api/sync/push"]
    assert len(pushes) == ROUNDS
    assert {line["device_id"] for line in pushes} == {phone.device_id}
    assert all(len(line["request_id"]) >= 8 and line["status"] == 200 for line in pushes)
    logs = "".join(server.log_path.read_text() for server in two_hosts)
    assert "Aino" not in logs and "Lehtonen" not in logs and "cursor=" not in logs


def _gunicorn_settings(env: dict) -> dict:
    """The settings module as a host with this environment reads it."""
    script = (
        "import json, runpy, sys; c = runpy.run_path(sys.argv[1]); "
        "settings = {k: c[k] for k in "
        "('forwarded_allow_ips', 'workers', 'threads', 'bind', 'worker_class')}; "
        "settings['app_imported'] = 'flask' in sys.modules or 'server' in sys.modules; "
        "print(json.dumps(settings))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "gunicorn.conf.py")],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


@pytest.mark.parametrize(
    ("env", "trusted"),
    [
        ({"POLKU_TRUSTED_PROXIES": "0"}, ""),
        ({"POLKU_TRUSTED_PROXIES": "1"}, "127.0.0.1,::1"),
        ({"POLKU_TRUSTED_PROXIES": "2", "POLKU_PROXY_ADDRESSES": "10.0.0.0/8"}, "10.0.0.0/8"),
        ({"POLKU_TRUSTED_PROXIES": "0", "POLKU_PROXY_ADDRESSES": "10.0.0.0/8"}, ""),
    ],
)
def test_gunicorn_believes_forwarded_headers_only_from_trusted_proxies(env, trusted, tmp_path):
    settings = _gunicorn_settings({**env, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    assert settings["forwarded_allow_ips"] == trusted
    assert settings["worker_class"] == "gthread"
    # The master reads its settings without the app: SIGHUP then loads new code.
    assert settings["app_imported"] is False


def test_polku_serve_loads_the_app_with_the_production_settings(tmp_path):
    """`polku serve` is gunicorn with gunicorn.conf.py: its own check
    loads the settings and the app and exits."""
    run = subprocess.run(
        [str(Path(sys.executable).with_name("polku")), "serve", "--check-config"],
        env={
            **os.environ,
            "POLKU_DATABASE_URL": f"sqlite:///{tmp_path}/check.db",
            "POLKU_SECRET_KEY": "check",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
