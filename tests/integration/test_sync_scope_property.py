"""Property, against the real server and database: work demonstrations move
between employers (from a device and at the desk) and goals change area,
interleaved with pulls from a coach, a representative of each employer and a
supervisor. No pull ever sends a record the puller may not see at that
moment, and after each pull a device holds exactly what it may see now
(L3b of docs/sync-protocol.md)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from server.extensions import db
from server.models import DemonstrationTask, Goal, WorkDemonstration
from tests.support.device import SimDevice, new_caseload

MOVING = ("work_demonstration", "demonstration_task", "goal")
PULLERS = ("coach", "rep_first", "rep_second", "supervisor")
DEMOS = 2

action = st.one_of(
    st.tuples(st.just("move"), st.integers(0, DEMOS - 1), st.integers(0, 1)),
    st.tuples(st.just("desk_move"), st.integers(0, DEMOS - 1), st.integers(0, 1)),
    st.tuples(st.just("area"), st.sampled_from(["competence", "wellbeing"])),
    st.tuples(st.just("pull"), st.sampled_from(PULLERS)),
    st.tuples(st.just("pull"), st.sampled_from(PULLERS)),
)


@pytest.fixture
def world(app, factory):
    org = factory.organization()
    employers = [factory.employer(org), factory.employer(org)]
    coach = factory.user("coach", org)
    users = {
        "coach": coach,
        "rep_first": factory.representative(employers[0]),
        "rep_second": factory.representative(employers[1]),
        "supervisor": factory.user("supervisor", org),
    }
    devices = {name: SimDevice(app, user) for name, user in users.items()}
    ids = new_caseload(devices["coach"], coach.id)
    assert {r["status"] for r in devices["coach"].push()} == {"applied"}
    return {"employers": [e.id for e in employers], "devices": devices, "ids": ids}


def may_see_now(world) -> dict[str, set]:
    """Each puller's share of the moving types, read from the database."""
    db.session.commit()  # a fresh snapshot
    demos = dict(
        db.session.execute(select(WorkDemonstration.id, WorkDemonstration.employer_id)).all()
    )
    tasks = dict(
        db.session.execute(select(DemonstrationTask.id, DemonstrationTask.demonstration_id)).all()
    )
    goals = set(db.session.execute(select(Goal.id)).scalars())
    everything = (
        {("work_demonstration", d) for d in demos}
        | {("demonstration_task", t) for t in tasks}
        | {("goal", g) for g in goals}
    )
    out = {"coach": everything, "supervisor": everything}
    for name, employer in zip(("rep_first", "rep_second"), world["employers"], strict=True):
        # Goals are never employer-visible, wellbeing or not.
        out[name] = {("work_demonstration", d) for d, e in demos.items() if e == employer} | {
            ("demonstration_task", t) for t, d in tasks.items() if demos[d] == employer
        }
    return out


def pull_and_check(world, name: str) -> None:
    device = world["devices"][name]
    allowed = may_see_now(world)[name]
    while True:
        params = {"limit": 5}
        if device.cursor:
            params["cursor"] = device.cursor
        response = device.client.get("/api/sync/pull", query_string=params, headers=device.auth)
        assert response.status_code == 200
        page = response.get_json()
        sent = {(c["record_type"], c["record_id"]) for c in page["changes"]}
        assert not {k for k in sent if k[0] in MOVING} - allowed, name
        device.apply(page)
        if not page["more"]:
            break
    held = {k for k in device.replica.records if k[0] in MOVING}
    assert held == allowed, name


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    starts=st.lists(st.integers(0, 1), min_size=DEMOS, max_size=DEMOS),
    actions=st.lists(action, min_size=3, max_size=12),
)
def test_pulls_follow_scope_moves(world, starts, actions):
    coach = world["devices"]["coach"]
    employers = world["employers"]
    ids = world["ids"]
    demos = []
    for start in starts:
        demo = coach.upsert(
            "work_demonstration",
            participant_id=ids["participant"],
            employer_id=employers[start],
            title="Työnäyttö",
            demonstration_date="2026-11-21",
        )
        coach.upsert("demonstration_task", demonstration_id=demo, task="Keräily", position=0)
        demos.append(demo)
    coach.push()
    for step in actions:
        if step[0] == "move":
            coach.upsert("work_demonstration", demos[step[1]], employer_id=employers[step[2]])
            coach.push()
        elif step[0] == "desk_move":
            demo = db.session.get(WorkDemonstration, demos[step[1]])
            demo.employer_id = employers[step[2]]
            db.session.commit()
        elif step[0] == "area":
            coach.upsert("goal", ids["competence"], area=step[1])
            coach.push()
        else:
            pull_and_check(world, step[1])
    for name in PULLERS:
        pull_and_check(world, name)
