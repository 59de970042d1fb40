"""Finnish business ID (Y-tunnus) NNNNNNN-C with its check digit.

Weights 7,9,10,5,8,4,2 on the seven digits; r = sum mod 11; r = 0 gives check
digit 0, r = 1 is never issued (invalid), otherwise the check digit is 11 - r.
The PWA has the same rule in pwa/js/ytunnus.js; both are tested on the same cases.
"""

import re

# ASCII digits only, the whole text (\d would take other scripts' digits, $ a final newline).
_FORMAT = re.compile(r"([0-9]{7})-([0-9])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def check_digit(digits: str) -> int | None:
    """The check digit for seven digits, or None when no valid one exists (r = 1)."""
    r = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if r == 0:
        return 0
    if r == 1:
        return None
    return 11 - r


def ytunnus_error(value: str) -> str | None:
    """Why `value` is not a valid Y-tunnus, or None when it is."""
    match = _FORMAT.fullmatch(value or "")
    if not match:
        return "format"  # must be seven digits, a hyphen and a check digit
    expected = check_digit(match.group(1))
    if expected is None:
        return "no_check_digit"
    if int(match.group(2)) != expected:
        return "check_digit"
    return None


def is_valid_ytunnus(value: str) -> bool:
    return ytunnus_error(value) is None
