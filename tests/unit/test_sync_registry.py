"""The sync registry checks pushed fields by the same rules as the schemas."""

import pytest

from server.schemas import RECORD_SCHEMAS
from server.sync_api.registry import TYPES, from_wire, policies

CASES = [
    ("goal", {"period_id": "p", "area": "competence", "title": "Kassatyö"}, True),
    ("goal", {"area": "health"}, False),
    ("goal", {"title": "x" * 201, "status": "done"}, False),
    ("goal", {"target_date": "not a date"}, False),
    ("assessment", {"round_id": "r", "goal_id": "g", "rater": "coach", "rating": 6}, True),
    ("assessment", {"rating": "4"}, False),
    ("employer", {"name": "Yritys Oy", "business_id": "2456789-5"}, True),
    ("participant", {"first_name": " ", "last_name": "L", "coach_id": 1}, True),
    ("participant", {"email": "nope", "birth_year": 1800}, False),
    ("coaching_period", {}, True),
    ("coaching_period", {"participant_satisfaction": 0, "start_date": "2026-11-02"}, False),
    ("event_attendance", {"meetings_held": -1, "got_work": "yes"}, False),
]


@pytest.mark.parametrize(("record_type", "fields", "creating"), CASES)
def test_sync_validation_agrees_with_the_schema(record_type, fields, creating):
    expected = RECORD_SCHEMAS[record_type]().validate(fields, partial=not creating)
    assert policies()[record_type].check(fields, creating=creating) == expected


def test_every_synced_type_has_a_schema_and_writable_fields():
    for name, synced in TYPES.items():
        assert name in RECORD_SCHEMAS
        assert synced.writable
        assert not synced.writable & {"version", "deleted", "field_meta", "organization_id"}


def test_wire_dates_become_python_dates():
    fields = from_wire("coaching_period", {"start_date": "2026-11-02", "phase": "active"})
    assert fields["start_date"].isoformat() == "2026-11-02"
    assert fields["phase"] == "active"
