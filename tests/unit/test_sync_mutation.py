"""Wire mutations: each bad key is named with its rule; identity comes from the session."""

import pytest

from sync.hlc import Stamp
from sync.mutation import MutationError, parse_mutation, to_wire
from sync.policy import TypePolicy
from sync.record import FieldMeta, RecordState, meta_from_json, meta_to_json

DEVICE = "dev-a"
MUTATION_ID = "0b6f6a0e-6a51-4c8f-a7b1-4d0c2a9a9f01"
RECORD_ID = "5d1f0c9e-3b8a-4a57-9e2e-7f1d2c3b4a50"


def wire(**overrides):
    raw = {
        "mutation_id": MUTATION_ID,
        "record_type": "goal",
        "record_id": RECORD_ID,
        "op": "upsert",
        "fields": {"title": "Oppii kassan"},
        "stamp": Stamp(1_000, 0, DEVICE).pack(),
        "base_version": 0,
    }
    raw.update(overrides)
    return raw


def errors_of(raw):
    with pytest.raises(MutationError) as caught:
        parse_mutation(raw, device_id=DEVICE, user_id=7)
    return caught.value.errors


def test_a_valid_mutation_parses_with_identity_from_the_session():
    m = parse_mutation(wire(), device_id=DEVICE, user_id=7)
    assert (m.device_id, m.user_id) == (DEVICE, 7)
    assert m.stamp == Stamp(1_000, 0, DEVICE)
    assert m.fields == {"title": "Oppii kassan"}
    assert m.resolves == ()


def test_ids_are_normalised_to_lower_case_so_one_id_has_one_spelling():
    m = parse_mutation(
        wire(mutation_id=MUTATION_ID.upper(), record_id=RECORD_ID.upper()),
        device_id=DEVICE,
        user_id=7,
    )
    assert (m.mutation_id, m.record_id) == (MUTATION_ID, RECORD_ID)


def test_to_wire_is_the_inverse_of_parse():
    raw = wire(resolves=[RECORD_ID])
    assert to_wire(parse_mutation(raw, device_id=DEVICE, user_id=7)) == raw


@pytest.mark.parametrize(
    ("overrides", "key", "rule"),
    [
        ({"mutation_id": "not-a-uuid"}, "mutation_id", "must be a UUID"),
        ({"mutation_id": "{" + MUTATION_ID + "}"}, "mutation_id", "must be a UUID"),
        ({"record_id": 42}, "record_id", "must be a UUID"),
        ({"record_type": ""}, "record_type", "must be a non-empty string"),
        ({"op": "patch"}, "op", "must be one of: upsert, delete"),
        ({"fields": []}, "fields", "must be an object"),
        ({"fields": {}}, "fields", "must not be empty for upsert"),
        ({"op": "delete"}, "fields", "must be empty for delete"),
        ({"stamp": "yesterday"}, "stamp", "stamp must look like"),
        ({"stamp": Stamp(1, 0, "dev-b").pack()}, "stamp", "node must be this device's id"),
        ({"base_version": -1}, "base_version", "must be an integer >= 0"),
        ({"base_version": True}, "base_version", "must be an integer >= 0"),
        ({"resolves": ["x"]}, "resolves", "must be a list of conflict ids"),
        ({"device_id": "dev-b"}, "device_id", "set by the server from the session"),
        ({"user_id": 1}, "user_id", "set by the server from the session"),
        ({"colour": "red"}, "colour", "unknown key"),
    ],
)
def test_each_bad_key_is_named_with_its_rule(overrides, key, rule):
    errors = errors_of(wire(**overrides))
    assert list(errors) == [key]
    assert errors[key][0].startswith(rule)


def test_every_problem_is_reported_at_once():
    errors = errors_of({"op": "upsert"})
    assert set(errors) == {
        "mutation_id",
        "record_id",
        "record_type",
        "fields",
        "stamp",
        "base_version",
    }


def test_a_non_object_is_rejected():
    assert errors_of(["upsert"]) == {"_mutation": ["must be an object"]}


def test_policy_names_each_unknown_field():
    policy = TypePolicy("goal", frozenset({"title"}))
    assert policy.check({"title": "x", "owner": 1, "colour": 2}, creating=False) == {
        "owner": ["unknown field"],
        "colour": ["unknown field"],
    }


def test_policy_runs_the_servers_value_checks_on_known_fields():
    def validate(fields, creating):
        return {"title": ["required"]} if creating and "title" not in fields else {}

    policy = TypePolicy("goal", frozenset({"title", "status"}), validate=validate)
    assert policy.check({"status": "open"}, creating=True) == {"title": ["required"]}
    assert policy.check({"status": "open"}, creating=False) == {}


def test_policy_refuses_reserved_field_names():
    with pytest.raises(ValueError, match="reserved"):
        TypePolicy("goal", frozenset({"_deleted"}))


def test_record_meta_round_trips_through_json():
    state = RecordState(
        "goal",
        RECORD_ID,
        {"title": "x"},
        {"title": FieldMeta("s1", "dev-a", 7, 3, device_stamp="s0")},
        deleted=True,
        delete_meta=FieldMeta("s2", "dev-b", 8, 4),
        version=4,
    )
    assert meta_from_json(meta_to_json(state)) == (state.meta, state.delete_meta)
