"""A record that leaves a scope leaves its devices: a pull checks each record's
current scope (L3b of docs/sync-protocol.md), and the old scope's devices
receive a removal."""

import pytest

from server.extensions import db
from server.models import Goal, WorkDemonstration
from tests.support.device import SimDevice, new_caseload


@pytest.fixture
def two_employers(factory):
    org = factory.organization()
    first = factory.employer(org, name="Aalto Rakennus Oy")
    second = factory.employer(org, name="Bertta Logistiikka Oy")
    return {
        "org": org,
        "first": first,
        "second": second,
        "coach": factory.user("coach", org, name="Anna"),
        "rep_first": factory.representative(first),
        "rep_second": factory.representative(second),
    }


@pytest.fixture
def demonstration(app, two_employers):
    """A coach's work demonstration at the first employer, with one task, pushed."""
    coach = SimDevice(app, two_employers["coach"])
    ids = new_caseload(coach, two_employers["coach"].id)
    ids["demonstration"] = coach.upsert(
        "work_demonstration",
        participant_id=ids["participant"],
        employer_id=two_employers["first"].id,
        title="Työnäyttö: varastotyö",
        demonstration_date="2026-11-21",
    )
    ids["task"] = coach.upsert(
        "demonstration_task", demonstration_id=ids["demonstration"], task="Keräily", position=0
    )
    assert {r["status"] for r in coach.push()} == {"applied"}
    return coach, ids


def move_to_second(coach: SimDevice, ids: dict, second_id: str) -> None:
    coach.upsert(
        "work_demonstration",
        ids["demonstration"],
        employer_id=second_id,
        recommendation="Suositellaan B:lle",
    )
    coach.upsert("demonstration_task", ids["task"], note="B:n tehtävämuistiinpano")
    assert {r["status"] for r in coach.push()} == {"applied"}


def demo_keys(ids: dict) -> set:
    return {("work_demonstration", ids["demonstration"]), ("demonstration_task", ids["task"])}


def test_moved_demonstration_leaves_the_old_employers_device(app, two_employers, demonstration):
    coach, ids = demonstration
    rep_first = SimDevice(app, two_employers["rep_first"])
    rep_first.pull()
    assert demo_keys(ids) <= set(rep_first.replica.records)
    move_to_second(coach, ids, two_employers["second"].id)
    rep_first.pull()  # incremental: removals
    assert not demo_keys(ids) & set(rep_first.replica.records)


def test_moved_demonstration_is_not_in_the_old_employers_first_pull(
    app, two_employers, demonstration
):
    coach, ids = demonstration
    move_to_second(coach, ids, two_employers["second"].id)
    fresh = SimDevice(app, two_employers["rep_first"])
    fresh.pull()  # from an empty cursor
    assert not demo_keys(ids) & set(fresh.replica.records)
    assert ("employer", two_employers["first"].id) in fresh.replica.records


def test_moved_demonstration_reaches_the_new_employers_device(app, two_employers, demonstration):
    coach, ids = demonstration
    rep_second = SimDevice(app, two_employers["rep_second"])
    rep_second.pull()
    assert not demo_keys(ids) & set(rep_second.replica.records)
    # Only the demonstration is written; its task, unchanged, comes along.
    coach.upsert("work_demonstration", ids["demonstration"], employer_id=two_employers["second"].id)
    assert {r["status"] for r in coach.push()} == {"applied"}
    rep_second.pull()  # incremental
    assert demo_keys(ids) <= set(rep_second.replica.records)
    move_to_second(coach, ids, two_employers["second"].id)
    fresh = SimDevice(app, two_employers["rep_second"])
    fresh.pull()
    assert fresh.record("demonstration_task", ids["task"])["note"] == "B:n tehtävämuistiinpano"
    assert fresh.record("work_demonstration", ids["demonstration"])["recommendation"] == (
        "Suositellaan B:lle"
    )


def test_demonstration_moved_at_the_desk_leaves_the_old_employer(app, two_employers, demonstration):
    _, ids = demonstration
    rep_first = SimDevice(app, two_employers["rep_first"])
    rep_first.pull()
    demo = db.session.get(WorkDemonstration, ids["demonstration"])
    demo.employer_id = two_employers["second"].id
    db.session.commit()
    rep_first.pull()
    assert not demo_keys(ids) & set(rep_first.replica.records)
    rep_second = SimDevice(app, two_employers["rep_second"])
    rep_second.pull()
    assert demo_keys(ids) <= set(rep_second.replica.records)


def test_goal_becoming_wellbeing_never_reaches_the_employer(app, two_employers):
    coach = SimDevice(app, two_employers["coach"])
    ids = new_caseload(coach, two_employers["coach"].id)
    coach.upsert("coaching_period", ids["period"], employer_id=two_employers["first"].id)
    assert {r["status"] for r in coach.push()} == {"applied"}
    rep = SimDevice(app, two_employers["rep_first"])
    rep.pull()
    coach.upsert("goal", ids["competence"], area="wellbeing", title="Jaksaminen")
    assert {r["status"] for r in coach.push()} == {"applied"}
    rep.pull()
    fresh = SimDevice(app, two_employers["rep_first"])
    fresh.pull()
    for device in (rep, fresh):
        assert not {k for k in device.replica.records if k[0] in ("goal", "assessment")}
    # The coach keeps it, now special-category.
    coach.pull()
    assert coach.record("goal", ids["competence"])["area"] == "wellbeing"
    assert db.session.get(Goal, ids["competence"]).area == "wellbeing"


def test_record_moved_to_another_coachs_participant_leaves_the_first_coach(app, factory):
    org = factory.organization()
    anna_user, ben_user = factory.user("coach", org), factory.user("coach", org)
    anna, ben = SimDevice(app, anna_user), SimDevice(app, ben_user)
    annas = new_caseload(anna, anna_user.id)
    bens = new_caseload(ben, ben_user.id)
    anna.sync()
    ben.sync()
    # Corrected at the desk: the goal belongs to Ben's participant's period.
    goal = db.session.get(Goal, annas["competence"])
    goal.period_id = bens["period"]
    db.session.commit()
    anna.pull()
    assert ("goal", annas["competence"]) not in anna.replica.records
    fresh = SimDevice(app, anna_user)
    fresh.pull()
    assert ("goal", annas["competence"]) not in fresh.replica.records
    ben.pull()
    assert ("goal", annas["competence"]) in ben.replica.records
