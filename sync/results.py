"""The outcome of one pushed mutation, as the device receives it."""

from dataclasses import dataclass
from typing import Any, Literal

PushStatus = Literal["applied", "duplicate", "conflict", "rejected"]


@dataclass(frozen=True, slots=True)
class PushResult:
    mutation_id: str | None  # None when the mutation's own id was unreadable
    status: PushStatus
    errors: dict[str, list[str]] | None = None  # rejected: {key or field: [rule, ...]}
    version: int | None = None  # the record version after this mutation merged
    conflict_ids: tuple[str, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"mutation_id": self.mutation_id, "status": self.status}
        if self.errors:
            wire["errors"] = self.errors
        if self.version is not None:
            wire["version"] = self.version
        if self.conflict_ids:
            wire["conflict_ids"] = list(self.conflict_ids)
        return wire
