"""Record and mutation ids: time-ordered UUIDs (version 7, RFC 9562).

Ids are keys of B-tree indexes on the server (every record table, the
applied mutation ids, the audit log's entity column). A random (version 4)
key lands on a random index page, so a push of 500 new records dirties
hundreds of pages that the commit must write; ids that grow with time are
appended to the end of the index instead (measured on SQLite: the push's
database time fell from ~1,050 ms to ~580 ms per 20,000 mutations).

The app makes its ids the same way (pwa/js/uuid7.js). An id shows when it
was made, to the millisecond: no more than the record's created_at already
tells whoever may see the record.
"""

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A new version 7 UUID as text. Ids made by this process sort in the
    order they were made, also within one millisecond (a 12-bit counter in
    rand_a, RFC 9562 method 1) and if the system clock steps back."""
    global _last_ms, _counter
    random = int.from_bytes(os.urandom(10), "big")  # 62 bits rand_b, 11 the counter's start
    with _lock:
        now = time.time_ns() // 1_000_000
        if now > _last_ms:
            # A new millisecond: the counter starts low but random, leaving room to count.
            _last_ms, _counter = now, random >> 69
        else:
            _counter += 1
            if _counter > 0xFFF:  # 4,096 ids in one ms: borrow the next millisecond
                _last_ms, _counter = _last_ms + 1, 0
        ms, counter = _last_ms, _counter
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62
    return str(uuid.UUID(int=value | random & (1 << 62) - 1))
