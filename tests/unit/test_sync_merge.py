"""The merge rules, one by one."""

import copy

from sync.hlc import Stamp
from sync.merge import merge
from sync.record import DELETED
from tests.support.merge import ASSESSMENT, GOAL, RECORD, conflicts_of, created, mut, run


def test_a_new_record_starts_at_version_one_with_meta_per_field():
    state = created()
    assert state.version == 1
    assert state.fields == {"title": "Kassa", "status": "open"}
    meta = state.meta["title"]
    assert (meta.device_id, meta.user_id, meta.version) == ("dev-a", 1, 1)
    assert meta.stamp == Stamp(1_000, 0, "dev-a").pack()


def test_concurrent_edits_of_different_fields_both_apply():
    a = mut("dev-a", 2_000, {"title": "Kassa ja hyllytys"}, base=1)
    b = mut("dev-b", 2_001, {"status": "achieved"}, base=1)
    state, results = run(created(), a, b)
    assert state.fields == {"title": "Kassa ja hyllytys", "status": "achieved"}
    assert state.version == 3
    assert [r.status for r in results] == ["applied", "applied"]
    assert conflicts_of(results) == []


def test_concurrent_edits_of_one_field_higher_stamp_wins_and_both_values_are_kept():
    a = mut("dev-a", 2_000, {"title": "A"}, base=1)
    b = mut("dev-b", 3_000, {"title": "B"}, base=1)
    for order in ([a, b], [b, a]):
        state, results = run(created(), *order)
        assert state.fields["title"] == "B"
        assert results[1].status == "conflict"
        [conflict] = conflicts_of(results)
        assert (conflict.kind, conflict.field, conflict.record_id) == ("value", "title", RECORD)
        winner, loser = conflict.values
        assert (winner.value, winner.device_id, winner.user_id) == ("B", "dev-b", 2)
        assert winner.stamp == b.stamp.pack()
        assert (loser.value, loser.device_id, loser.user_id) == ("A", "dev-a", 1)
        assert loser.stamp == a.stamp.pack()
        assert conflict.version == state.version


def test_conflict_names_the_incoming_mutation_and_not_the_stored_one():
    a = mut("dev-a", 2_000, {"title": "A"}, base=1)
    b = mut("dev-b", 3_000, {"title": "B"}, base=1)
    _, results = run(created(), a, b)
    [conflict] = conflicts_of(results)
    assert conflict.mutation_id == b.mutation_id
    assert [v.mutation_id for v in conflict.values] == [b.mutation_id, None]


def test_concurrent_edits_to_the_same_value_are_no_conflict():
    a = mut("dev-a", 2_000, {"title": "Sama"}, base=1)
    b = mut("dev-b", 3_000, {"title": "Sama"}, base=1)
    state, results = run(created(), a, b)
    assert state.fields["title"] == "Sama"
    assert conflicts_of(results) == []
    assert state.meta["title"].stamp == b.stamp.pack()  # stamps converge too


def test_one_devices_edits_arriving_out_of_order_are_no_conflict():
    first = mut("dev-a", 2_000, {"title": "first"}, base=1)
    second = mut("dev-a", 3_000, {"title": "second"}, base=1)
    state, results = run(created(), second, first)
    assert state.fields["title"] == "second"
    assert [r.status for r in results] == ["applied", "applied"]
    assert not results[1].changed


def test_a_write_that_saw_the_current_value_overwrites_it_without_conflict():
    a = mut("dev-a", 2_000, {"title": "A"}, base=1)
    state, _ = run(created(), a)
    b = mut("dev-b", 3_000, {"title": "B"}, base=state.version)  # dev-b pulled A first
    state, results = run(state, b)
    assert state.fields["title"] == "B"
    assert results[0].status == "applied"


def test_a_causal_overwrite_with_a_lower_stamp_keeps_both_values():
    # The device saw A but did not take in A's stamp (it must, L7): rather
    # than let delivery order decide, the higher stamp stands and both are kept.
    a = mut("dev-a", 5_000, {"title": "A"}, base=1)
    state, _ = run(created(), a)
    b = mut("dev-b", 3_000, {"title": "B"}, base=state.version)
    state, results = run(state, b)
    assert state.fields["title"] == "A"
    [conflict] = conflicts_of(results)
    assert [v.value for v in conflict.values] == ["A", "B"]


def test_merge_does_not_change_its_inputs():
    state = created()
    m = mut("dev-b", 3_000, {"title": "B", "note": "uusi"}, base=0)
    before_state, before_m = copy.deepcopy(state), copy.deepcopy(m)
    merge(state, m, GOAL, frozen=False)
    assert state == before_state
    assert m == before_m


