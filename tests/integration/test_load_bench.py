"""The load bench's quick run as a correctness test: 20 devices on two real
gunicorn servers sharing one PostgreSQL, for 15 seconds; the bench's end check
must find nothing lost, nothing duplicated and every device converged. Its
speed figures are printed, not asserted (bench/load_bench.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.settings import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.parametrize("mode", [[], ["--faults"]], ids=["steady", "faults"])
def test_quick_load_run_ends_converged_with_nothing_lost_or_duplicated(postgres_schema, mode):
    run = subprocess.run(
        [sys.executable, "bench/load_bench.py", "--quick", *mode, "--postgres", POSTGRES_URL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    print(run.stdout)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, run.stderr[-3000:]
    figures = json.loads(lines[-1])
    assert figures["end_state"]["mutations_pushed"] > 0
    assert figures["ok"], figures["end_state"]
    assert run.returncode == 0
    if mode:
        assert figures["fault_log"].get("workers_killed")
