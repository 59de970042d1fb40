"""A conflict settled at the desk keeps the record rules the push keeps
(server/records/desk_check.py): a choice that would break one is refused,
naming the field and the rule, and nothing changes."""

from datetime import date

from server.extensions import db
from server.models import CoachingPeriod, Conflict
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


def test_a_choice_that_breaks_a_rule_is_refused(client, factory):
    org = factory.organization()
    coach = factory.user("coach", org)
    supervisor = factory.user("supervisor", org)
    participant = factory.participant(coach)
    period = factory.period(participant, phase="ended", end_date=date(2026, 12, 1))
    conflict = factory.conflict(
        "coaching_period",
        period,
        "phase",
        ["ended", "active"],
        organization_id=org.id,
        participant_id=participant.id,
        user_id=coach.id,
    )
    login(client, supervisor.email, PASSWORD)
    token = csrf_token(client, "/review/conflicts")
    path = f"/review/conflicts/{conflict.id}/resolve"
    response = client.post(path, data={"csrf_token": token, "choice": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-field="choice"' in page
    assert "ended_period_phase" in page and "phase" in page
    db.session.expire_all()
    assert db.session.get(Conflict, conflict.id).status == "open"
    assert db.session.get(CoachingPeriod, period.id).phase == "ended"
    # The value that keeps the rule settles it.
    assert client.post(path, data={"csrf_token": token, "choice": "0"}).status_code == 302
