"""Data-subject requests at the desk: find a participant, show and hand over
everything held about them, record consent, restrict and erase."""

from datetime import date

import orjson
from flask import (
    Response,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import or_, select

from server import audit
from server.auth.session import roles_required
from server.extensions import db
from server.i18n import translate
from server.models import Participant
from server.models.base import utcnow
from server.subjects import (
    erasure,
    export,
    filters,  # noqa: F401  (its template filters register on bp)
    restrictions,
)
from server.subjects.access import REQUEST_ROLES, participant_for
from server.subjects.blueprint import bp

_LIST_LIMIT = 50


def _private(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@roles_required(*REQUEST_ROLES)
def list_participants():
    q = request.args.get("q", "").strip()
    query = select(Participant).where(Participant.organization_id == g.user.organization_id)
    if q:
        like = f"%{q}%"
        query = query.where(
            or_(
                Participant.first_name.ilike(like),
                Participant.last_name.ilike(like),
                Participant.email.ilike(like),
                Participant.phone.ilike(like),
            )
        )
    rows = db.session.scalars(
        query.order_by(Participant.last_name, Participant.first_name).limit(_LIST_LIMIT)
    ).all()
    html = render_template("subjects/list.html", participants=rows, q=q)
    audit.record_read_list("participants", [p.id for p in rows])
    return _private(html)


def _not_erased(participant: Participant) -> Participant:
    if export.erasure_of(db.session, participant.id) is not None:
        abort(409, description=translate("subjects.error.deleted"))
    return participant


def _audit_name(data: export.Export) -> str:
    """An erased participant is named by their pseudonym in the log, as after the erasure."""
    return data.erasure["pseudonym"] if data.erasure else data.participant.id


def _export_page(participant, errors: dict | None = None, status: int = 200):
    data = export.gather(db.session, participant)
    html = render_template(
        "subjects/export.html",
        data=data,
        participant=participant,
        restriction=restrictions.active(db.session, participant.id),
        today=date.today(),
        errors=errors or {},
    )
    audit.record("export", "participants", _audit_name(data), {"format": "page"})
    db.session.commit()
    response = _private(html)
    response.status_code = status
    return response


@bp.get("/<participant_id>")
@roles_required(*REQUEST_ROLES)
def show_export(participant_id: str):
    return _export_page(participant_for(participant_id))


@bp.get("/<participant_id>/export.json")
@roles_required(*REQUEST_ROLES)
def download_export(participant_id: str):
    participant = participant_for(participant_id)
    now = utcnow()
    data = export.gather(db.session, participant)
    audit.record("export", "participants", _audit_name(data), {"format": "json"})
    db.session.commit()
    body = orjson.dumps(data.to_json(now), option=orjson.OPT_INDENT_2)
    response = Response(body, mimetype="application/json")
    filename = f"polku-{participant.id}-{now:%Y%m%d}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@bp.post("/<participant_id>/consent")
@roles_required(*REQUEST_ROLES)
def record_consent(participant_id: str):
    participant = participant_for(participant_id)
    if participant.deleted:
        abort(409, description=translate("subjects.error.deleted"))
    choice = request.form.get("given")
    if choice not in ("yes", "no"):
        return _export_page(participant, {"given": [translate("subjects.error.given")]}, 422)
    try:
        on_date = date.fromisoformat(request.form.get("on_date", ""))
    except ValueError:
        return _export_page(participant, {"on_date": [translate("subjects.error.on_date")]}, 422)
    if on_date > date.today():
        return _export_page(participant, {"on_date": [translate("subjects.error.future")]}, 422)
    given = choice == "yes"
    if given != participant.consent_given:
        # A database trigger writes the history row (migration 0010).
        participant.consent_given = given
        participant.consent_date = on_date if given else participant.consent_date
        participant.updated_by_id = g.user.id
        db.session.commit()
    flash(translate("subjects.consent_recorded"), "info")
    return redirect(url_for("subjects.show_export", participant_id=participant.id))


@bp.post("/<participant_id>/erase")
@roles_required("admin")
def erase_participant(participant_id: str):
    participant = participant_for(participant_id, admin_only=True)
    reason = request.form.get("reason", "").strip()
    errors = {}
    if problem := _reason_problem(reason):
        errors["reason"] = [problem]
    if request.form.get("confirm") != "yes":
        errors["confirm"] = [translate("subjects.error.confirm")]
    if errors:
        return _export_page(participant, errors, 422)
    erasure.erase(db.session, participant, reason, g.user.id)
    db.session.commit()
    flash(translate("subjects.erased"), "info")
    return redirect(url_for("subjects.show_export", participant_id=participant.id))


def _reason_problem(reason: str) -> str | None:
    """Why an erasure's or restriction's reason is refused, if it is."""
    if not reason:
        return translate("subjects.error.reason")
    if len(reason) > 1000:
        return translate("subjects.error.reason_long")
    return None


@bp.post("/<participant_id>/restrict")
@roles_required("admin")
def restrict_participant(participant_id: str):
    participant = _not_erased(participant_for(participant_id, admin_only=True))
    reason = request.form.get("reason", "").strip()
    if problem := _reason_problem(reason):
        return _export_page(participant, {"restrict_reason": [problem]}, 422)
    if restrictions.active(db.session, participant.id) is None:
        restrictions.restrict(db.session, participant.id, reason, g.user.id)
        audit.record("restrict", "participants", participant.id)
        db.session.commit()
    flash(translate("subjects.restricted"), "info")
    return redirect(url_for("subjects.show_export", participant_id=participant.id))


@bp.post("/<participant_id>/lift")
@roles_required("admin")
def lift_restriction(participant_id: str):
    participant = _not_erased(participant_for(participant_id, admin_only=True))
    if restrictions.lift(db.session, participant.id, g.user.id):
        audit.record("lift_restriction", "participants", participant.id)
        db.session.commit()
    flash(translate("subjects.lifted"), "info")
    return redirect(url_for("subjects.show_export", participant_id=participant.id))
