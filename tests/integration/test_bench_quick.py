"""Every bench in bench/ still runs: its `--quick` smoke run exits 0 and prints
its figures. Only that it works; the figures of a smoke run mean nothing."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def run_quick(bench: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / bench), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return result.stdout.splitlines()


def test_sync_bench():
    figures = json.loads(run_quick("sync_bench.py")[-1])
    assert figures["push_mutations_per_s"] > 0
    assert figures["pull_records_per_s"] > 0
    assert figures["empty_pull_ms"]["10000"] > 0


def test_review_bench():
    lines = run_quick("review_bench.py")
    pages = [line.split() for line in lines if line.startswith("  ") and line[-1].isdigit()]
    assert any(line[:2] == ["team", "overview"] for line in pages), lines
    assert len(pages) >= 15, lines
    assert all(float(words[-2]) > 0 for words in pages)


def test_pwa_bench():
    if shutil.which("chromium") is None:
        reason = "chromium is not installed: bench/pwa_bench.py needs it"
        if IN_CI:
            pytest.fail(f"{reason}; CI=true: it must run")
        pytest.skip(reason)
    figures = json.loads(run_quick("pwa_bench.py")[-1])
    assert figures["shell_files"] > 0
    [size] = figures["sizes"].values()
    assert size["records"] > 0 and size["participants"] > 0
    assert size["offline_requests"] == 0  # the cold start was really offline
    for measure in ("restore_ms", "cold_start_ms", "record_ms", "caseload_ms", "save_ms"):
        assert 0 < size[f"{measure}@1x"] < 60_000, measure
        assert figures["growth"][f"{measure}@1x"] > 0
