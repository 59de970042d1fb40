"""A simulated device of the coach's app, speaking the sync protocol over HTTP
to the real server: login, device registration, outbox, push, pull, replica.

It is what the PWA does, in Python, so integration tests can run many devices
in any interleaving.
"""

import time
import uuid
from dataclasses import dataclass, field

from sync.hlc import Clock, Stamp
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


@dataclass
class Replica:
    records: dict = field(default_factory=dict)  # (type, id) -> fields
    versions: dict = field(default_factory=dict)  # (type, id) -> version
    deleted: set = field(default_factory=set)
    conflicts: dict = field(default_factory=dict)  # conflict id -> wire conflict


class SimDevice:
    def __init__(self, app, user, password: str = PASSWORD, now_ms=None):
        self.client = app.test_client()
        self.user = user
        response = login(self.client, user.email, password)
        assert response.status_code == 302, response.status_code
        self.device_id = str(uuid.uuid4())
        self.token = self.register()
        self.clock = Clock(self.device_id, now_ms) if now_ms else Clock(self.device_id)
        self.outbox: list[dict] = []
        self.attention: list[dict] = []
        self.cursor: str | None = None
        self.replica = Replica()

    def register(self) -> str:
        response = self.client.post(
            "/api/sync/devices",
            json={"device_id": self.device_id, "label": "test"},
            headers={"X-CSRFToken": csrf_token(self.client, "/login")},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["token"]

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    # -- local edits ----------------------------------------------------------

    def upsert(self, record_type: str, record_id: str | None = None, **fields) -> str:
        record_id = record_id or str(uuid.uuid4())
        self._queue(record_type, record_id, "upsert", fields)
        return record_id

    def delete(self, record_type: str, record_id: str) -> None:
        self._queue(record_type, record_id, "delete", {})

    def resolve(self, conflict: dict, value) -> None:
        key = (conflict["record_type"], conflict["record_id"])
        for competing in conflict["values"]:
            if competing["stamp"]:
                self.clock.receive(Stamp.parse(competing["stamp"]))
        self._queue(*key, "upsert", {conflict["field"]: value}, resolves=[conflict["conflict_id"]])

    def _queue(self, record_type, record_id, op, fields, resolves=()):
        key = (record_type, record_id)
        mutation = {
            "mutation_id": str(uuid.uuid4()),
            "record_type": record_type,
            "record_id": record_id,
            "op": op,
            "fields": fields,
            "stamp": self.clock.send().pack(),
            "base_version": self.replica.versions.get(key, 0),
        }
        if resolves:
            mutation["resolves"] = list(resolves)
        self.outbox.append(mutation)
        # Local-first: the replica shows the edit at once.
        if op == "delete":
            self.replica.deleted.add(key)
        else:
            self.replica.deleted.discard(key)  # a later write brings it back (M7)
            self.replica.records.setdefault(key, {}).update(fields)

    # -- sync ---------------------------------------------------------------

    def push(self, batch_size: int = 500) -> list[dict]:
        results = []
        while self.outbox:
            batch = self.outbox[:batch_size]
            response = self.client.post(
                "/api/sync/push", json={"mutations": batch}, headers=self.auth
            )
            assert response.status_code == 200, response.get_json()
            answered = response.get_json()["results"]
            # Entries leave the outbox only once the server answered for them.
            self.outbox = self.outbox[len(batch) :]
            for mutation, result in zip(batch, answered, strict=True):
                if result["status"] == "rejected":
                    self.attention.append({"mutation": mutation, "errors": result["errors"]})
            results.extend(answered)
        return results

    def pull(self, limit: int = 1000) -> int:
        """Pull every page; returns how many changes arrived."""
        count = 0
        while True:
            params = {"limit": limit}
            if self.cursor:
                params["cursor"] = self.cursor
            response = self.client.get("/api/sync/pull", query_string=params, headers=self.auth)
            assert response.status_code == 200, response.get_json()
            page = response.get_json()
            self.apply(page)
            count += len(page["changes"])
            if not page["more"]:
                return count

    def apply(self, page: dict) -> None:
        for change in page["changes"]:
            key = (change["record_type"], change["record_id"])
            for stamp in change["stamps"].values():
                self.clock.receive(Stamp.parse(stamp))
            self.replica.versions[key] = change["version"]
            if change["deleted"]:
                self.replica.deleted.add(key)
            else:
                self.replica.deleted.discard(key)
                self.replica.records[key] = dict(change["fields"])
            # The page lists all open conflicts of each changed record.
            for cid in [c for c, v in self.replica.conflicts.items() if _key(v) == key]:
                del self.replica.conflicts[cid]
        for conflict in page["conflicts"]:
            self.replica.conflicts[conflict["conflict_id"]] = conflict
        for removal in page["removals"]:
            key = (removal["record_type"], removal["record_id"])
            self.replica.records.pop(key, None)
            self.replica.versions.pop(key, None)
            self.replica.deleted.discard(key)
        self.cursor = page["cursor"]

    def sync(self) -> list[dict]:
        results = self.push()
        self.pull()
        return results

    def record(self, record_type: str, record_id: str) -> dict:
        return self.replica.records[(record_type, record_id)]


def _key(conflict: dict) -> tuple[str, str]:
    return conflict["record_type"], conflict["record_id"]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def new_caseload(device: SimDevice, coach_id: int) -> dict:
    """A participant, a period and one goal per area, as a coach creates them offline."""
    ids = {
        "participant": device.upsert(
            "participant",
            first_name="Aino",
            last_name="Lehtonen",
            coach_id=coach_id,
            consent_given=True,
        )
    }
    ids["period"] = device.upsert(
        "coaching_period",
        participant_id=ids["participant"],
        coach_id=coach_id,
        measure_type="work_trial",
        phase="active",
        start_date="2026-11-02",
    )
    for area in ("competence", "work_community", "working_life_skills", "wellbeing"):
        ids[area] = device.upsert(
            "goal", period_id=ids["period"], area=area, title=f"Tavoite {area}"
        )
    return ids
