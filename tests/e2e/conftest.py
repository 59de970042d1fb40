"""Fixtures of the PWA browser tests."""

import pytest

from tests.support.browser import RestartableServer, free_port


@pytest.fixture
def pwa_server(app):
    """The real app on a fixed localhost port, behind a switchable 'network'."""
    server = RestartableServer(app, free_port()).start()
    yield server
    server.stop()
