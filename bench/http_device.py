"""A coach's device speaking the sync protocol over real HTTP, as the app does
(pwa/js/sync-client.js): push the outbox in batches of at most 500, then pull
every page after the saved cursor; network errors, 5xx, 409 and 429 are worth
another try, with exponential backoff and jitter; an entry leaves the outbox
only once the server answered for it, so a lost answer means the same
mutation is pushed again (the server says "duplicate"). Like a browser, it
tries a request once more on a new connection when a kept-alive one turns
out to be closed.

Each request goes to one of the hosts, picked at random, as a load balancer
would spread them.
"""

import http.client
import json
import random
import time
import uuid
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from sync.hlc import Clock, Stamp

MAX_BATCH = 500
# What a request on a kept-alive connection the server has closed runs into.
STALE_CONNECTION = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class Retryable(Exception):
    """No answer, or one that says: later (5xx, 409, 429)."""

    def __init__(self, status: int | None, message: str):
        super().__init__(message)
        self.status = status


class HttpDevice:
    def __init__(
        self,
        hosts: list[str],
        device_id: str,
        token: str,
        *,
        record: Callable[[str, int | str, float], None] = lambda *_: None,
        rng: random.Random | None = None,
        timeout: float = 30,
    ):
        self.hosts = hosts
        self.device_id = device_id
        self.token = token
        self.record = record  # (request kind, status or the error's name, seconds)
        self.rng = rng or random.Random()
        self.timeout = timeout
        self.clock = Clock(device_id)
        self.outbox: list[dict] = []
        self.pushed: dict[str, str] = {}  # mutation id -> final status
        self.cursor: str | None = None
        self.records: dict[tuple[str, str], dict] = {}
        self.versions: dict[tuple[str, str], int] = {}
        self.deleted: set[tuple[str, str]] = set()
        self.conflicts: dict[str, dict] = {}
        self._connections: dict[str, http.client.HTTPConnection] = {}

    # -- HTTP ---------------------------------------------------------------

    def _connection(self, host: str) -> http.client.HTTPConnection:
        if host not in self._connections:
            parts = urlsplit(host)
            self._connections[host] = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=self.timeout
            )
        return self._connections[host]

    def request(self, kind: str, method: str, path: str, body: bytes | None = None) -> dict:
        host = self.rng.choice(self.hosts)
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            try:
                reused = host in self._connections
                response, payload = self._exchange(host, method, path, body, headers)
            except STALE_CONNECTION:
                if not reused:
                    raise
                # A kept-alive connection the server had closed meanwhile: a
                # browser tries once more on a new one, unseen by the app.
                self._connections.pop(host).close()
                response, payload = self._exchange(host, method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self._connections.pop(host).close()
            self.record(kind, type(error).__name__, time.perf_counter() - start)
            raise Retryable(None, f"{host}: {type(error).__name__}") from None
        self.record(kind, response.status, time.perf_counter() - start)
        if response.status >= 500 or response.status in (409, 429):
            raise Retryable(response.status, f"{host} answered {response.status}")
        if response.status != 200:
            raise RuntimeError(f"{method} {path} answered {response.status}: {payload[:300]!r}")
        return json.loads(payload)

    def _exchange(self, host: str, method: str, path: str, body, headers):
        connection = self._connection(host)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read()

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    # -- local edits ----------------------------------------------------------

    def upsert(self, record_type: str, record_id: str | None = None, **fields) -> str:
        record_id = record_id or str(uuid.uuid4())
        key = (record_type, record_id)
        self.outbox.append(
            {
                "mutation_id": str(uuid.uuid4()),
                "record_type": record_type,
                "record_id": record_id,
                "op": "upsert",
                "fields": fields,
                "stamp": self.clock.send().pack(),
                "base_version": self.versions.get(key, 0),
            }
        )
        self.records.setdefault(key, {}).update(fields)
        return record_id

    # -- sync -----------------------------------------------------------------

    def push(self) -> None:
        while self.outbox:
            batch = self.outbox[:MAX_BATCH]
            body = json.dumps({"mutations": batch}).encode()
            answered = self.request("push", "POST", "/api/sync/push", body)["results"]
            self.outbox = self.outbox[len(batch) :]
            for result in answered:
                self.pushed[result["mutation_id"]] = result["status"]

    def pull(self) -> int:
        count = 0
        while True:
            path = "/api/sync/pull"
            if self.cursor:
                path += f"?cursor={quote(self.cursor)}"
            page = self.request("pull", "GET", path)
            self._apply(page)
            count += len(page["changes"])
            if not page["more"]:
                return count

    def _apply(self, page: dict) -> None:
        for change in page["changes"]:
            key = (change["record_type"], change["record_id"])
            for stamp in change["stamps"].values():
                self.clock.receive(Stamp.parse(stamp))
            self.versions[key] = change["version"]
            if change["deleted"]:
                self.deleted.add(key)
            else:
                self.deleted.discard(key)
                self.records[key] = dict(change["fields"])
            for conflict_id in [
                c for c, v in self.conflicts.items() if (v["record_type"], v["record_id"]) == key
            ]:
                del self.conflicts[conflict_id]
        for conflict in page["conflicts"]:
            self.conflicts[conflict["conflict_id"]] = conflict
        for removal in page["removals"]:
            key = (removal["record_type"], removal["record_id"])
            self.records.pop(key, None)
            self.versions.pop(key, None)
            self.deleted.discard(key)
        self.cursor = page["cursor"]

    def sync(self) -> None:
        self.push()
        self.pull()

    def sync_with_retry(
        self, attempts: int = 4, base_delay: float = 1.0, until: float | None = None
    ) -> bool:
        """The app's one sync with retries (1 s, 2 s, 4 s, with jitter); False
        when it gave up, or when `until` (time.monotonic) came before success."""
        for attempt in range(attempts):
            try:
                self.sync()
                return True
            except Retryable:
                if attempt + 1 == attempts or (until is not None and time.monotonic() >= until):
                    return False
                delay = min(base_delay * 2**attempt, 60)
                time.sleep(delay * (0.5 + self.rng.random() / 2))
        return False

    def state(self) -> dict:
        """What the device shows: records, versions, deletions and open conflicts."""
        return {
            "records": {k: self.records[k] for k in sorted(self.records)},
            "versions": dict(sorted(self.versions.items())),
            "deleted": sorted(self.deleted),
            "conflicts": sorted(self.conflicts),
        }
