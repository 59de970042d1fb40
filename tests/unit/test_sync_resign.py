"""M9 (sync/resign.py): which kept values a new signature covers, as a pure
function over records, their "signed" conflicts and a content function."""

import json

from sync.conflicts import Conflict, ConflictValue
from sync.record import DELETED, FieldMeta, RecordState
from sync.resign import settle

DEMO = ("work_demonstration", "d")
TASK = ("demonstration_task", "t")
FIELDS = {"work_demonstration": frozenset({"recommendation"}), "demonstration_task": frozenset()}


def state(key, version=2, **fields):
    meta = {name: FieldMeta("0001", "dev-a", 1, 1) for name in fields}
    return RecordState(*key, fields, meta, version=version)


def proposal(value, stamp, device="dev-b"):
    return ConflictValue(value, stamp, device, 2, f"m-{stamp}")


def conflict(cid, key, field, signed, *proposals):
    return Conflict(
        cid,
        *key,
        field,
        "signed",
        (ConflictValue(signed, None, None, None, None), *proposals),
        2,
        "m",
    )


def content(states):
    """A stand-in for the canonical content: the demo's text and whether the task lives."""
    demo, task = states[DEMO], states.get(TASK)
    return json.dumps([demo.fields["recommendation"], bool(task and not task.deleted)]).encode()


STATES = {DEMO: state(DEMO, recommendation="old"), TASK: state(TASK, task="x")}


def test_the_proposal_signed_is_written_with_its_own_stamp_and_author():
    c = conflict("c1", DEMO, "recommendation", "old", proposal("new", "0005"))
    found = settle(
        STATES, [c], content, content({**STATES, DEMO: state(DEMO, recommendation="new")}), FIELDS
    )
    demo = found.states[DEMO]
    assert demo.fields["recommendation"] == "new" and demo.version == 3
    assert (demo.meta["recommendation"].stamp, demo.meta["recommendation"].device_id) == (
        "0005",
        "dev-b",
    )
    assert found.chosen == {"c1": "new"}


def test_an_earlier_of_two_competing_proposals_can_be_the_one_signed():
    c1 = conflict("c1", DEMO, "recommendation", "old", proposal("first", "0005"))
    c2 = conflict("c2", DEMO, "recommendation", "old", proposal("second", "0009", "dev-c"))
    signed = content({**STATES, DEMO: state(DEMO, recommendation="first")})
    found = settle(STATES, [c1, c2], content, signed, FIELDS)
    assert found.chosen == {"c1": "first", "c2": "first"}  # both settled, with what was signed


def test_a_delete_proposal_and_keeping_the_signed_value():
    c1 = conflict("c1", DEMO, "recommendation", "old", proposal("new", "0005"))
    c2 = conflict("c2", TASK, DELETED, {"task": "x"}, proposal(None, "0006"))
    signed = json.dumps(["old", False]).encode()
    found = settle(STATES, [c1, c2], content, signed, FIELDS)
    assert set(found.states) == {TASK} and found.states[TASK].deleted
    assert found.chosen == {"c1": "old", "c2": None}


def test_content_no_choice_gives_is_no_settlement():
    c = conflict("c1", DEMO, "recommendation", "old", proposal("new", "0005"))
    assert settle(STATES, [c], content, json.dumps(["other", True]).encode(), FIELDS) is None
