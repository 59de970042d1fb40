"""A device receives only what its user may see, and access changes move history."""

import pytest

from server.extensions import db
from server.models import Participant
from sync.record import meta_from_json
from tests.support.device import SimDevice, new_caseload


@pytest.fixture
def team(factory):
    org = factory.organization()
    employer = factory.employer(org, name="Pohjolan Puutarha Oy")
    return {
        "org": org,
        "employer": employer,
        "anna": factory.user("coach", org, name="Anna"),
        "ben": factory.user("coach", org, name="Ben"),
        "supervisor": factory.user("supervisor", org),
        "rep": factory.representative(employer),
    }


def types_of(device: SimDevice) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for record_type, record_id in device.replica.records:
        out.setdefault(record_type, set()).add(record_id)
    return out


def test_coach_never_receives_another_coachs_participants(app, team):
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    annas = new_caseload(anna, team["anna"].id)
    bens = new_caseload(ben, team["ben"].id)
    anna.sync()
    ben.sync()
    anna.pull()
    assert types_of(anna)["participant"] == {annas["participant"]}
    assert bens["competence"] not in types_of(anna)["goal"]
    assert types_of(ben)["participant"] == {bens["participant"]}
    # The organization's employers are shared by the coaches.
    assert team["employer"].id in types_of(anna)["employer"]


def test_coach_cannot_write_into_another_coachs_caseload(app, team):
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    bens = new_caseload(ben, team["ben"].id)
    ben.push()
    anna.upsert("goal", period_id=bens["period"], area="competence", title="Sneaky")
    anna.upsert("goal", bens["competence"], title="Overwritten")
    anna.upsert("participant", first_name="X", last_name="Y", coach_id=team["ben"].id)
    results = anna.push()
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert results[0]["errors"] == {"record_id": ["not permitted"]}
    assert results[2]["errors"] == {
        "record_id": ["coach_id: only a supervisor may assign another coach"]
    }


def test_employer_scope_never_contains_wellbeing(app, team, factory):
    anna = SimDevice(app, team["anna"])
    ids = new_caseload(anna, team["anna"].id)
    anna.upsert("coaching_period", ids["period"], employer_id=team["employer"].id)
    round_id = anna.upsert("assessment_round", period_id=ids["period"], held_on="2026-11-20")
    for area in ("competence", "wellbeing"):
        anna.upsert("assessment", round_id=round_id, goal_id=ids[area], rater="coach", rating=3)
    demo = anna.upsert(
        "work_demonstration",
        participant_id=ids["participant"],
        employer_id=team["employer"].id,
        title="Työnäyttö",
        demonstration_date="2026-11-21",
    )
    assert {r["status"] for r in anna.push()} == {"applied"}
    rep = SimDevice(app, team["rep"])
    rep.pull()
    received = types_of(rep)
    assert received["work_demonstration"] == {demo}
    assert team["employer"].id in received["employer"]
    assert "goal" not in received and "assessment" not in received
    assert "participant" not in received and "coaching_period" not in received
    # The supervisor of the organization reads everything, wellbeing included.
    supervisor = SimDevice(app, team["supervisor"])
    supervisor.pull()
    assert ids["wellbeing"] in types_of(supervisor)["goal"]
    assert len(types_of(supervisor)["assessment"]) == 2


def test_reassignment_moves_the_whole_history(app, team):
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    ids = new_caseload(anna, team["anna"].id)
    round_id = anna.upsert("assessment_round", period_id=ids["period"], held_on="2026-11-20")
    assessment = anna.upsert(
        "assessment", round_id=round_id, goal_id=ids["wellbeing"], rater="coach", rating=2
    )
    anna.sync()
    ben.pull()  # Ben's cursor is now past all of Anna's history
    assert ("participant", ids["participant"]) not in ben.replica.records
    # The supervisor moves the participant to Ben at the desk.
    participant = db.session.get(Participant, ids["participant"])
    participant.coach_id = team["ben"].id
    db.session.commit()
    ben.pull(limit=3)  # the history is larger than a page: it still comes whole
    moved = {
        key for key in ben.replica.records if key[1] in set(ids.values()) | {round_id, assessment}
    }
    assert len(moved) == len(ids) + 2
    assert ben.record("assessment", assessment)["rating"] == 2
    anna.pull()
    left = [key for key in anna.replica.records if key[1] in set(ids.values())]
    assert left == []
    # Ben may now edit; Anna may not.
    ben.upsert("goal", ids["competence"], title="Bennin tavoite")
    anna.upsert("goal", ids["competence"], title="Annan tavoite")
    assert ben.push()[0]["status"] == "applied"
    assert anna.push()[0]["status"] == "rejected"


