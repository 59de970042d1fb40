"""A voucher requested on the phone while offline: the request waits in the
device's outbox, and when it arrives the server's voucher rules decide it; the
decision (and the voucher) sync back to the phone, rejections with their reasons."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, CoachingVoucher, VoucherRequest
from server.vouchers import rules
from tests.support.device import SimDevice
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

END = date(2026, 3, 31)


@pytest.fixture
def world(factory):
    org = factory.organization()
    employer = factory.employer(org)
    coach = factory.user("coach", org)

    def ended(final: bool):
        person = factory.participant(coach)
        period = factory.period(
            person, employer, start_date=date(2026, 1, 2), end_date=END, phase="ended"
        )
        if final:
            factory.assessment_round(period, END, is_final=True)
        return period

    return {
        "coach": coach,
        "supervisor": factory.user("supervisor", org),
        "eligible": ended(final=True),
        "no_final": ended(final=False),
        "rep": factory.representative(employer),
    }


def request_on(phone, period) -> str:
    return phone.upsert("voucher_request", period_id=period.id)


def test_an_offline_request_is_decided_on_arrival_and_the_answer_syncs_back(app, world):
    phone = SimDevice(app, world["coach"])
    phone.pull()
    # Offline: both requests wait in the outbox; nothing has reached the server.
    ok = request_on(phone, world["eligible"])
    refused = request_on(phone, world["no_final"])
    assert db.session.scalar(select(VoucherRequest)) is None
    results = phone.push()  # back online
    assert [r["status"] for r in results] == ["applied", "applied"]
    phone.pull()
    accepted = phone.record("voucher_request", ok)
    assert accepted["decision"] == "accepted" and accepted["voucher_id"]
    voucher = phone.record("coaching_voucher", accepted["voucher_id"])
    assert voucher["status"] == "requested"
    no = phone.record("voucher_request", refused)
    assert no["decision"] == "refused" and no["refusal_reasons"] == "no_final_round"
    assert no["voucher_id"] is None
    stored = db.session.get(CoachingVoucher, accepted["voucher_id"])
    assert stored.requested_by_id == world["coach"].id
    # The move is audited as a desk request is, by the coach.
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == stored.id)
    ).all()
    assert "voucher_requested" in actions


def test_a_second_request_is_refused_with_the_vouchers_status(app, world):
    phone = SimDevice(app, world["coach"])
    request_on(phone, world["eligible"])
    phone.push()
    again = request_on(phone, world["eligible"])
    phone.push()
    phone.pull()
    assert phone.record("voucher_request", again)["refusal_reasons"] == "status_requested"


def test_the_supervisors_rejection_reaches_the_phone_with_its_reason(app, world):
    phone = SimDevice(app, world["coach"])
    ok = request_on(phone, world["eligible"])
    phone.push()
    desk = app.test_client()
    login(desk, world["supervisor"].email, PASSWORD)
    voucher_id = db.session.get(VoucherRequest, ok).voucher_id
    response = desk.post(
        f"/vouchers/{voucher_id}/reject",
        data={"rejection_reason": "Sopimus puuttuu", "csrf_token": csrf_token(desk, "/vouchers/")},
    )
    assert response.status_code in (302, 303)
    phone.pull()
    voucher = phone.record("coaching_voucher", voucher_id)
    assert voucher["status"] == "rejected" and voucher["rejection_reason"] == "Sopimus puuttuu"


def test_the_device_cannot_decide_its_own_request(app, world):
    phone = SimDevice(app, world["coach"])
    phone.upsert("voucher_request", period_id=world["no_final"].id, decision="accepted")
    [result] = phone.push()
    assert result["status"] == "rejected"
    assert db.session.scalar(select(VoucherRequest)) is None


def test_the_employer_portal_shows_the_same_status(app, world):
    phone = SimDevice(app, world["coach"])
    request_on(phone, world["eligible"])
    phone.push()
    portal = app.test_client()
    login(portal, world["rep"].email, PASSWORD)
    page = portal.get("/employer").get_data(as_text=True)
    assert page.count("voucher-requested") == 1 and page.count("voucher-not_eligible") == 1
    assert "loppuarviointikierros puuttuu" in page
    assert rules.ineligibility(db.session, world["no_final"]) == ["no_final_round"]
