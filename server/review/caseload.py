"""Moving a caseload: a supervisor gives one participant, or all of a coach's
participants (when the coach leaves), to another coach of the organization.

Only `coach_id` changes here. The sync engine does the rest (the registry's
Reassignable hook, server/sync_api/server_edits.py): the new coach's devices
receive the whole history, the old coach's devices a removal.
"""

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from server import audit
from server.auth.session import roles_required
from server.extensions import db
from server.i18n import translate
from server.models import CoachingPeriod, Participant, User
from server.review.blueprint import bp
from server.subjects import restrictions

# A period that has ended keeps the coach who ran it; the others follow the participant.
_RUNNING_PHASES = ("planning", "active", "follow_up")


def _coaches() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.organization_id == g.user.organization_id, User.role == "coach")
            .order_by(User.name, User.id)
        )
    )


def _participants() -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.organization_id == g.user.organization_id,
                Participant.deleted.is_(False),
            )
            .order_by(Participant.last_name, Participant.first_name, Participant.id)
        )
    )


@bp.get("/caseload")
@roles_required("supervisor")
def show_caseload():
    return _page()


def _page(errors: dict | None = None, status: int = 200):
    """The page, with an error summary whose links lead to the fields named."""
    coaches = _coaches()
    participants = _participants()
    counts = dict(
        db.session.execute(
            select(Participant.coach_id, func.count(Participant.id))
            .where(
                Participant.organization_id == g.user.organization_id,
                Participant.deleted.is_(False),
            )
            .group_by(Participant.coach_id)
        ).all()
    )
    html = render_template(
        "review/caseload.html",
        coaches=coaches,
        participants=participants,
        counts=counts,
        errors=errors or {},
        form=request.form,
    )
    # Audited after rendering: the audit commit would otherwise expire every row shown.
    audit.record_read_list("participants", [p.id for p in participants])
    return html, status


def _refuse(field: str, message: str, status: int = 422):
    db.session.rollback()
    return _page({field: message}, status)


def _coach(field: str, active_only: bool) -> User | None:
    raw = request.form.get(field) or ""
    user = db.session.get(User, int(raw)) if raw.isdigit() else None
    if user is None or user.role != "coach" or user.organization_id != g.user.organization_id:
        return None
    if active_only and not user.active:
        return None
    return user


def _move(participant: Participant, to: User) -> None:
    participant.coach_id = to.id
    participant.updated_by_id = g.user.id
    for period in db.session.scalars(
        select(CoachingPeriod).where(
            CoachingPeriod.participant_id == participant.id,
            CoachingPeriod.deleted.is_(False),
            CoachingPeriod.phase.in_(_RUNNING_PHASES),
        )
    ):
        period.coach_id = to.id
        period.updated_by_id = g.user.id


@bp.post("/caseload/move")
@roles_required("supervisor")
def move_caseload():
    # Both forms name the new coach `to_coach`; the error points at the one sent.
    to_field = "to_coach" if "participant" in request.form else "all_to_coach"
    to = _coach("to_coach", active_only=True)
    if to is None:
        return _refuse(to_field, translate("caseload.error.to_coach"), 422)
    if "participant" in request.form:
        participant = db.session.get(Participant, request.form["participant"])
        if (
            participant is None
            or participant.deleted
            or participant.organization_id != g.user.organization_id
        ):
            return _refuse("participant", translate("caseload.error.participant"), 422)
        if restrictions.active(db.session, participant.id):
            return _refuse("participant", translate("subjects.error.restricted"), 409)
        if participant.coach_id == to.id:
            return _refuse("to_coach", translate("caseload.error.same"), 422)
        moving, skipped, source = [participant], [], participant.coach_id
    else:
        source_coach = _coach("from_coach", active_only=False)
        if source_coach is None:
            return _refuse("from_coach", translate("caseload.error.from_coach"), 422)
        if source_coach.id == to.id:
            return _refuse(to_field, translate("caseload.error.same"), 422)
        source = source_coach.id
        caseload = db.session.scalars(
            select(Participant).where(
                Participant.coach_id == source_coach.id, Participant.deleted.is_(False)
            )
        ).all()
        # A restricted participant's records are frozen: they stay until the restriction is lifted.
        skipped = [p for p in caseload if restrictions.active(db.session, p.id)]
        moving = [p for p in caseload if p not in skipped]
    for participant in moving:
        _move(participant, to)
    audit.record(
        "update",
        "caseloads",
        source,
        {"from": source, "to": to.id, "ids": [p.id for p in moving]},
    )
    db.session.commit()
    flash(translate("caseload.moved", n=len(moving), coach=to.name), "info")
    if skipped:
        flash(translate("caseload.skipped", n=len(skipped)), "error")
    return redirect(url_for("review.show_caseload"))
