"""Voucher list (supervisor: the organization; coach: own periods) and the moves."""

from flask import abort, flash, g, redirect, request, url_for
from sqlalchemy import select

from server import audit
from server.auth.session import roles_required
from server.extensions import db, htmx
from server.i18n import translate
from server.models import CoachingPeriod, CoachingVoucher, Employer, Participant
from server.pages import paginate, refused, render_page, safe_next
from server.vocabulary import VOUCHER_STATUSES
from server.vouchers import rules
from server.vouchers.blueprint import bp

STATUS_FILTERS = (*VOUCHER_STATUSES, "all")
ELIGIBLE_SHOWN = 200


def _scoped(query):
    query = query.where(
        Participant.organization_id == g.user.organization_id,
        CoachingVoucher.deleted.is_(False),
        CoachingPeriod.deleted.is_(False),
        Participant.deleted.is_(False),
    )
    if g.user.role == "coach":
        # The participant's coach now, not who coached the period: a
        # participant who moved away leaves the old coach's list.
        query = query.where(Participant.coach_id == g.user.id)
    return query


def _rows():
    return (
        select(CoachingVoucher, CoachingPeriod, Participant, Employer.name)
        .join(CoachingPeriod, CoachingPeriod.id == CoachingVoucher.period_id)
        .join(Participant, Participant.id == CoachingPeriod.participant_id)
        .join(Employer, Employer.id == CoachingVoucher.employer_id)
    )


def _eligible_periods() -> list:
    query = rules.candidate_periods(g.user.organization_id)
    if g.user.role == "coach":
        query = query.where(Participant.coach_id == g.user.id)
    return rules.eligible_without_voucher(
        db.session, g.user.organization_id, query, limit=ELIGIBLE_SHOWN
    )


@bp.get("/")
@roles_required("supervisor", "coach")
def list_vouchers():
    status = request.args.get("status", "all")
    if status not in STATUS_FILTERS:
        abort(400, description=translate("review.error.filter", field="status"))
    query = _scoped(_rows())
    if status != "all":
        query = query.where(CoachingVoucher.status == status)
    page = paginate(
        query.order_by(CoachingVoucher.created_at.desc(), CoachingVoucher.id), scalars=False
    )
    eligible = _eligible_periods() if status in ("eligible", "all") else []
    response = render_page(
        "vouchers/list.html",
        "vouchers/_list.html",
        page=page,
        status=status,
        statuses=STATUS_FILTERS,
        eligible=eligible,
        query_args={"status": status},
        errors={},
    )
    audit.record_read_list(
        "participants",
        [row[2].id for row in page.items] + [p.participant_id for p in eligible],
    )
    return response


def _voucher_row(voucher_id: str):
    row = db.session.execute(_scoped(_rows()).where(CoachingVoucher.id == voucher_id)).first()
    if row is None:
        abort(404)
    return row


def _respond(voucher_id: str, error: rules.VoucherError | None, done_key: str):
    if error is None:
        db.session.commit()
    else:
        db.session.rollback()
    if not htmx:
        if error is not None:
            return refused(
                error.message, error.status, url_for("vouchers.list_vouchers"), error.field
            )
        flash(translate(done_key), "info")
        return redirect(safe_next(url_for("vouchers.list_vouchers")))
    return render_page(
        "vouchers/_row.html",
        "vouchers/_row.html",
        code=error.status if error else 200,
        row=_voucher_row(voucher_id),
        error=error,
    )


@bp.post("/periods/<period_id>/request")
@roles_required("coach")
def request_voucher(period_id: str):
    period = db.session.get(CoachingPeriod, period_id)
    if period is None or period.deleted or not rules.is_coach_of(db.session, period, g.user):
        abort(404)
    try:
        voucher = rules.request(db.session, period, g.user)
    except rules.VoucherError as error:
        db.session.rollback()
        return refused(error.message, error.status, url_for("vouchers.list_vouchers"), error.field)
    return _respond(voucher.id, None, "vouchers.done.requested")


def _act(voucher_id: str, action, done_key: str, *args):
    voucher, *_ = _voucher_row(voucher_id)
    try:
        action(db.session, voucher, g.user, *args)
    except rules.VoucherError as error:
        return _respond(voucher_id, error, done_key)
    return _respond(voucher_id, None, done_key)


@bp.post("/<voucher_id>/approve")
@roles_required("supervisor")
def approve_voucher(voucher_id: str):
    return _act(voucher_id, rules.approve, "vouchers.done.approved", request.form.get("amount"))


@bp.post("/<voucher_id>/reject")
@roles_required("supervisor")
def reject_voucher(voucher_id: str):
    return _act(
        voucher_id, rules.reject, "vouchers.done.rejected", request.form.get("rejection_reason")
    )


@bp.post("/<voucher_id>/pay")
@roles_required("supervisor")
def pay_voucher(voucher_id: str):
    return _act(
        voucher_id,
        rules.pay,
        "vouchers.done.paid",
        request.form.get("paid_on"),
        request.form.get("amount"),
    )
