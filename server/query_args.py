"""Whole numbers from query strings (and form fields): ASCII digits only.

`str.isdigit` also accepts superscripts ("²"), which `int` then refuses (a
500), and other scripts' digits ("٣"), which `int` reads: a number is
accepted here only as the digits 0-9, within what every database column of
ours holds, and anything else is a 4xx that names the parameter.
"""

import re

from flask import request
from werkzeug.exceptions import HTTPException

from server.i18n import translate

_DIGITS = re.compile(r"[0-9]{1,10}", re.ASCII)
LARGEST = 2**31 - 1  # the largest INTEGER of PostgreSQL (and of our ids)


class BadArgument(HTTPException):
    """A query parameter that is not what it must be; `fields` names it."""

    def __init__(self, field: str, message: str, code: int = 400):
        super().__init__(description=message)
        self.code = code
        self.fields = {field: [message]}


def whole_number(raw: str | None, minimum: int = 1, maximum: int = LARGEST) -> int | None:
    """The number `raw` spells in ASCII digits, if within the bounds; else None."""
    if raw is None or not _DIGITS.fullmatch(raw := raw.strip()):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def int_arg(
    name: str,
    default: int | None = None,
    *,
    args=None,
    minimum: int = 1,
    maximum: int = LARGEST,
    code: int = 400,
    message: str | None = None,
) -> int | None:
    """Query parameter `name` as a whole number; `default` when absent or empty."""
    raw = (request.args if args is None else args).get(name)
    if raw is None or not raw.strip():
        return default
    value = whole_number(raw, minimum, maximum)
    if value is None:
        raise BadArgument(
            name,
            message or translate("error.whole_number", field=name, minimum=minimum),
            code,
        )
    return value