def test_unknown_fields_are_rejected_naming_each_field():
    state = created()
    result = merge(
        state, mut("dev-a", 2_000, {"title": "x", "owner": 9}, base=1), GOAL, frozen=False
    )
    assert result.status == "rejected"
    assert result.errors == {"owner": ["unknown field"]}
    assert result.state is state


# Append-only ----------------------------------------------------------------


def test_append_only_inserts_once_and_an_identical_repeat_is_a_duplicate():
    fields = {"rating": 4, "comment": "Hyvin meni"}
    state, results = run(
        None,
        mut("dev-a", 1_000, fields, record_type="assessment"),
        mut("dev-a", 2_000, dict(fields), record_type="assessment"),
        policy=ASSESSMENT,
    )
    assert [r.status for r in results] == ["applied", "duplicate"]
    assert state.version == 1


def test_append_only_refuses_a_different_second_write_and_never_conflicts():
    state, _ = run(
        None, mut("dev-a", 1_000, {"rating": 4}, record_type="assessment"), policy=ASSESSMENT
    )
    later, results = run(
        state, mut("dev-b", 9_000, {"rating": 2}, record_type="assessment"), policy=ASSESSMENT
    )
    assert results[0].status == "rejected"
    assert results[0].errors == {"record_id": ["append-only record already exists"]}
    assert later is state
    assert conflicts_of(results) == []


def test_append_only_records_cannot_be_deleted():
    state, _ = run(
        None, mut("dev-a", 1_000, {"rating": 4}, record_type="assessment"), policy=ASSESSMENT
    )
    _, results = run(
        state, mut("dev-a", 2_000, op="delete", base=1, record_type="assessment"), policy=ASSESSMENT
    )
    assert results[0].status == "rejected"
    assert results[0].errors == {"op": ["append-only records cannot be deleted"]}


# Signed content ---------------------------------------------------------------


def test_an_edit_to_signed_content_is_not_applied_but_kept_as_a_signed_conflict():
    state = created()
    m = mut("dev-b", 5_000, {"title": "Muutettu", "status": "open"}, base=1)
    after, results = run(state, m, frozen=True)
    assert after is state
    assert results[0].status == "conflict"
    [conflict] = conflicts_of(results)  # status did not change, so only the title
    assert (conflict.kind, conflict.field) == ("signed", "title")
    signed, proposal = conflict.values
    assert (signed.value, signed.device_id) == ("Kassa", "dev-a")
    assert (proposal.value, proposal.device_id, proposal.mutation_id) == (
        "Muutettu",
        "dev-b",
        m.mutation_id,
    )


def test_setting_a_never_written_field_of_signed_content_is_a_signed_conflict_too():
    _, results = run(created(), mut("dev-b", 5_000, {"note": "lisäys"}, base=1), frozen=True)
    [conflict] = conflicts_of(results)
    signed, proposal = conflict.values
    assert (signed.value, signed.stamp, signed.device_id) == (None, None, None)
    assert proposal.value == "lisäys"


def test_a_delete_of_signed_content_is_a_signed_conflict():
    state = created()
    after, results = run(state, mut("dev-b", 5_000, op="delete", base=1), frozen=True)
    assert after is state and not after.deleted
    [conflict] = conflicts_of(results)
    assert (conflict.kind, conflict.field) == ("signed", DELETED)
    assert [v.value for v in conflict.values] == [state.fields, None]


def test_an_unchanged_value_on_signed_content_is_no_conflict():
    state = created()
    after, results = run(state, mut("dev-b", 5_000, {"title": "Kassa"}, base=1), frozen=True)
    assert after is state
    assert results[0].status == "applied"
    assert conflicts_of(results) == []


# Deletes ------------------------------------------------------------------------


def test_a_delete_that_saw_everything_is_a_plain_tombstone():
    state, results = run(created(), mut("dev-b", 2_000, op="delete", base=1))
    assert state.deleted
    assert state.delete_meta.device_id == "dev-b"
    assert state.version == 2
    assert conflicts_of(results) == []


def test_edit_racing_a_delete_later_edit_wins_in_either_order():
    edit = mut("dev-a", 3_000, {"title": "A"}, base=1)
    delete = mut("dev-b", 2_000, op="delete", base=1)
    for order in ([edit, delete], [delete, edit]):
        state, results = run(created(), *order)
        assert not state.deleted
        assert state.fields == {"title": "A", "status": "open"}
        [conflict] = conflicts_of(results)
        assert (conflict.kind, conflict.field) == ("delete", DELETED)
        winner, loser = conflict.values
        assert (winner.value, winner.device_id) == ({"title": "A"}, "dev-a")
        assert (loser.value, loser.device_id) == (None, "dev-b")


