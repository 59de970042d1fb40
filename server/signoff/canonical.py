"""The canonical serialization of a work demonstration's signed content, and
the WebAuthn challenge over it (docs/signoff-canonical.md).

Pure functions, no Flask and no database: the server builds the records from
its tables, the coach's app (pwa/js/signoff/canonical.js) from IndexedDB, and
both must give the same bytes. tests/vectors/signoff_canonical.json proves it.

The inputs are records in their sync wire shape (docs/sync-protocol.md):
dates as ISO 8601 text, ids as UUID text, absent values as None.
"""

import hashlib
import json
import unicodedata
from typing import Any

# The version of this format; a sign-off names it in `content_version`.
CONTENT_VERSION = 1
NONCE_BYTES = 32


class CanonicalError(ValueError):
    """The input cannot be serialized canonically (e.g. text with a lone surrogate)."""


def text(value: Any) -> str | None:
    """A text value as signed: line ends as LF, Unicode NFC, empty as None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise CanonicalError(f"expected text or null, got {type(value).__name__}")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise CanonicalError("text contains a lone surrogate")
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value or None


def _id(value: Any) -> str | None:
    value = text(value)
    return None if value is None else value.lower()


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = value.isoformat()  # a datetime.date from the database
    return text(value)


def _position(task: dict) -> int:
    position = task.get("position")
    return 0 if position is None else int(position)


def _name(participant: dict) -> str | None:
    parts = [text(participant.get("first_name")), text(participant.get("last_name"))]
    return text(" ".join(p for p in parts if p))


def canonical_content(
    demonstration: dict, tasks: list[dict], participant: dict, employer: dict
) -> dict:
    """The signed content as a JSON-ready object (format CONTENT_VERSION).

    Tasks flagged deleted are left out; the others go in position order, ties
    by id. Task positions themselves are not signed, only the order.
    """
    live = [t for t in tasks if not t.get("deleted")]
    live.sort(key=lambda t: (_position(t), _id(t.get("id")) or ""))
    return {
        "content_version": CONTENT_VERSION,
        "demonstration_id": _id(demonstration.get("id")),
        "title": text(demonstration.get("title")),
        "date": _date(demonstration.get("demonstration_date")),
        "participant": {"id": _id(participant.get("id")), "name": _name(participant)},
        "employer": {
            "id": _id(employer.get("id")),
            "name": text(employer.get("name")),
            "business_id": text(employer.get("business_id")),
        },
        "tasks": [
            {
                "task": text(t.get("task")),
                "criteria": text(t.get("criteria")),
                "result": text(t.get("result")),
                "note": text(t.get("note")),
            }
            for t in live
        ],
        "overall_result": text(demonstration.get("overall_result")),
        "recommendation": text(demonstration.get("recommendation")),
    }


def serialize(content: dict) -> str:
    """Canonical JSON text: keys sorted, no whitespace, non-ASCII as is."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_bytes(
    demonstration: dict, tasks: list[dict], participant: dict, employer: dict
) -> bytes:
    return serialize(canonical_content(demonstration, tasks, participant, employer)).encode()


def content_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def nonce_bytes(nonce: str) -> bytes:
    """A nonce travels as 64 lower-case hex digits; it is signed as its 32 bytes."""
    if not isinstance(nonce, str) or len(nonce) != 2 * NONCE_BYTES:
        raise CanonicalError("a nonce is 64 hex digits")
    if nonce != nonce.lower() or any(ch not in "0123456789abcdef" for ch in nonce):
        raise CanonicalError("a nonce is 64 lower-case hex digits")
    return bytes.fromhex(nonce)


def challenge(content: bytes, nonce: str) -> bytes:
    """The WebAuthn challenge: SHA-256(canonical content bytes ‖ the nonce's 32 bytes)."""
    return hashlib.sha256(content + nonce_bytes(nonce)).digest()
