"""What a record type allows a mutation to write; the server builds one per synced type."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Checks field values (types, lengths, vocabularies): fields -> {field: [rule, ...]}.
# `creating` is true when the record does not exist yet, so required fields apply.
Validator = Callable[[dict[str, Any], bool], dict[str, list[str]]]
# Checks a whole record as a merge leaves it against rules across its fields:
# (merged fields, the fields the mutation wrote, creating) -> {field: [rule, ...]}.
RecordCheck = Callable[[dict[str, Any], frozenset[str], bool], dict[str, list[str]]]


@dataclass(frozen=True)
class TypePolicy:
    name: str
    fields: frozenset[str]  # the fields a device may write
    append_only: bool = False  # written once, never edited or deleted
    validate: Validator | None = None
    check_record: RecordCheck | None = None

    def __post_init__(self) -> None:
        # "_" names are the engine's own (the deletion pseudo-field).
        reserved = sorted(f for f in self.fields if f.startswith("_"))
        if reserved:
            raise ValueError(f"field names starting with '_' are reserved: {reserved}")

    def check(self, fields: dict[str, Any], *, creating: bool) -> dict[str, list[str]]:
        """Errors naming each field that may not be written or has a bad value."""
        errors = {name: ["unknown field"] for name in fields.keys() - self.fields}
        if self.validate and not errors:
            errors = self.validate(fields, creating)
        return errors