def test_edit_racing_a_delete_later_delete_wins_in_either_order_keeping_the_edit():
    edit = mut("dev-a", 2_000, {"title": "A"}, base=1)
    delete = mut("dev-b", 3_000, op="delete", base=1)
    for order in ([edit, delete], [delete, edit]):
        state, results = run(created(), *order)
        assert state.deleted
        assert state.fields["title"] == "A"  # hidden, but the same in every order
        [conflict] = conflicts_of(results)
        assert conflict.kind == "delete"
        winner, loser = conflict.values
        assert (winner.value, winner.device_id) == (None, "dev-b")
        assert (loser.value, loser.device_id) == ({"title": "A"}, "dev-a")


def test_an_edit_after_seeing_the_delete_brings_the_record_back_without_conflict():
    state, _ = run(created(), mut("dev-b", 2_000, op="delete", base=1))
    state, results = run(state, mut("dev-a", 3_000, {"title": "Uudelleen"}, base=state.version))
    assert not state.deleted and state.delete_meta is None
    assert conflicts_of(results) == []


def test_a_delete_of_a_record_never_seen_leaves_a_tombstone_the_late_create_cannot_undo():
    create = mut("dev-a", 1_000, {"title": "x"})
    delete = mut("dev-a", 2_000, op="delete", base=0)
    state, results = run(None, delete, create)
    assert state.deleted
    assert state.fields == {"title": "x"}
    assert conflicts_of(results) == []


def test_the_later_of_two_deletes_is_kept_whatever_the_order():
    d1 = mut("dev-a", 2_000, op="delete", base=1)
    d2 = mut("dev-b", 3_000, op="delete", base=1)
    for order in ([d1, d2], [d2, d1]):
        state, results = run(created(), *order)
        assert state.deleted and state.delete_meta.device_id == "dev-b"
        assert conflicts_of(results) == []


def test_a_delete_racing_edits_by_two_devices_keeps_each_edit():
    a = mut("dev-a", 2_000, {"title": "A"}, base=1)
    c = mut("dev-c", 2_500, {"status": "dropped"}, base=1)
    delete = mut("dev-b", 3_000, op="delete", base=1)
    state, results = run(created(), a, c, delete)
    assert state.deleted
    [conflict] = conflicts_of(results)
    assert [v.value for v in conflict.values] == [None, {"status": "dropped"}, {"title": "A"}]


# Agreeing writes ----------------------------------------------------------------


def test_a_value_two_devices_agreed_on_still_conflicts_when_one_of_them_changes_it():
    # dev-a and dev-b both set "A" without knowing of each other; dev-b then
    # changes its mind. dev-a never saw "B", so its "A" must not vanish silently.
    a = mut("dev-a", 2_000, {"title": "A"}, base=1)
    b1 = mut("dev-b", 3_000, {"title": "A"}, base=1)
    b2 = mut("dev-b", 4_000, {"title": "B"}, base=1)
    for order in ([a, b1, b2], [b1, a, b2], [b1, b2, a]):
        state, results = run(created(), *order)
        assert state.fields["title"] == "B"
        [conflict] = conflicts_of(results)
        assert [v.value for v in conflict.values] == ["B", "A"]


def test_agreeing_writes_are_no_conflict_and_the_later_stamp_stands():
    a = mut("dev-a", 2_000, {"title": "A"}, base=1)
    b = mut("dev-b", 3_000, {"title": "A"}, base=1)
    for order in ([a, b], [b, a]):
        state, results = run(created(), *order)
        assert conflicts_of(results) == []
        meta = state.meta["title"]
        assert (meta.stamp, meta.shared) == (b.stamp.pack(), True)


def test_a_delete_two_devices_agreed_on_conflicts_when_one_of_them_recreates():
    d_a = mut("dev-a", 2_000, op="delete", base=1)
    d_b = mut("dev-b", 3_000, op="delete", base=1)
    again = mut("dev-b", 4_000, {"title": "Uusi"}, base=1)
    for order in ([d_a, d_b, again], [d_b, d_a, again], [d_b, again, d_a]):
        state, results = run(created(), *order)
        assert not state.deleted
        assert [c.kind for c in conflicts_of(results)] == ["delete"]
