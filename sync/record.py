"""The server's copy of one synced record, with who wrote each field and when."""

import json
from dataclasses import dataclass, field
from functools import partial
from typing import Any

# JSON as the server stores and sends it: compact, UTF-8 left as it is.
compact_json = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))

DELETED = "_deleted"  # the pseudo-field name of a record's deletion (meta key, conflict field)


@dataclass(frozen=True, slots=True)
class FieldMeta:
    """The last accepted write of one field (or of the deletion)."""

    stamp: str  # packed Stamp the server orders by
    device_id: str
    user_id: int
    version: int  # the record version this write produced
    # Packed stamp as the device made it, only when the server bounded it (see hlc.bound).
    device_stamp: str | None = None
    # Another device wrote the same value concurrently (no conflict: they agree),
    # so this device is not the value's only author; its own next write may
    # then conflict with the other author (see merge._clash).
    shared: bool = False

    @property
    def own_stamp(self) -> str:
        return self.device_stamp or self.stamp

    def to_json(self) -> dict[str, Any]:
        out = {"s": self.stamp, "d": self.device_id, "u": self.user_id, "v": self.version}
        if self.device_stamp:
            out["ds"] = self.device_stamp
        if self.shared:
            out["sh"] = True
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FieldMeta":
        return cls(
            data["s"], data["d"], data["u"], data["v"], data.get("ds"), data.get("sh", False)
        )


@dataclass(frozen=True, slots=True)
class RecordState:
    """A value: merges build a new state rather than change one (dicts included)."""

    record_type: str
    record_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, FieldMeta] = field(default_factory=dict)
    deleted: bool = False
    delete_meta: FieldMeta | None = None
    version: int = 0  # increments once per mutation that changed the record

    def stamps(self) -> dict[str, str]:
        return {name: m.stamp for name, m in self.meta.items()}


def meta_to_json(state: RecordState) -> dict[str, Any]:
    """All write metadata of a record as one JSON object (the deletion under "_deleted")."""
    out = {name: m.to_json() for name, m in state.meta.items()}
    if state.delete_meta:
        out[DELETED] = state.delete_meta.to_json()
    return out


def meta_from_json(data: dict[str, Any]) -> tuple[dict[str, FieldMeta], FieldMeta | None]:
    """(field meta, delete meta) from `meta_to_json` output."""
    meta = {name: FieldMeta.from_json(m) for name, m in data.items() if name != DELETED}
    delete = data.get(DELETED)
    return meta, FieldMeta.from_json(delete) if delete else None


def wire_form(state: RecordState) -> dict[str, Any]:
    """The record as a pull sends it (L6)."""
    if state.deleted:
        # A tombstone travels without its content, but with the delete's stamp:
        # a device re-creating the record must stamp later than the delete (L7).
        fields, stamps = {}, {DELETED: state.delete_meta.stamp}
    else:
        fields, stamps = state.fields, state.stamps()
    return {
        "record_type": state.record_type,
        "record_id": state.record_id,
        "version": state.version,
        "deleted": state.deleted,
        "fields": fields,
        "stamps": stamps,
    }


def wire_json(state: RecordState) -> str:
    """`wire_form` as JSON text, what a Change carries."""
    return compact_json(wire_form(state))
