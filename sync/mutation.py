"""A mutation: one device's change to one record, and its validation at the wire edge."""

import re
from dataclasses import dataclass
from typing import Any, Literal

from sync.hlc import Stamp

Op = Literal["upsert", "delete"]
OPS = ("upsert", "delete")

# Canonical text form only (any case), so one id cannot arrive in two spellings
# and slip past the idempotency check.
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

WIRE_KEYS = frozenset(
    {"mutation_id", "record_type", "record_id", "op", "fields", "stamp", "base_version", "resolves"}
)
# Identity comes from the authenticated session; a payload claiming it is a client bug.
SESSION_KEYS = frozenset({"device_id", "user_id"})


@dataclass(frozen=True, slots=True)
class Mutation:
    mutation_id: str  # idempotency key, made by the device
    device_id: str
    user_id: int
    record_type: str
    record_id: str
    op: Op
    fields: dict[str, Any]  # only the changed fields; empty for a delete
    stamp: Stamp  # the stamp merges order by (bounded by the server, see hlc.bound)
    base_version: int  # the record version the device last pulled; 0 if never seen
    resolves: tuple[str, ...] = ()  # ids of conflicts this mutation settles
    # The stamp as the device made it, kept only when the server had to bound it:
    # it still orders this device's own writes among themselves.
    device_stamp: Stamp | None = None

    @property
    def own_stamp(self) -> Stamp:
        return self.device_stamp or self.stamp


class MutationError(ValueError):
    """A wire mutation that cannot be accepted; `errors` maps each bad key to its rules."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def parse_mutation(raw: object, *, device_id: str, user_id: int) -> Mutation:
    """Validate one wire mutation; every problem is reported at once, by key."""
    if not isinstance(raw, dict):
        raise MutationError({"_mutation": ["must be an object"]})
    errors: dict[str, list[str]] = {}
    for key in raw.keys() - WIRE_KEYS:
        rule = "set by the server from the session" if key in SESSION_KEYS else "unknown key"
        errors[str(key)] = [rule]

    mutation_id, record_id = raw.get("mutation_id"), raw.get("record_id")
    if not is_uuid(mutation_id):
        errors["mutation_id"] = ["must be a UUID"]
    if not is_uuid(record_id):
        errors["record_id"] = ["must be a UUID"]
    record_type = raw.get("record_type")
    if not isinstance(record_type, str) or not record_type:
        errors["record_type"] = ["must be a non-empty string"]

    op = raw.get("op")
    fields = raw.get("fields", {})
    if op not in OPS:
        errors["op"] = ["must be one of: " + ", ".join(OPS)]
    if not isinstance(fields, dict):
        errors["fields"] = ["must be an object"]
    elif op == "upsert" and not fields:
        errors["fields"] = ["must not be empty for upsert"]
    elif op == "delete" and fields:
        errors["fields"] = ["must be empty for delete"]

    stamp = None
    try:
        stamp = Stamp.parse(raw.get("stamp"))
    except ValueError as error:
        errors["stamp"] = [str(error)]
    else:
        # Node = device keeps stamps of different devices distinct, so the
        # last-writer-wins order never ties between devices.
        if stamp.node != device_id:
            errors["stamp"] = ["node must be this device's id"]

    base_version = raw.get("base_version")
    if type(base_version) is not int or base_version < 0:
        errors["base_version"] = ["must be an integer >= 0"]

    resolves = raw.get("resolves", [])
    if not isinstance(resolves, list) or not all(is_uuid(c) for c in resolves):
        errors["resolves"] = ["must be a list of conflict ids (UUIDs)"]

    if errors:
        raise MutationError(errors)
    return Mutation(
        mutation_id=mutation_id.lower(),
        device_id=device_id,
        user_id=user_id,
        record_type=record_type,
        record_id=record_id.lower(),
        op=op,
        fields=fields,
        stamp=stamp,
        base_version=base_version,
        resolves=tuple(c.lower() for c in resolves),
    )


def to_wire(m: Mutation) -> dict[str, Any]:
    """The wire form a device sends (the inverse of parse_mutation)."""
    wire = {
        "mutation_id": m.mutation_id,
        "record_type": m.record_type,
        "record_id": m.record_id,
        "op": m.op,
        "fields": m.fields,
        "stamp": m.own_stamp.pack(),
        "base_version": m.base_version,
    }
    if m.resolves:
        wire["resolves"] = list(m.resolves)
    return wire