def test_reassignment_by_supervisor_push(app, team):
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    ids = new_caseload(anna, team["anna"].id)
    anna.sync()
    ben.pull()
    supervisor = SimDevice(app, team["supervisor"])
    supervisor.pull()
    supervisor.upsert("participant", ids["participant"], coach_id=team["ben"].id)
    assert supervisor.push()[0]["status"] == "applied"
    ben.pull()
    assert ("goal", ids["wellbeing"]) in ben.replica.records
    anna.pull()
    assert ("goal", ids["wellbeing"]) not in anna.replica.records


def test_server_edit_reaches_devices_with_a_stamp(app, team):
    from server.models import Goal

    anna = SimDevice(app, team["anna"])
    ids = new_caseload(anna, team["anna"].id)
    anna.sync()
    goal = db.session.get(Goal, ids["competence"])
    goal.title = "Vastaavan korjaama otsikko"
    db.session.commit()
    assert goal.version == 2
    assert meta_from_json(goal.field_meta)[0]["title"].device_id == "server"
    anna.pull()
    assert anna.record("goal", ids["competence"])["title"] == "Vastaavan korjaama otsikko"
    assert anna.replica.versions[("goal", ids["competence"])] == 2


def test_vouchers_cannot_be_moved_from_a_device(app, team, factory):
    from server.models import CoachingVoucher

    anna = SimDevice(app, team["anna"])
    ids = new_caseload(anna, team["anna"].id)
    anna.push()
    voucher = CoachingVoucher(
        period_id=ids["period"], employer_id=team["employer"].id, status="approved"
    )
    db.session.add(voucher)
    db.session.commit()
    anna.pull()
    assert anna.record("coaching_voucher", voucher.id)["status"] == "approved"
    anna.upsert("coaching_voucher", voucher.id, status="paid")
    anna.upsert(
        "coaching_voucher", period_id=ids["period"], employer_id=team["employer"].id, status="paid"
    )
    results = anna.push()
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[0]["errors"] == {"record_id": ["coaching_voucher is changed online only"]}
    db.session.refresh(voucher)
    assert voucher.status == "approved"


@pytest.mark.parametrize("read", ["seek each participant", "scan positions"])
def test_pages_are_found_when_other_coaches_rows_lie_between(
    app, team, monkeypatch, read, db_backend
):
    # A page is looked for in a window of feed positions that widens; with a
    # window of 2 positions and Ben's work interleaved with Anna's, Anna's
    # pages must still hold exactly her records, in order, none skipped:
    # her caseload, her organization's employers and a participant moved to
    # her. A window is read by seeking each listed participant, or (SQLite)
    # by scanning the window's positions; both must find the same.
    from server.sync_api import pull_read

    monkeypatch.setattr(pull_read, "FEED_WINDOW", 2)
    monkeypatch.setattr(pull_read, "SCAN_PER_LISTED", 0 if read.startswith("seek") else 10**9)
    scans = []
    scan_statement = pull_read._feed_scan_statement
    monkeypatch.setattr(
        pull_read, "_feed_scan_statement", lambda *a: scans.append(a) or scan_statement(*a)
    )
    anna, ben = SimDevice(app, team["anna"]), SimDevice(app, team["ben"])
    annas = {}
    for round_ in range(3):
        annas.update({f"{k}{round_}": v for k, v in new_caseload(anna, team["anna"].id).items()})
        anna.push()
        for _ in range(2):
            moved = new_caseload(ben, team["ben"].id)
            ben.push()
    employer = ben.upsert("employer", name="Keskustan Kahvila Oy", business_id="1572860-0")
    ben.push()
    participant = db.session.get(Participant, moved["participant"])
    participant.coach_id = team["anna"].id  # the supervisor moves it to Anna
    db.session.commit()
    fresh = SimDevice(app, team["anna"])  # her second device: everything comes by pull
    fresh.pull(limit=4)
    kinds = ("participant", "coaching_period", "goal")
    mine = {i for t, i in fresh.replica.records if t in kinds}
    assert mine == set(annas.values()) | set(moved.values())
    assert ("employer", employer) in fresh.replica.records
    assert not mine & ({i for t, i in ben.replica.records} - set(moved.values()))
    # The pages came by the read under test (PostgreSQL always seeks).
    assert bool(scans) == (read.startswith("scan") and db_backend == "sqlite")
