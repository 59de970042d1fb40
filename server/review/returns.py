"""Returning a record to its coach with a comment, and the coach's answer.

The return is a synced record (ReviewReturn): it reaches the coach's device
and stays there, open, until the coach answers (on the device, or here).
"""

from dataclasses import dataclass

from flask import abort, flash, g, redirect, request, url_for
from sqlalchemy import select

from server import audit
from server.auth.session import roles_required
from server.extensions import db, htmx
from server.i18n import translate
from server.models import Participant, ReviewReturn
from server.models.base import utcnow
from server.pages import paginate, refused, render_page, safe_next
from server.review import records
from server.review.blueprint import bp
from server.subjects import restrictions

TEXT_MAX = 4000
STATUS_FILTERS = ("open", "answered", "all")


@dataclass
class FieldError:
    field: str
    message: str


def _text(name: str) -> str | FieldError:
    value = (request.form.get(name) or "").strip()
    if not value:
        return FieldError(name, translate("review.return.error.blank", field=name))
    if len(value) > TEXT_MAX:
        return FieldError(name, translate("review.return.error.long", field=name, max=TEXT_MAX))
    return value


def _returned_record():
    """The record named by the form's `record` ("type:id"), if the supervisor may return it."""
    record_type, _, record_id = (request.form.get("record") or "").partition(":")
    if record_type not in records.RETURNABLE:
        return None, None
    record = records.load(db.session, record_type, record_id)
    if record is None or record.deleted:
        return None, None
    if not records.may_read(db.session, g.user, record_type, record):
        return None, None
    return record_type, record


def _back() -> str:
    return safe_next(url_for("review.list_returns"))


@bp.post("/returns")
@roles_required("supervisor")
def return_record():
    record_type, record = _returned_record()
    comment = _text("comment")
    error = None
    if record is None:
        error = FieldError("record", translate("review.return.error.record"))
    elif isinstance(comment, FieldError):
        error = comment
    if error is not None:
        return refused(error.message, 422, back=_back(), field=error.field)
    participant_id = records.participant_id_of(db.session, record_type, record)
    if restrictions.active(db.session, participant_id):
        return refused(translate("subjects.error.restricted"), 409, back=_back(), field="record")
    returned = ReviewReturn(
        organization_id=g.user.organization_id,
        record_type=record_type,
        record_id=record.id,
        participant_id=participant_id,
        coach_id=db.session.get(Participant, participant_id).coach_id,
        comment=comment,
        returned_by_id=g.user.id,
        created_by_id=g.user.id,
        updated_by_id=g.user.id,
    )
    db.session.add(returned)
    db.session.commit()
    if htmx:
        return render_page(
            "review/_return_created.html", "review/_return_created.html", returned=returned
        )
    flash(translate("review.return.sent"), "info")
    return redirect(_back())


def _scope(query):
    if g.user.role == "coach":
        return query.where(ReviewReturn.coach_id == g.user.id)
    return query.where(ReviewReturn.organization_id == g.user.organization_id)


@bp.get("/returns")
@roles_required("supervisor", "coach")
def list_returns():
    status = request.args.get("status", "open")
    if status not in STATUS_FILTERS:
        abort(400, description=translate("review.error.filter", field="status"))
    query = _scope(select(ReviewReturn).where(ReviewReturn.deleted.is_(False)))
    if status != "all":
        query = query.where(ReviewReturn.status == status)
    page = paginate(query.order_by(ReviewReturn.created_at.desc(), ReviewReturn.id))
    labels = {}
    for item in page.items:
        record = records.load(db.session, item.record_type, item.record_id)
        period_id = records.period_id_of(db.session, item.record_type, record) if record else None
        labels[item.id] = (
            records.label(item.record_type, record) if record else "–",
            period_id,
        )
    response = render_page(
        "review/returns.html",
        "review/_returns_list.html",
        page=page,
        status=status,
        labels=labels,
        query_args={"status": status},
        errors={},
    )
    audit.record_read_list(
        "participants", [r.participant_id for r in page.items if r.participant_id]
    )
    return response


@bp.post("/returns/<return_id>/answer")
@roles_required("coach")
def answer_return(return_id: str):
    returned = db.session.get(ReviewReturn, return_id)
    if returned is None or returned.deleted or returned.coach_id != g.user.id:
        abort(404)
    back = url_for("review.list_returns")
    if returned.status != "open":
        return refused(translate("review.return.error.answered"), 409, back=back)
    if returned.participant_id and restrictions.active(db.session, returned.participant_id):
        return refused(translate("subjects.error.restricted"), 409, back=back)
    answer = _text("answer")
    if isinstance(answer, FieldError):
        return refused(answer.message, 422, back=back, field=answer.field)
    returned.answer = answer
    returned.status = "answered"
    returned.answered_at = utcnow()
    returned.updated_by_id = g.user.id
    db.session.commit()
    flash(translate("review.return.answered"), "info")
    return redirect(url_for("review.list_returns"))
