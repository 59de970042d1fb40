"""The hand-over summary at the desk (the period's coach, a supervisor of its
organization) and in the employer portal (the employer's version only, and
only with the participant's consent to share with the employer side).

Each summary shown is a disclosure of personal data: audited, never cached
(the app's after-request hook sets no-store for every logged-in answer).
"""

from flask import abort, g, render_template, request
from sqlalchemy import select

from server import audit
from server.auth import policy
from server.auth.session import roles_required
from server.extensions import db
from server.handover.blueprint import bp
from server.handover.content import VERSIONS, gather
from server.i18n import current_language, translate
from server.models import CoachingPeriod, Participant
from server.query_args import BadArgument
from server.vocabulary import LANGUAGES


def _period(period_id: str) -> CoachingPeriod:
    period = db.session.get(CoachingPeriod, period_id)
    if period is None or period.deleted:
        abort(404)
    return period


def _language() -> str:
    """The summary's own language, chosen for its reader (default: the page's)."""
    lang = request.args.get("lang") or current_language()
    if lang not in LANGUAGES:
        raise BadArgument("lang", translate("review.error.filter", field="lang"))
    return lang


def _render(period: CoachingPeriod, version: str, portal: bool):
    lang = _language()
    summary = gather(db.session, period, version)
    participant_id = summary.participant.id

    def t(key: str, **values) -> str:
        return translate(key, lang, **values)

    html = render_template(
        "handover/summary.html",
        s=summary,
        t=t,
        lang=lang,
        portal=portal,
        show_name=not portal or summary.participant.consent_given,
    )
    # After rendering: the audit commit would otherwise expire every row shown.
    audit.record(
        "read",
        "participants",
        participant_id,
        {"period": period.id, "summary": version, "lang": lang, "page": request.full_path},
    )
    db.session.commit()
    return html


@bp.get("/handover/periods/<period_id>")
@roles_required("coach", "supervisor")
def show_summary(period_id: str):
    period = _period(period_id)
    version = request.args.get("version", "employee")
    if version not in VERSIONS:
        raise BadArgument("version", translate("review.error.filter", field="version"))
    participant = db.session.get(Participant, period.participant_id)
    if not policy.may_read_participant(g.user, participant):
        abort(403)
    return _render(period, version, portal=False)


@bp.get("/employer/handover/<period_id>")
@roles_required("employer_rep")
def show_employer_summary(period_id: str):
    period = _period(period_id)
    represented = set(db.session.scalars(policy.represented_employer_ids(g.user)))
    participant = db.session.get(Participant, period.participant_id)
    # Without consent the employer side sees no name, and a summary is all about one person.
    if period.employer_id not in represented or not participant.consent_given:
        abort(404)
    return _render(period, "employer", portal=True)


def portal_periods(employer_ids) -> list[tuple[CoachingPeriod, Participant]]:
    """The periods at these employers whose summary the representative may read."""
    if not employer_ids:
        return []
    return list(
        db.session.execute(
            select(CoachingPeriod, Participant)
            .join(Participant, Participant.id == CoachingPeriod.participant_id)
            .where(
                CoachingPeriod.employer_id.in_(list(employer_ids)),
                CoachingPeriod.deleted.is_(False),
                Participant.deleted.is_(False),
                Participant.consent_given.is_(True),
            )
            .order_by(CoachingPeriod.start_date.desc())
        ).all()
    )
