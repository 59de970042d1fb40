"""A push checks its fields by the same rules as the schemas (server/sync_api/fields.py)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow.validate import Length, OneOf, Range

from server.records.registry import SYNCED
from server.sync_api.fields import _plain_check, from_wire, policies

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
    ("coaching_period", {"phase": "over", "start_date": "2026-11-02"}, False),
    ("satisfaction_answer", {"rating": 0, "moment": "later", "party": "employer"}, False),
    ("voucher_request", {"period_id": "p"}, True),
    ("event_attendance", {"meetings_held": -1, "got_work": "yes"}, False),
]


@pytest.mark.parametrize(("record_type", "fields", "creating"), CASES)
def test_sync_validation_agrees_with_the_schema(record_type, fields, creating):
    expected = SYNCED[record_type].schema().validate(fields, partial=not creating)
    assert policies()[record_type].check(fields, creating=creating) == expected


def test_every_synced_type_has_writable_fields():
    for synced in SYNCED.values():
        assert synced.writable
        assert not synced.writable & {"version", "deleted", "field_meta", "organization_id"}


def test_wire_dates_become_python_dates():
    fields = from_wire("coaching_period", {"start_date": "2026-11-02", "phase": "active"})
    assert fields["start_date"].isoformat() == "2026-11-02"
    assert fields["phase"] == "active"


# Values a device might send: text of every length around the limits, the
# vocabularies' own words, numbers around the ranges, booleans, and the
# wrong kinds that marshmallow turns away or converts.
WIRE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10, max_value=3000),
    st.floats(allow_nan=False),
    st.text(max_size=260),
    st.sampled_from(["competence", "wellbeing", "open", "coach", "0", "1", "true", "2026-11-02"]),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
)
CHECKED_FIELDS = [
    (record_type, name)
    for record_type in SYNCED
    for name in sorted(SYNCED[record_type].schema().fields)
]


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(CHECKED_FIELDS), value=WIRE_VALUES)
def test_the_quick_check_never_lets_through_what_the_schema_refuses(field, value):
    # The push validates plainly valid values without marshmallow (speed);
    # every verdict must still be marshmallow's.
    record_type, name = field
    expected = SYNCED[record_type].schema().validate({name: value}, partial=True)
    assert policies()[record_type].check({name: value}, creating=False) == expected


def test_most_fields_take_the_quick_path():
    declared = [f for t in SYNCED for f in SYNCED[t].schema().fields.values()]
    quick = [f for f in declared if _plain_check(f) is not None]
    assert len(quick) >= 0.8 * len(declared), (len(quick), len(declared))


def boundary_values(declared) -> list:
    """Values just inside and just outside each of a field's rules."""
    out = [None, True, False, 0, 1, "", "x", 1.0, b"x"]
    for rule in declared.validators:
        if isinstance(rule, Length) and rule.max is not None:
            out += ["x" * rule.max, "x" * (rule.max + 1)]
        if isinstance(rule, Range):
            out += [rule.min - 1, rule.min, rule.max, rule.max + 1]
        if isinstance(rule, OneOf):
            out += [*rule.choices, rule.choices[0].upper(), rule.choices[0] + " "]
    return out


@pytest.mark.parametrize(("record_type", "name"), CHECKED_FIELDS)
def test_the_quick_check_agrees_at_every_rules_edge(record_type, name):
    declared = SYNCED[record_type].schema().fields[name]
    for value in boundary_values(declared):
        expected = SYNCED[record_type].schema().validate({name: value}, partial=True)
        got = policies()[record_type].check({name: value}, creating=False)
        assert got == expected, (name, value)
