"""The coach's offline app (pwa/) served at /app/, the one JSON call it needs
from the browser's login session to start a device session, and the check of
the device owner's password that ends hand-over mode when the PIN is forgotten."""

from server.app_shell import owner, views  # noqa: F401  (routes register on import)
from server.app_shell.blueprint import bp

__all__ = ["bp"]
