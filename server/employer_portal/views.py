"""What an employer representative sees online: their employers' work
demonstrations with sign-off status (and the signed content), and the status of
their coaching vouchers. No goals or assessments (so never wellbeing), no other
employers, and a participant's name only with consent to share with the employer.
"""

from flask import abort, g, render_template
from sqlalchemy import select

from server import audit
from server.auth import policy
from server.auth.session import roles_required
from server.employer_portal.blueprint import bp
from server.extensions import db
from server.handover import views as handover
from server.models import (
    CoachingPeriod,
    DemonstrationTask,
    Employer,
    Participant,
    WorkDemonstration,
)
from server.signoff.status import (
    signed_views,
    signoff_status,
    signoffs_by_demonstration,
    statuses,
)
from server.vouchers import rules as voucher_rules


def _employer_ids() -> list[str]:
    return list(db.session.scalars(policy.represented_employer_ids(g.user)))


def _shared_names(participant_ids) -> dict[str, str]:
    """Names of the participants who consented to share with the employer side."""
    ids = list(set(participant_ids))
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Participant).where(Participant.id.in_(ids), Participant.consent_given.is_(True))
    )
    return {p.id: p.full_name for p in rows}


@bp.get("/employer")
@roles_required("employer_rep")
def show():
    employer_ids = _employer_ids()
    employers = db.session.scalars(
        select(Employer).where(Employer.id.in_(employer_ids)).order_by(Employer.name)
    ).all()
    demonstrations = db.session.scalars(
        select(WorkDemonstration)
        .where(
            WorkDemonstration.employer_id.in_(employer_ids),
            WorkDemonstration.deleted.is_(False),
        )
        .order_by(WorkDemonstration.demonstration_date.desc())
    ).all()
    # Every period at the employer with its voucher's status, the same the
    # desk and the coach's app show (not yet eligible: the reasons).
    periods = db.session.scalars(
        select(CoachingPeriod)
        .join(Participant, Participant.id == CoachingPeriod.participant_id)
        .where(
            CoachingPeriod.employer_id.in_(employer_ids),
            CoachingPeriod.deleted.is_(False),
            CoachingPeriod.phase != "cancelled",
            Participant.deleted.is_(False),
        )
        .order_by(CoachingPeriod.start_date.desc(), CoachingPeriod.id)
    ).all()
    vouchers = [(period, *voucher_rules.status_of(db.session, period)) for period in periods]
    shown = [d.participant_id for d in demonstrations] + [p.participant_id for p in periods]
    summaries = handover.portal_periods(employer_ids)
    shown += [participant.id for _, participant in summaries]
    html = render_template(
        "employer_portal/show.html",
        employers={e.id: e for e in employers},
        demonstrations=demonstrations,
        signoff_statuses=statuses(db.session, demonstrations),
        vouchers=vouchers,
        names=_shared_names(shown),
        summaries=summaries,
    )
    # After rendering: the audit commit would otherwise expire every row shown.
    audit.record_read_list("participants", shown)
    return html


@bp.get("/employer/demonstrations/<demonstration_id>")
@roles_required("employer_rep")
def show_demonstration(demonstration_id: str):
    demonstration = db.session.get(WorkDemonstration, demonstration_id)
    if (
        demonstration is None
        or demonstration.deleted
        or demonstration.employer_id not in _employer_ids()
    ):
        abort(404)
    tasks = db.session.scalars(
        select(DemonstrationTask)
        .where(
            DemonstrationTask.demonstration_id == demonstration.id,
            DemonstrationTask.deleted.is_(False),
        )
        .order_by(DemonstrationTask.position, DemonstrationTask.id)
    ).all()
    signoffs = signoffs_by_demonstration(db.session, [demonstration.id]).get(demonstration.id, [])
    participant_id = demonstration.participant_id
    html = render_template(
        "employer_portal/demonstration.html",
        demonstration=demonstration,
        employer=db.session.get(Employer, demonstration.employer_id),
        tasks=tasks,
        signoffs=signed_views(db.session, demonstration.id, signoffs),
        status=signoff_status(demonstration, signoffs),
        name=_shared_names([participant_id]).get(participant_id),
    )
    audit.record_read_list("participants", [participant_id])
    return html
