"""The server's copy of one synced record, with who wrote each field and when."""

from dataclasses import dataclass, field
from typing import Any

import orjson


def compact_json(value: Any) -> str:
    """JSON as the server stores and sends it: compact, UTF-8 left as it is
    (what json.dumps gives with ensure_ascii=False and no spaces). orjson, as
    the field metadata of every pushed record is encoded with it: ~6x faster."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


DELETED = "_deleted"  # the pseudo-field name of a deletion (in a pull's stamps, a conflict)


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
    """All write metadata of a record as one JSON object (stored as field_meta)."""
    return encode_meta(state.meta, state.delete_meta)


def encode_meta(meta: dict[str, FieldMeta], delete_meta: FieldMeta | None) -> dict[str, Any]:
    """The stored form of a record's write metadata:

        {"s": {field: stamp},   the stamps a pull sends, read by the database
                                in one step when it renders a record (L6);
         "f": {field: i},       which write set the field: an index into "w";
         "w": [[device_id, user_id, version, device_stamp, shared], ...],
                                each write once (one mutation's fields share it);
         "d": [stamp, i]}       the deletion, when one was recorded.

    A field per write, as before, took ~130 bytes a field and most of a
    push's JSON encoding; see docs/sync-protocol.md, "Stored records".
    """
    stamps: dict[str, str] = {}
    index: dict[str, int] = {}
    writes: list[tuple] = []
    seen: dict[tuple, int] = {}
    last, i = None, 0
    for name, m in meta.items():
        stamps[name] = m.stamp
        if m is not last:  # one mutation's fields share one FieldMeta: look it up once
            i, last = _write_index(m, writes, seen), m
        index[name] = i
    out: dict[str, Any] = {"s": stamps, "f": index, "w": writes}
    if delete_meta:
        out["d"] = (delete_meta.stamp, _write_index(delete_meta, writes, seen))
    return out


def _write_index(m: FieldMeta, writes: list[tuple], seen: dict[tuple, int]) -> int:
    key = (m.device_id, m.user_id, m.version, m.device_stamp, m.shared)
    i = seen.get(key)
    if i is None:
        i = seen[key] = len(writes)
        writes.append(key)
    return i


def meta_from_json(data: dict[str, Any]) -> tuple[dict[str, FieldMeta], FieldMeta | None]:
    """(field meta, delete meta) from `encode_meta` output."""
    if not data:
        return {}, None
    stamps, writes = data["s"], data["w"]
    meta = {name: FieldMeta(stamps[name], *writes[i]) for name, i in data["f"].items()}
    deletion = data.get("d")
    return meta, FieldMeta(deletion[0], *writes[deletion[1]]) if deletion else None


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
