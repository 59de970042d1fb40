"""Browser-test fixtures: Debian's Chromium through pytest-playwright, and the
real app served on localhost (WebAuthn needs a host name, not an IP)."""

import os
import shutil

import pytest

from tests.support.browser import LiveServer

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"{reason}; CI=true: browser tests must run")
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()
