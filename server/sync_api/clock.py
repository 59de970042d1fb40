"""The server's own hybrid logical clock, for edits made on the server (supervisor
actions, admin changes) so they merge with device edits by the same rules."""

import threading
import time
import uuid

from sync.hlc import Clock, Stamp

SERVER_DEVICE_ID = "server"

# One clock per process; a distinct node per process keeps stamps unique
# when several workers write at the same millisecond.
_clock = Clock(f"server-{uuid.uuid4().hex[:8]}")
_lock = threading.Lock()


def server_stamp() -> Stamp:
    with _lock:
        return _clock.send()


def now_ms() -> int:
    """The server's wall clock in milliseconds, as sync stamps count time."""
    return time.time_ns() // 1_000_000
