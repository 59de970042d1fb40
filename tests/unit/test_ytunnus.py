"""Y-tunnus: server/ytunnus.py on the cases shared with the PWA's pwa/js/ytunnus.js
(tests/vectors/ytunnus.json; tests/js/ytunnus.test.mjs runs the same ones)."""

import json
from pathlib import Path

import pytest

from server.ytunnus import check_digit, is_valid_ytunnus, ytunnus_error

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "ytunnus.json").read_text("utf-8"))


@pytest.mark.parametrize("value", VECTORS["valid"])
def test_valid(value):
    assert is_valid_ytunnus(value)


@pytest.mark.parametrize(
    ("value", "reason"), [(case["value"], case["reason"]) for case in VECTORS["invalid"]]
)
def test_invalid_with_reason(value, reason):
    assert ytunnus_error(value) == reason
    assert not is_valid_ytunnus(value)


@pytest.mark.parametrize(("digits", "expected"), VECTORS["check_digits"].items())
def test_check_digits(digits, expected):
    assert check_digit(digits) == expected


def test_check_digit_rule_by_hand():
    # 3,1,4,1,5,9,2 · 7,9,10,5,8,4,2 = 21+9+40+5+40+36+4 = 155; 155 mod 11 = 1 → none
    assert check_digit("3141592") is None
    # 2,4,5,6,7,8,9 → 14+36+50+30+56+32+18 = 236; 236 mod 11 = 5 → 11-5 = 6
    assert check_digit("2456789") == 6
