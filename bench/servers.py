"""Real gunicorn servers on this machine, as separate hosts on one database.

Each server is `gunicorn -c gunicorn.conf.py` (the production
settings) on its own loopback port, with its own metrics directory and the
environment a host would get. Used by bench/load_bench.py and by the test
that two servers serve one device alternately.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class GunicornServer:
    def __init__(
        self,
        port: int,
        database_url: str,
        *,
        workers: int = 2,
        threads: int = 4,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
    ):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.metrics_dir = tempfile.mkdtemp(prefix=f"polku-metrics-{port}-")
        self.log_path = log_path or Path(self.metrics_dir).with_suffix(".log")
        self.env = {
            **os.environ,
            "POLKU_DATABASE_URL": database_url,
            "POLKU_SECRET_KEY": "bench-secret-not-for-production",
            "POLKU_BIND": f"127.0.0.1:{port}",
            "POLKU_WORKERS": str(workers),
            "POLKU_THREADS": str(threads),
            "PROMETHEUS_MULTIPROC_DIR": self.metrics_dir,
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "GunicornServer":
        return self.launch().wait_ready(timeout)

    def launch(self) -> "GunicornServer":
        """Start the master and return at once (wait_ready waits for it)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait_ready(self, timeout: float = 30) -> "GunicornServer":
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited: see {self.log_path}")
            if self.ready():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn on {self.port} not ready in {timeout} s: see {self.log_path}")

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def worker_pids(self) -> list[int]:
        """The master's children: its workers."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill_worker(self) -> int | None:
        """SIGKILL one worker, as the kernel's OOM killer would; the master starts another."""
        pids = self.worker_pids()
        if not pids:
            return None
        pid = pids[int(time.monotonic() * 1000) % len(pids)]
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return pid

    def stop(self) -> None:
        """SIGTERM: a graceful stop, as a deploy does."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
