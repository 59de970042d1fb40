"""The pull cursor: an opaque token for a change-feed position (L1, L5).

It also says whether the page it ended was full ("more" followed): the next
pull is then most likely part of a backlog, which the store reads another way
(SyncStore.changes_after's `backlog`). A first pull (no cursor) is not
marked: for most users everything in scope fits a page or two, which the
read for incremental pulls finds at once.
"""

import base64
import binascii
import json
from typing import NamedTuple

from sync.errors import ProtocolError

_VERSION = 1  # bump when the token's content changes; old tokens then fail clearly
_INVALID = {"cursor": ["not a cursor from this server; pull again without one"]}


class Cursor(NamedTuple):
    position: int  # pull after this change-feed position
    backlog: bool = False  # the page that ended here was full


def encode_cursor(position: int, backlog: bool = False) -> str:
    content = {"v": _VERSION, "p": position, **({"b": 1} if backlog else {})}
    text = json.dumps(content, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str | None) -> Cursor:
    """Where to pull after; the beginning when there is no cursor yet."""
    if cursor is None:
        return Cursor(0)
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (AttributeError, TypeError, ValueError, UnicodeError, binascii.Error):
        raise ProtocolError(_INVALID) from None
    if not isinstance(data, dict) or data.get("v") != _VERSION:
        raise ProtocolError(_INVALID)
    position, backlog = data.get("p"), data.get("b", 0)
    if type(position) is not int or position < 0 or backlog not in (0, 1):
        raise ProtocolError(_INVALID)
    return Cursor(position, backlog == 1)
