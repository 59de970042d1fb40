import pytest

from server.ytunnus import check_digit, is_valid_ytunnus, ytunnus_error


@pytest.mark.parametrize(
    "value",
    [
        "0112038-9",  # r = 2 → 9
        "2456789-6",
        "3456712-8",
        "2871034-6",
        "2345678-0",  # r = 0 → check digit 0
        "1572860-0",  # r = 0 → check digit 0
    ],
)
def test_valid(value):
    assert is_valid_ytunnus(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2456789-5", "check_digit"),
        ("2345678-1", "check_digit"),
        ("3141592-0", "no_check_digit"),  # r = 1: no valid check digit exists
        ("3141592-1", "no_check_digit"),
        ("245678-6", "format"),
        ("24567890", "format"),
        ("2456789 6", "format"),
        ("", "format"),
        ("abcdefg-h", "format"),
    ],
)
def test_invalid_with_reason(value, reason):
    assert ytunnus_error(value) == reason
    assert not is_valid_ytunnus(value)


def test_check_digit_rule_by_hand():
    # 3,1,4,1,5,9,2 · 7,9,10,5,8,4,2 = 21+9+40+5+40+36+4 = 155; 155 mod 11 = 1 → none
    assert check_digit("3141592") is None
    # 2,4,5,6,7,8,9 → 14+36+50+30+56+32+18 = 236; 236 mod 11 = 5 → 11-5 = 6
    assert check_digit("2456789") == 6
