"""Hybrid logical clocks (Kulkarni et al. 2014) and the server's bound on device clocks.

A stamp orders events across devices: it stays close to wall-clock time, yet
never runs backwards and always exceeds every stamp its device has seen, so a
write made after seeing another write carries the higher stamp.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

WALL_DIGITS = 13  # milliseconds since 1970 fit in 13 digits until the year 2286
COUNTER_DIGITS = 5
MAX_WALL_MS = 10**WALL_DIGITS - 1
MAX_COUNTER = 10**COUNTER_DIGITS - 1
_NODE_AT = WALL_DIGITS + 1 + COUNTER_DIGITS + 1


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    """A point in hybrid logical time; compares by (wall_ms, counter, node)."""

    wall_ms: int
    counter: int
    node: str

    def __post_init__(self) -> None:
        if not 0 <= self.wall_ms <= MAX_WALL_MS:
            raise ValueError(f"wall_ms must be between 0 and {MAX_WALL_MS}")
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError(f"counter must be between 0 and {MAX_COUNTER}")
        if not self.node:
            raise ValueError("node must not be empty")

    def pack(self) -> str:
        """Fixed-width text whose string order is the stamp order (usable as a DB sort key)."""
        return f"{self.wall_ms:0{WALL_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> "Stamp":
        if not isinstance(text, str):
            raise ValueError("stamp must be a string")
        wall, counter = text[:WALL_DIGITS], text[WALL_DIGITS + 1 : _NODE_AT - 1]
        if not (
            len(text) > _NODE_AT
            and text[WALL_DIGITS] == "-"
            and text[_NODE_AT - 1] == "-"
            and wall.isascii()
            and wall.isdigit()
            and counter.isascii()
            and counter.isdigit()
        ):
            raise ValueError(
                f"stamp must look like {'9' * WALL_DIGITS}-{'9' * COUNTER_DIGITS}-<node>"
            )
        return cls(int(wall), int(counter), text[_NODE_AT:])


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """One node's hybrid logical clock. Not thread-safe: one clock per device or process."""

    def __init__(
        self, node: str, now_ms: Callable[[], int] = wall_clock_ms, last: Stamp | None = None
    ) -> None:
        self.node = node
        self._now_ms = now_ms
        # A device persists `last` and passes it back on start, so a restart
        # (or a wall clock set backwards) cannot reissue an old stamp.
        self.last = last or Stamp(0, 0, node)

    def send(self) -> Stamp:
        """Stamp a local event (an edit) or a message about to be sent."""
        wall = max(self.last.wall_ms, self._now_ms())
        counter = self.last.counter + 1 if wall == self.last.wall_ms else 0
        return self._advance(wall, counter)

    def receive(self, remote: Stamp) -> Stamp:
        """Take in a stamp seen from elsewhere so every later local stamp exceeds it."""
        last = self.last
        wall = max(last.wall_ms, remote.wall_ms, self._now_ms())
        if wall == last.wall_ms == remote.wall_ms:
            counter = max(last.counter, remote.counter) + 1
        elif wall == last.wall_ms:
            counter = last.counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        return self._advance(wall, counter)

    def _advance(self, wall: int, counter: int) -> Stamp:
        # More events in one millisecond than the counter holds: borrow the next
        # millisecond rather than break the fixed width that keeps packed order.
        if counter > MAX_COUNTER:
            wall, counter = wall + 1, 0
        self.last = Stamp(wall, counter, self.node)
        return self.last


def bound(stamp: Stamp, server_now_ms: int, max_drift_ms: int) -> tuple[Stamp, int]:
    """The stamp the server will order by, and how far ahead of the server it claimed to be.

    A device whose clock runs far ahead would otherwise win every last-writer
    contest until real time caught up. Its wall time is capped at server time
    plus the allowed drift (counter and node kept, so stamps stay distinct).
    The skew is 0 for stamps behind the server: offline edits are old, not skewed.
    """
    skew_ms = max(0, stamp.wall_ms - server_now_ms)
    limit = server_now_ms + max_drift_ms
    if stamp.wall_ms <= limit:
        return stamp, skew_ms
    return Stamp(limit, stamp.counter, stamp.node), skew_ms
