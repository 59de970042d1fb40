"""Schemas at the edge: errors name the field and the rule."""

import pytest

from server.records.registry import TYPES
from server.schemas.base import ValidationError
from server.schemas.panels import validate_panel_composition
from server.schemas.people import UserCreateSchema


def errors(record_type: str, data: dict, partial=False) -> dict:
    return TYPES[record_type].schema().validate(data, partial=partial)


def test_employer_ytunnus_rule_is_named():
    result = errors("employer", {"name": "Yritys Oy", "business_id": "2456789-5"})
    assert result == {"business_id": ["is not a valid Y-tunnus: the check digit does not match"]}


def test_employer_ytunnus_without_check_digit():
    result = errors("employer", {"name": "Yritys Oy", "business_id": "3141592-0"})
    assert "no check digit exists" in result["business_id"][0]


def test_rating_must_be_on_the_scale():
    data = {"round_id": "r", "goal_id": "g", "rater": "coach", "rating": 6}
    assert errors("assessment", data) == {"rating": ["must be between 1 and 5"]}


def test_rating_must_be_an_integer_not_a_string():
    data = {"round_id": "r", "goal_id": "g", "rater": "coach", "rating": "4"}
    assert "rating" in errors("assessment", data)


def test_enum_lists_allowed_values():
    result = errors("goal", {"period_id": "p", "area": "health", "title": "x"})
    assert result == {
        "area": ["must be one of: competence, work_community, working_life_skills, wellbeing"]
    }


def test_required_fields_are_named():
    result = errors("coaching_period", {})
    assert {"participant_id", "coach_id", "measure_type", "start_date"} <= set(result)


def test_partial_update_checks_only_given_fields():
    assert errors("goal", {"status": "achieved"}, partial=True) == {}
    assert errors("goal", {"status": "done"}, partial=True) == {
        "status": ["must be one of: open, achieved, dropped"]
    }


def test_unknown_field_is_rejected_by_name():
    result = errors("goal", {"colour": "red"}, partial=True)
    assert result == {"colour": ["Unknown field."]}


def test_server_fields_cannot_be_set():
    for record_type, entry in TYPES.items():
        for field in ("version", "deleted", "field_meta", "organization_id", "created_by_id"):
            assert field not in entry.schema().fields, (record_type, field)


def test_length_limit_names_the_rule():
    result = errors("goal", {"title": "x" * 201}, partial=True)
    assert result == {"title": ["must be at most 200 characters"]}


def test_signoff_verification_is_not_client_settable():
    fields = TYPES["signoff"].schema().fields
    assert "verification_status" not in fields
    assert "credential_id" in fields


def test_user_password_rule():
    result = UserCreateSchema().validate(
        {"email": "a@b.fi", "name": "A", "role": "coach", "password": "short"}
    )
    assert result == {"password": ["must be at least 12 characters"]}


def test_user_role_rule():
    result = UserCreateSchema().validate(
        {"email": "not-an-email", "name": "A", "role": "boss", "password": "x" * 12}
    )
    assert result["email"] == ["must be an e-mail address"]
    assert result["role"][0].startswith("must be one of: coach")


@pytest.mark.parametrize(
    ("kinds", "ok"),
    [
        (["client", "client", "staff", "staff"], True),
        (["client", "client", "client", "staff", "staff"], True),
        (["client", "staff", "staff", "staff"], False),
        (["client", "client", "staff"], False),
        ([], False),
    ],
)
def test_panel_needs_two_clients_and_two_staff(kinds, ok):
    if ok:
        validate_panel_composition(kinds)
    else:
        with pytest.raises(ValidationError) as info:
            validate_panel_composition(kinds)
        assert "at least 2 clients and 2 staff" in str(info.value.messages)
