"""Each role's landing page, and the participant page (an audited read)."""

from flask import abort, g, render_template
from sqlalchemy import select

from server import audit
from server.auth import policy
from server.auth.session import roles_required
from server.extensions import db
from server.home.blueprint import bp
from server.models import (
    CoachingPeriod,
    Participant,
)
from server.review.notes import notes_of


@bp.get("/coach")
@roles_required("coach")
def coach():
    participants = db.session.scalars(
        policy.visible_participants(g.user).order_by(Participant.last_name, Participant.first_name)
    ).all()
    periods = {
        p.participant_id: p
        for p in db.session.scalars(
            select(CoachingPeriod)
            .where(CoachingPeriod.coach_id == g.user.id, CoachingPeriod.deleted.is_(False))
            .order_by(CoachingPeriod.start_date)
        )
    }
    audit.record_read_list("participants", [p.id for p in participants])
    return render_template("home/coach.html", participants=participants, periods=periods)


@bp.get("/participants/<participant_id>")
@roles_required("coach", "supervisor")
def show_participant(participant_id: str):
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.deleted:
        abort(404)
    if not policy.may_read_participant(g.user, participant):
        abort(403)
    periods = db.session.scalars(
        select(CoachingPeriod)
        .where(CoachingPeriod.participant_id == participant.id, CoachingPeriod.deleted.is_(False))
        .order_by(CoachingPeriod.start_date)
    ).all()
    audit.record_read(participant)
    show_wellbeing = policy.allowed(g.user, "wellbeing", "read")
    return render_template(
        "home/participant.html",
        participant=participant,
        periods=periods,
        show_wellbeing=show_wellbeing,
        notes=notes_of(db.session, participant.id),
    )
