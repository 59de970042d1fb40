"""The pull cursor: an opaque token for a change-feed position (L1, L5)."""

import base64
import binascii
import json

from sync.errors import ProtocolError

_VERSION = 1  # bump when the token's content changes; old tokens then fail clearly
_INVALID = {"cursor": ["not a cursor from this server; pull again without one"]}


def encode_cursor(position: int) -> str:
    text = json.dumps({"v": _VERSION, "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str | None) -> int:
    """The position after which to pull; 0 (the beginning) when there is no cursor yet."""
    if cursor is None:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (AttributeError, TypeError, ValueError, UnicodeError, binascii.Error):
        raise ProtocolError(_INVALID) from None
    if not isinstance(data, dict) or data.get("v") != _VERSION:
        raise ProtocolError(_INVALID)
    position = data.get("p")
    if type(position) is not int or position < 0:
        raise ProtocolError(_INVALID)
    return position
