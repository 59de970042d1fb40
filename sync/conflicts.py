"""Conflicts: every competing value of a field kept with who and when, and how one is settled.

Kinds:
- "value": concurrent writes of one field by different devices; the field
  holds the winner (higher stamp), the conflict holds winner and loser.
- "delete": an edit raced a delete (field "_deleted"); a value of None is
  the delete, a dict is the edited fields.
- "signed": an edit to content an employer has signed; the field keeps the
  signed value (listed first), the proposal waits for a new sign-off.
"""

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sync.hlc import Clock, Stamp
from sync.mutation import Mutation
from sync.record import DELETED

Kind = Literal["value", "delete", "signed"]

# Conflict ids derive from (mutation, field): re-merging the same mutation
# yields the same id, so a retried write cannot duplicate a conflict.
_NAMESPACE = uuid.UUID("6f1c2a52-4d0e-4b8e-9a57-3c2f0e1d7b44")


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: Any
    # Who wrote the value and when; None only for a field of signed content that
    # was never written (the proposal would set it for the first time).
    stamp: str | None  # packed Stamp
    device_id: str | None
    user_id: int | None
    # None for a value that was already stored: field meta does not keep mutation ids.
    mutation_id: str | None

    def to_wire(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "stamp": self.stamp,
            "device_id": self.device_id,
            "user_id": self.user_id,
            "mutation_id": self.mutation_id,
        }


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    record_type: str
    record_id: str
    field: str  # a field name, or "_deleted"
    kind: Kind
    values: tuple[ConflictValue, ...]  # the winner (the value the record holds) first
    version: int  # record version after the merge that found it
    mutation_id: str  # the mutation whose merge found it

    def to_wire(self) -> dict[str, Any]:
        return {
            "conflict_id": self.id,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "field": self.field,
            "kind": self.kind,
            "version": self.version,
            "mutation_id": self.mutation_id,
            "values": [v.to_wire() for v in self.values],
        }


def conflict_id(mutation_id: str, field: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{mutation_id}/{field}"))


def resolution(
    conflict: Conflict,
    value: Any,
    *,
    clock: Clock,
    user_id: int,
    base_version: int,
    mutation_id: str | None = None,
) -> Mutation:
    """The mutation that settles `conflict` with `value` (one of the values, or a merge of them).

    A resolution is an ordinary write, so it syncs and merges like any other:
    its base_version has seen every competing value (so it overwrites them
    causally, without a new conflict) and it lists the conflict in `resolves`
    (so the store marks it resolved in the same transaction). For "_deleted",
    None keeps the record deleted and a dict of fields keeps it alive.
    A "signed" conflict settled with the proposal applies only after the
    server lifts the freeze, i.e. once a new sign-off is under way.
    """
    if base_version < conflict.version:
        raise ValueError(
            f"base_version {base_version} has not seen every competing value "
            f"(needs >= {conflict.version})"
        )
    # The resolution must outrank every competing value, whatever clock the resolver has.
    for competing in conflict.values:
        if competing.stamp:
            clock.receive(Stamp.parse(competing.stamp))
    if conflict.field == DELETED:
        op, fields = ("delete", {}) if value is None else ("upsert", dict(value))
    else:
        op, fields = "upsert", {conflict.field: value}
    return Mutation(
        mutation_id=mutation_id or str(uuid.uuid4()),
        device_id=clock.node,
        user_id=user_id,
        record_type=conflict.record_type,
        record_id=conflict.record_id,
        op=op,
        fields=fields,
        stamp=clock.send(),
        base_version=base_version,
        resolves=(conflict.id,),
    )
