"""A record a supervisor returns with a comment reaches the coach's device by
sync, stays there until the coach answers, and the answer comes back."""

from sqlalchemy import select

from server.extensions import db
from server.models import ReviewReturn
from server.models.base import as_utc, utcnow
from tests.support.device import SimDevice, new_caseload
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def test_return_with_comment_reaches_the_device_and_the_answer_comes_back(app, client, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    other_coach = factory.user("coach", org)
    supervisor = factory.user("supervisor", org)
    device = SimDevice(app, coach)
    ids = new_caseload(device, coach.id)
    device.sync()
    other = SimDevice(app, other_coach)

    login(client, supervisor.email, PASSWORD)
    response = client.post(
        "/review/returns",
        data={
            "csrf_token": csrf_token(client, "/review/returns"),
            "record": f"goal:{ids['competence']}",
            "comment": "Tarkenna onnistumisen kriteerit.",
        },
    )
    assert response.status_code in (200, 302)

    device.pull()
    returns = [key for key in device.replica.records if key[0] == "review_return"]
    assert len(returns) == 1
    returned = device.record(*returns[0])
    assert returned["comment"] == "Tarkenna onnistumisen kriteerit."
    assert (returned["record_type"], returned["record_id"]) == ("goal", ids["competence"])
    assert returned["status"] == "open"
    other.pull()
    assert not [key for key in other.replica.records if key[0] == "review_return"]

    # The coach answers offline; it syncs back.
    device.upsert(*returns[0], status="answered", answer="Kriteerit tarkennettu.")
    assert device.push()[0]["status"] == "applied"
    stored = db.session.scalar(select(ReviewReturn))
    db.session.refresh(stored)
    assert (stored.status, stored.answer) == ("answered", "Kriteerit tarkennettu.")
    # The answer's time is the server's, and the device hears of it.
    assert stored.answered_at is not None
    answered_at = as_utc(stored.answered_at)
    assert abs((utcnow() - answered_at).total_seconds()) < 60
    device.pull()
    assert device.record(*returns[0])["answered_at"] is not None
    # A device cannot claim when it was answered.
    device.upsert(*returns[0], answered_at="2020-01-01T00:00:00+00:00")
    (claim,) = device.push()
    assert claim["status"] == "rejected"
    assert claim["errors"] == {"answered_at": ["unknown field"]}


def test_devices_cannot_create_or_rewrite_returns(app, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    device = SimDevice(app, coach)
    ids = new_caseload(device, coach.id)
    device.push()
    device.upsert("review_return", status="open", answer="x")
    (created,) = device.push()
    assert created["status"] == "rejected"
    returned = ReviewReturn(
        organization_id=org.id,
        record_type="goal",
        record_id=ids["competence"],
        participant_id=ids["participant"],
        coach_id=coach.id,
        comment="Korjaa",
        returned_by_id=coach.id,
    )
    db.session.add(returned)
    db.session.commit()
    device.pull()
    device.upsert("review_return", returned.id, comment="Ei mitään korjattavaa")
    (rewrite,) = device.push()
    assert rewrite["status"] == "rejected"
    assert rewrite["errors"] == {"comment": ["unknown field"]}
