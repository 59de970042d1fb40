"""M9 of docs/sync-protocol.md: a new sign-off settles the "signed" conflicts.

Signed content is frozen (M3): an edit after signing is kept as a "signed"
conflict's proposal and the record keeps the signed value. A representative
then signs again, over the content with the edits in (the device shows it
that way). When that signature verifies, the server settles every open
"signed" conflict of the content with what was signed: it looks for the one
choice, per conflicted field, between the value the record holds and the
proposals kept, whose content is exactly the bytes the signature covers.
Found, each field takes the chosen value (written by the proposal's author,
with its stamp) and every one of those conflicts is resolved by the sign-off,
its values kept as history. Not found: the sign-off covers other content and
fails (content_mismatch), and nothing changes.

Pure: the caller passes the records, their open "signed" conflicts and a
function that serializes a candidate set of records into the signed bytes.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import islice, product
from typing import Any

from sync.conflicts import Conflict, ConflictValue
from sync.record import DELETED, FieldMeta, RecordState

RecordKey = tuple[str, str]
# How many combinations of kept values are tried at most: the latest proposals
# together are tried first (the usual case), then the others.
MAX_TRIES = 4096

_KEEP = object()  # the choice "the value the record holds now"


@dataclass(frozen=True, slots=True)
class Settlement:
    states: dict[RecordKey, RecordState]  # the records whose values change, as they become
    chosen: dict[str, Any]  # conflict id -> the value signed for its field


def _choices(conflicts: Iterable[Conflict]) -> dict[tuple[RecordKey, str], list]:
    """Per (record, field): the proposals kept, latest first (one per value), then "keep"."""
    proposals: dict[tuple[RecordKey, str], dict] = {}
    for c in conflicts:
        slot = proposals.setdefault(((c.record_type, c.record_id), c.field), {})
        for value in c.values[1:]:  # the first value is the signed one, the record's
            marker = repr(value.value)
            if marker not in slot or (value.stamp or "") > (slot[marker].stamp or ""):
                slot[marker] = value
    return {
        slot: [*sorted(values.values(), key=lambda v: v.stamp or "", reverse=True), _KEEP]
        for slot, values in proposals.items()
    }


def _apply(state: RecordState, field: str, value: ConflictValue) -> RecordState:
    meta = FieldMeta(value.stamp, value.device_id, value.user_id, state.version + 1)
    if field == DELETED:
        if value.value is None:  # the proposal was to delete it
            return replace(state, deleted=True, delete_meta=meta)
        return replace(state, deleted=False, delete_meta=None)
    return replace(
        state, fields={**state.fields, field: value.value}, meta={**state.meta, field: meta}
    )


def settle(
    states: Mapping[RecordKey, RecordState],
    conflicts: list[Conflict],
    content: Callable[[Mapping[RecordKey, RecordState]], bytes | None],
    signed: bytes,
    content_fields: Mapping[str, frozenset[str]],
    plausible: Callable[[RecordKey, str, Any], bool] | None = None,
) -> Settlement | None:
    """The settlement that makes `content(states)` equal `signed`, or None.

    `states`: the demonstration and all its tasks; `conflicts`: their open
    "signed" conflicts; `content_fields`: per record type, the fields that
    the signed content reads (a conflict on another field takes its latest
    proposal: the signature does not say, and the coach proposed it last).
    `plausible(key, field, value)`: False when the signed bytes cannot hold
    that value for that field; it prunes the combinations (never decides)."""
    choices = _choices(conflicts)
    signs = [s for s in choices if s[1] == DELETED or s[1] in content_fields.get(s[0][0], ())]
    rest = {s: choices[s][0] for s in choices if s not in signs}
    if plausible is not None:
        for slot in signs:
            key, field = slot
            if key not in states:
                continue
            now = states[key].fields.get(field)
            choices[slot] = [
                v for v in choices[slot] if plausible(key, field, now if v is _KEEP else v.value)
            ]
            if not choices[slot]:
                return None
    for combination in islice(product(*(choices[s] for s in signs)), MAX_TRIES):
        picked = {**rest, **dict(zip(signs, combination, strict=True))}
        trial = dict(states)
        for (key, field), value in picked.items():
            if value is not _KEEP and key in trial:
                trial[key] = _apply(trial[key], field, value)
        if content(trial) != signed:
            continue
        changed = {
            key: replace(trial[key], version=states[key].version + 1)
            for key in {k for (k, _f), v in picked.items() if v is not _KEEP and k in trial}
        }
        chosen = {}
        for c in conflicts:
            state = trial.get((c.record_type, c.record_id))
            if state is None:
                continue
            if c.field != DELETED:
                chosen[c.id] = state.fields.get(c.field)
            else:
                chosen[c.id] = None if state.deleted else dict(state.fields)
        return Settlement(changed, chosen)
    return None
