"""Conflicts keep every value; a resolution is an ordinary mutation that settles one."""

import pytest

from sync.conflicts import conflict_id, resolution
from sync.hlc import Clock, Stamp
from sync.merge import merge
from sync.record import DELETED
from tests.support.merge import GOAL, conflicts_of, created, mut, run


def value_conflict():
    a = mut("dev-a", 2_000, {"title": "A"}, base=1)
    b = mut("dev-b", 3_000, {"title": "B"}, base=1)
    state, results = run(created(), a, b)
    [conflict] = conflicts_of(results)
    return state, conflict


def supervisor_clock():
    # A resolver whose wall clock is behind every competing stamp.
    return Clock("server", now_ms=lambda: 10)


def test_a_resolution_outranks_every_competing_value_and_settles_without_a_new_conflict():
    state, conflict = value_conflict()
    m = resolution(conflict, "A", clock=supervisor_clock(), user_id=9, base_version=state.version)
    assert (m.op, m.fields, m.resolves) == ("upsert", {"title": "A"}, (conflict.id,))
    assert (m.device_id, m.user_id) == ("server", 9)
    assert all(m.stamp > Stamp.parse(v.stamp) for v in conflict.values)
    result = merge(state, m, GOAL, frozen=False)
    assert result.status == "applied"
    assert result.state.fields["title"] == "A"


def test_a_merged_value_is_a_resolution_too():
    state, conflict = value_conflict()
    m = resolution(
        conflict, "A ja B", clock=supervisor_clock(), user_id=9, base_version=state.version
    )
    assert merge(state, m, GOAL, frozen=False).state.fields["title"] == "A ja B"


def test_a_resolution_must_have_seen_every_competing_value():
    _, conflict = value_conflict()
    with pytest.raises(ValueError, match="has not seen every competing value"):
        resolution(
            conflict, "A", clock=supervisor_clock(), user_id=9, base_version=conflict.version - 1
        )


def test_a_delete_conflict_resolves_to_a_delete_or_to_the_kept_fields():
    edit = mut("dev-a", 3_000, {"title": "A"}, base=1)
    delete = mut("dev-b", 2_000, op="delete", base=1)
    state, results = run(created(), delete, edit)
    [conflict] = conflicts_of(results)
    assert conflict.field == DELETED

    gone = resolution(
        conflict, None, clock=supervisor_clock(), user_id=9, base_version=state.version
    )
    assert (gone.op, gone.fields) == ("delete", {})
    assert merge(state, gone, GOAL, frozen=False).state.deleted

    kept = resolution(
        conflict, {"title": "A"}, clock=supervisor_clock(), user_id=9, base_version=state.version
    )
    assert (kept.op, kept.fields) == ("upsert", {"title": "A"})


def test_conflict_ids_are_stable_per_mutation_and_field():
    assert conflict_id("m1", "title") == conflict_id("m1", "title")
    assert conflict_id("m1", "title") != conflict_id("m1", "status")
    assert conflict_id("m1", "title") != conflict_id("m2", "title")


def test_conflict_wire_form_lists_winner_first_with_who_and_when():
    _, conflict = value_conflict()
    wire = conflict.to_wire()
    assert wire["kind"] == "value" and wire["field"] == "title"
    assert [v["value"] for v in wire["values"]] == ["B", "A"]
    assert set(wire["values"][0]) == {"value", "stamp", "device_id", "user_id", "mutation_id"}
