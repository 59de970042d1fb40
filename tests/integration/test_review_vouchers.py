"""Coaching vouchers: the eligibility rule, every move of the flow, the forbidden
ones, who may make them, and that each step is audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, CoachingVoucher, Participant
from server.vocabulary import VOUCHER_STATUSES, VOUCHER_TRANSITIONS
from server.vouchers import rules
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login

END = date(2026, 3, 31)


@pytest.fixture
def world(factory):
    org = factory.organization()
    employer = factory.employer(org)
    coach = factory.user("coach", org)
    participant = factory.participant(coach)
    period = factory.period(
        participant, employer, start_date=date(2026, 1, 2), end_date=END, phase="ended"
    )
    factory.assessment_round(period, END, is_final=True)
    return {
        "org": org,
        "employer": employer,
        "coach": coach,
        "other_coach": factory.user("coach", org),
        "supervisor": factory.user("supervisor", org),
        "stranger": factory.user("supervisor"),  # another organization
        "rep": factory.representative(employer),
        "participant": participant,
        "period": period,
    }


def voucher_of(period):
    db.session.expire_all()
    return db.session.scalar(select(CoachingVoucher).where(CoachingVoucher.period_id == period.id))


def audit_actions(voucher_id: str) -> list[str]:
    return [
        e.action
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_id == voucher_id, AuditEvent.action.like("voucher_%"))
            .order_by(AuditEvent.id)
        )
    ]


def post(client, user, path, data=None, headers=None):
    login(client, user.email, PASSWORD)
    token = csrf_token(client, "/vouchers/")
    return client.post(path, data={"csrf_token": token, **(data or {})}, headers=headers or {})


# Eligibility


def test_ended_period_with_final_round_is_eligible(world):
    assert rules.ineligibility(db.session, world["period"]) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"phase": "active"}, "not_ended"),
        ({"phase": "cancelled"}, "not_ended"),
        ({"end_date": None}, "not_ended"),
        ({"employer_id": None}, "no_employer"),
    ],
)
def test_period_fields_that_block_eligibility(world, change, reason):
    period = world["period"]
    for name, value in change.items():
        setattr(period, name, value)
    db.session.commit()
    assert rules.ineligibility(db.session, period) == [reason]


def test_follow_up_phase_counts_as_ended(world):
    world["period"].phase = "follow_up"
    db.session.commit()
    assert rules.ineligibility(db.session, world["period"]) == []


def test_no_final_round_blocks(factory, world):
    period = factory.period(world["participant"], world["employer"], end_date=END, phase="ended")
    factory.assessment_round(period, END, is_final=False)
    factory.assessment_round(period, END, is_final=True, deleted=True)
    assert rules.ineligibility(db.session, period) == ["no_final_round"]


@pytest.mark.parametrize(
    ("demo_status", "signoffs", "eligible"),
    [
        ("ready", [], False),
        ("signed", ["pending"], False),
        ("signed", ["failed"], False),
        ("signed", ["verified"], True),
        ("signed", ["failed", "verified"], True),
        # A failed attempt after a verified signature changes nothing (issue 13).
        ("signed", ["verified", "failed"], True),
        ("needs_new_signoff", ["verified"], False),  # content changed after signing
    ],
)
def test_work_demonstration_must_be_signed(factory, world, demo_status, signoffs, eligible):
    demo = factory.demonstration(
        world["participant"], world["employer"], period_id=world["period"].id, status=demo_status
    )
    for i, status in enumerate(signoffs):
        factory.signoff(demo, status, signed_at=demo_time(i))
    reasons = rules.ineligibility(db.session, world["period"])
    assert reasons == ([] if eligible else ["demonstration_unsigned"])


def demo_time(i):
    from datetime import UTC, datetime

    return datetime(2026, 3, 1, 12, i, tzinfo=UTC)


def test_deleted_demonstration_does_not_block(factory, world):
    factory.demonstration(
        world["participant"], world["employer"], period_id=world["period"].id, deleted=True
    )
    assert rules.ineligibility(db.session, world["period"]) == []


def test_eligible_periods_without_voucher_are_listed(client, world):
    login(client, world["supervisor"].email, PASSWORD)
    html = client.get("/vouchers/", query_string={"status": "eligible"}).get_data(as_text=True)
    assert f'id="period-{world["period"].id}"' in html
    assert world["participant"].full_name in html


# The flow over HTTP, each step audited


def test_whole_flow_requested_approved_paid(client, world):
    period = world["period"]
    response = post(client, world["coach"], f"/vouchers/periods/{period.id}/request")
    assert response.status_code == 302
    voucher = voucher_of(period)
    assert voucher.status == "requested"
    assert voucher.requested_by_id == world["coach"].id
    assert voucher.requested_at is not None
    assert voucher.employer_id == world["employer"].id

    client.post("/logout", data={"csrf_token": csrf_token(client, "/vouchers/")})
    response = post(
        client, world["supervisor"], f"/vouchers/{voucher.id}/approve", {"amount": "1 500,00"}
    )
    assert response.status_code == 302
    voucher = voucher_of(period)
    assert (voucher.status, voucher.amount_cents) == ("approved", 150000)
    assert voucher.decided_by_id == world["supervisor"].id

    paid_on = (END + timedelta(days=10)).isoformat()
    response = post(
        client,
        world["supervisor"],
        f"/vouchers/{voucher.id}/pay",
        {"paid_on": paid_on, "amount": "1480.50"},
    )
    assert response.status_code == 302
    voucher = voucher_of(period)
    assert (voucher.status, voucher.amount_cents, voucher.paid_on.isoformat()) == (
        "paid",
        148050,
        paid_on,
    )
    assert audit_actions(voucher.id) == [
        "voucher_eligible",
        "voucher_requested",
        "voucher_approved",
        "voucher_paid",
    ]
    paid = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity_id == voucher.id, AuditEvent.action == "voucher_paid"
        )
    )
    assert paid.user_id == world["supervisor"].id
    assert paid.detail == {
        "from": "approved",
        "to": "paid",
        "paid_on": paid_on,
        "amount_cents": 148050,
    }


def test_reject_needs_a_reason_and_keeps_it(client, factory, world):
    voucher = factory.voucher(world["period"], "requested")
    response = post(
        client, world["supervisor"], f"/vouchers/{voucher.id}/reject", {"rejection_reason": "   "}
    )
    assert response.status_code == 422
    assert "rejection_reason" in response.get_data(as_text=True)
    assert voucher_of(world["period"]).status == "requested"  # nothing half-written
    assert audit_actions(voucher.id) == []

    response = post(
        client,
        world["supervisor"],
        f"/vouchers/{voucher.id}/reject",
        {"rejection_reason": "Jakso jäi kesken sairausloman vuoksi."},
    )
    assert response.status_code == 302
    voucher = voucher_of(world["period"])
    assert voucher.status == "rejected"
    assert voucher.rejection_reason == "Jakso jäi kesken sairausloman vuoksi."
    assert audit_actions(voucher.id) == ["voucher_rejected"]


def test_request_of_an_ineligible_period_is_refused_with_reasons(client, factory, world):
    world["period"].phase = "active"
    db.session.commit()
    response = post(client, world["coach"], f"/vouchers/periods/{world['period'].id}/request")
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "period" in text
    assert "jakso ei ole päättynyt" in text
    assert voucher_of(world["period"]) is None


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"amount": "1500"}, "paid_on"),
        ({"paid_on": "31.3.2026", "amount": "1500"}, "paid_on"),
        ({"paid_on": "2099-01-01", "amount": "1500"}, "paid_on"),  # in the future
        ({"paid_on": "2026-03-01", "amount": "1500"}, "paid_on"),  # before the period ended
        ({"paid_on": "2026-04-10"}, "amount"),
        ({"paid_on": "2026-04-10", "amount": "abc"}, "amount"),
        ({"paid_on": "2026-04-10", "amount": "10,555"}, "amount"),
        ({"paid_on": "2026-04-10", "amount": "0"}, "amount"),
        ({"paid_on": "2026-04-10", "amount": "-5"}, "amount"),
        ({"paid_on": "2026-04-10", "amount": "1000001"}, "amount"),
        ({"paid_on": "2026-04-10", "amount": "NaN"}, "amount"),
    ],
)
def test_bad_payment_is_refused_naming_the_field(client, factory, world, form, field):
    voucher = factory.voucher(world["period"], "approved", amount_cents=100000)
    response = post(client, world["supervisor"], f"/vouchers/{voucher.id}/pay", form)
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.get_data(as_text=True)
    after = voucher_of(world["period"])
    assert (after.status, after.amount_cents, after.paid_on) == ("approved", 100000, None)


# Every (status, action) pair: allowed exactly when the transition table says so.

ACTIONS = {
    "requested": lambda v, w: rules.request(db.session, v.period, w["coach"]),
    "approved": lambda v, w: rules.approve(db.session, v, w["supervisor"], "100"),
    "rejected": lambda v, w: rules.reject(db.session, v, w["supervisor"], "syy"),
    "paid": lambda v, w: rules.pay(db.session, v, w["supervisor"], "2026-04-10", "100"),
}


@pytest.mark.parametrize("target", list(ACTIONS))
@pytest.mark.parametrize("status", VOUCHER_STATUSES)
def test_transition_matrix(factory, world, status, target):
    voucher = factory.voucher(world["period"], status)
    if target in VOUCHER_TRANSITIONS[status]:
        ACTIONS[target](voucher, world)
        db.session.commit()
        assert voucher_of(world["period"]).status == target
    else:
        with pytest.raises(rules.VoucherError) as refused:
            ACTIONS[target](voucher, world)
        assert refused.value.status == 409
        assert refused.value.field == "status"
        db.session.rollback()
        assert voucher_of(world["period"]).status == status


def test_forbidden_transition_message_over_http(client, factory, world):
    voucher = factory.voucher(world["period"], "requested")
    response = post(
        client,
        world["supervisor"],
        f"/vouchers/{voucher.id}/pay",
        {"paid_on": "2026-04-10", "amount": "100"},
    )
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Haettu → Maksettu" in text
    assert "Hyväksytty, Hylätty" in text  # what is allowed from "requested"


def test_request_twice_is_refused(client, world):
    path = f"/vouchers/periods/{world['period'].id}/request"
    assert post(client, world["coach"], path).status_code == 302
    assert post(client, world["coach"], path).status_code == 409


# Who may move a voucher


def test_only_the_periods_coach_may_request(client, world):
    path = f"/vouchers/periods/{world['period'].id}/request"
    assert post(client, world["other_coach"], path).status_code == 404
    assert voucher_of(world["period"]) is None


@pytest.mark.parametrize("role", ["supervisor", "rep"])
def test_supervisor_and_employer_cannot_request(client, world, role):
    path = f"/vouchers/periods/{world['period'].id}/request"
    login(client, world[role].email, PASSWORD)
    token = csrf_token(client, "/login")
    assert client.post(path, data={"csrf_token": token}).status_code == 403


@pytest.mark.parametrize("action", ["approve", "reject", "pay"])
@pytest.mark.parametrize("role", ["coach", "rep"])
def test_only_a_supervisor_decides(client, factory, world, role, action):
    voucher = factory.voucher(world["period"], "requested")
    login(client, world[role].email, PASSWORD)
    token = csrf_token(client, "/login")
    response = client.post(f"/vouchers/{voucher.id}/{action}", data={"csrf_token": token})
    assert response.status_code == 403
    assert voucher_of(world["period"]).status == "requested"


def test_supervisor_of_another_organization_cannot_decide(client, factory, world):
    voucher = factory.voucher(world["period"], "requested")
    response = post(client, world["stranger"], f"/vouchers/{voucher.id}/approve")
    assert response.status_code == 404
    assert voucher_of(world["period"]).status == "requested"


def test_coach_sees_only_own_vouchers(client, factory, world):
    factory.voucher(world["period"], "requested")
    other_participant = factory.participant(world["other_coach"], first_name="Vieras")
    other = factory.period(other_participant, world["employer"], end_date=END, phase="ended")
    factory.voucher(other, "requested")
    login(client, world["coach"].email, PASSWORD)
    html = client.get("/vouchers/").get_data(as_text=True)
    assert world["participant"].full_name in html
    assert other_participant.full_name not in html


def moved_to_other_coach(world):
    participant = db.session.get(Participant, world["participant"].id)
    participant.coach_id = world["other_coach"].id
    db.session.commit()


def test_a_participant_who_moved_away_leaves_the_old_coachs_voucher_list(client, factory, world):
    factory.voucher(world["period"], "requested")
    moved_to_other_coach(world)
    login(client, world["coach"].email, PASSWORD)
    html = client.get("/vouchers/").get_data(as_text=True)
    assert world["participant"].full_name not in html
    login(client, world["other_coach"].email, PASSWORD)
    assert world["participant"].full_name in client.get("/vouchers/").get_data(as_text=True)


def test_a_participant_who_moved_away_is_not_offered_to_the_old_coach(client, world):
    moved_to_other_coach(world)
    login(client, world["coach"].email, PASSWORD)
    html = client.get("/vouchers/", query_string={"status": "eligible"}).get_data(as_text=True)
    assert world["participant"].full_name not in html


def test_the_old_coach_cannot_request_the_voucher_of_a_participant_who_moved(client, world):
    moved_to_other_coach(world)
    path = f"/vouchers/periods/{world['period'].id}/request"
    assert post(client, world["coach"], path).status_code == 404
    assert voucher_of(world["period"]) is None
    # The participant's coach now handles the period, whoever coached it.
    assert post(client, world["other_coach"], path).status_code == 302
    assert voucher_of(world["period"]).status == "requested"


def test_the_rule_itself_refuses_a_coach_who_is_no_longer_the_participants(world):
    moved_to_other_coach(world)
    with pytest.raises(rules.VoucherError) as refused:
        rules.request(db.session, world["period"], world["coach"])
    assert refused.value.status == 403


# htmx: the changed row alone


def test_htmx_action_returns_the_row_partial(client, factory, world):
    voucher = factory.voucher(world["period"], "requested")
    login(client, world["supervisor"].email, PASSWORD)
    token = csrf_token(client, "/vouchers/")
    response = client.post(
        f"/vouchers/{voucher.id}/approve",
        data={"amount": "900"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert html.strip().startswith(f'<article class="voucher" id="voucher-{voucher.id}"')
    assert "900,00" in html
    refused = client.post(
        f"/vouchers/{voucher.id}/approve",
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert refused.status_code == 409
    assert "<html" not in refused.get_data(as_text=True)
    assert 'role="alert"' in refused.get_data(as_text=True)


def test_employer_sees_own_voucher_status(client, factory, world):
    factory.voucher(world["period"], "paid", amount_cents=150000, paid_on=date(2026, 4, 10))
    login(client, world["rep"].email, PASSWORD)
    html = client.get("/employer").get_data(as_text=True).replace("\u00a0", " ")
    assert "Maksettu" in html
    assert "1 500,00 €" in html
