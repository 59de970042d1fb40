"""Property, against the real server and database: two coach devices and a
supervisor edit the same goals offline in any interleaving; after everyone
syncs, every copy equals the server's and no value was lost.

The engine's own property test (tests/unit/test_sync_convergence.py) runs
1,000 histories on the in-memory store; this one runs fewer, through HTTP,
the SQL store, the change feed and its scopes.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from server.extensions import db
from server.models import Conflict, Goal
from tests.support.device import SimDevice

FIELDS = {
    "title": st.sampled_from(["Kassatyö", "Asiakaspalvelu", "Varasto"]),
    "status": st.sampled_from(["open", "achieved", "dropped"]),
    "description": st.sampled_from(["lyhyt", "pitkä", None]),
}
DEVICES = 3  # coach on a phone, the same coach on a tablet, the supervisor

edits = st.dictionaries(st.sampled_from(sorted(FIELDS)), st.none(), min_size=1, max_size=2).flatmap(
    lambda chosen: st.fixed_dictionaries({name: FIELDS[name] for name in chosen})
)
action = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, DEVICES - 1), st.integers(0, 1), edits),
    st.tuples(st.just("edit"), st.integers(0, DEVICES - 1), st.integers(0, 1), edits),
    st.tuples(st.just("delete"), st.integers(0, DEVICES - 1), st.integers(0, 1)),
    st.tuples(st.just("push"), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("pull"), st.integers(0, DEVICES - 1)),
)


@pytest.fixture
def world(app, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    supervisor = factory.user("supervisor", org)
    devices = [SimDevice(app, coach), SimDevice(app, coach), SimDevice(app, supervisor)]
    participant = devices[0].upsert(
        "participant", first_name="Aino", last_name="L", coach_id=coach.id
    )
    period = devices[0].upsert(
        "coaching_period",
        participant_id=participant,
        coach_id=coach.id,
        measure_type="work_trial",
        start_date="2026-11-02",
    )
    devices[0].sync()
    return {"devices": devices, "period": period}


def canon(value) -> str:
    return json.dumps(value, sort_keys=True)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(action, min_size=4, max_size=18))
def test_any_interleaving_converges_and_loses_nothing(world, actions):
    devices = world["devices"]
    for device in devices:
        device.pull()
    goals = [
        devices[0].upsert("goal", period_id=world["period"], area="competence", title="Alku")
        for _ in range(2)
    ]
    devices[0].sync()
    for device in devices[1:]:
        device.pull()
    written: set[tuple[str, str, str]] = set()
    seen_overwritten: set[tuple[str, str, str]] = set()
    own_last: dict[tuple[int, str, str], str] = {}  # a device's latest write of a field

    for step in actions:
        kind, device = step[0], devices[step[1]]
        if kind in ("edit", "delete"):
            goal = goals[step[2]]
            shown = device.replica.records.get(("goal", goal), {})
            visible = ("goal", goal) not in device.replica.deleted
            names = step[3] if kind == "edit" else shown
            for name in names:
                if visible and name in shown:
                    seen_overwritten.add((goal, name, canon(shown[name])))
            if kind == "edit":
                device.upsert("goal", goal, **step[3])
                for name, value in step[3].items():
                    written.add((goal, name, canon(value)))
                    # A device's own later write supersedes its earlier one knowingly.
                    if (earlier := own_last.get((step[1], goal, name))) is not None:
                        seen_overwritten.add((goal, name, earlier))
                    own_last[(step[1], goal, name)] = canon(value)
            else:
                device.delete("goal", goal)
        elif kind == "push":
            device.push()
        else:
            device.pull()

    for device in devices:
        device.push()
    for device in devices:
        device.pull()

    db.session.expire_all()
    for goal_id in goals:
        row = db.session.get(Goal, goal_id)
        for device in devices:
            assert (("goal", goal_id) in device.replica.deleted) == row.deleted
            if not row.deleted:
                copy = device.replica.records[("goal", goal_id)]
                assert {n: copy.get(n) for n in FIELDS} == {n: getattr(row, n) for n in FIELDS}
    kept = set()
    for conflict in db.session.scalars(select(Conflict).where(Conflict.record_id.in_(goals))):
        for competing in conflict.values:
            value = competing["value"]
            if isinstance(value, dict):  # an edit that raced a delete keeps its fields
                kept.update((conflict.record_id, n, canon(v)) for n, v in value.items())
            else:
                kept.add((conflict.record_id, conflict.field, canon(value)))
    for goal_id, name, value in written:
        current = canon(getattr(db.session.get(Goal, goal_id), name))
        assert value == current or (goal_id, name, value) in kept | seen_overwritten, (
            goal_id,
            name,
            value,
        )
