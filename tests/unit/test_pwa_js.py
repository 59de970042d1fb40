"""The PWA's storage and sync-client logic, tested fast by node's own test
runner (tests/js/*.test.mjs, no browser); pytest runs them so `make test` does."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_pwa_logic_with_node_test_runner():
    node = shutil.which("node")
    if node is None:
        reason = "node is not installed: the PWA's JS tests (tests/js) need Node.js 20+"
        if IN_CI:
            pytest.fail(f"{reason}; CI=true: they must run")
        pytest.skip(reason)
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "js").glob("*.test.mjs"))
    assert files, "no JS tests found"
    result = subprocess.run(
        [node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "# fail 0" in result.stdout
