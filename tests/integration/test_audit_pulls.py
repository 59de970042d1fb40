"""Every sync pull that sends records is an audited disclosure: who, which
device, which participants' records and how many (Act 906/2019 §17)."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.support.device import SimDevice


@pytest.fixture
def team(factory):
    org = factory.organization()
    employer = factory.employer(org)
    return {
        "employer": employer,
        "coach": factory.user("coach", org),
        "rep": factory.representative(employer),
    }


@pytest.fixture
def caseload(app, team):
    """A coach's device with one participant, a period and two goals, pushed."""
    device = SimDevice(app, team["coach"])
    coach_id = team["coach"].id
    ids = {
        "participant": device.upsert(
            "participant", first_name="Aino", last_name="Lehtonen", coach_id=coach_id
        )
    }
    ids["period"] = device.upsert(
        "coaching_period",
        participant_id=ids["participant"],
        coach_id=coach_id,
        employer_id=team["employer"].id,
        measure_type="work_trial",
        phase="active",
        start_date="2026-11-02",
    )
    for area in ("competence", "wellbeing"):
        ids[area] = device.upsert("goal", period_id=ids["period"], area=area, title=area)
    assert {r["status"] for r in device.push()} == {"applied"}
    return device, ids


def pulls() -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sync_pull").order_by(AuditEvent.id)
    ).all()


def test_a_pull_is_logged_with_user_device_and_participants(app, team, caseload):
    _, ids = caseload
    second = SimDevice(app, team["coach"])
    received = second.pull()
    (event,) = pulls()
    assert event.user_id == team["coach"].id
    assert event.ip == "127.0.0.1"
    assert event.detail["device"] == second.device_id
    assert event.detail["records"] == received
    assert event.detail["participants"] == {ids["participant"]: 4}
    assert event.detail["record_types"]["goal"] == 2
    assert event.detail["other_records"] == received - 4  # the organization's employer


def test_an_empty_pull_writes_nothing(app, caseload):
    device, _ = caseload
    device.pull()
    before = len(pulls())
    device.pull()
    device.pull()
    assert len(pulls()) == before


def test_records_whose_parents_are_not_in_the_page_are_traced_in_the_database(app, caseload):
    device, ids = caseload
    device.pull()
    device.upsert("goal", ids["competence"], title="Uusi otsikko")
    device.delete("goal", ids["wellbeing"])
    device.push()
    device.pull()
    event = pulls()[-1]
    # An edited goal and a tombstone (which travels without its period_id).
    assert event.detail["records"] == 2
    assert event.detail["participants"] == {ids["participant"]: 2}


def test_a_representatives_pull_names_the_participants_of_the_demonstrations(app, team, caseload):
    coach, ids = caseload
    demonstration = coach.upsert(
        "work_demonstration",
        participant_id=ids["participant"],
        employer_id=team["employer"].id,
        title="Työnäyttö",
        demonstration_date="2026-11-21",
    )
    coach.upsert("demonstration_task", demonstration_id=demonstration, task="Hyllytys")
    assert {r["status"] for r in coach.push()} == {"applied"}
    rep = SimDevice(app, team["rep"])
    rep.pull()
    event = pulls()[-1]
    assert event.user_id == team["rep"].id
    assert event.detail["participants"] == {ids["participant"]: 2}
