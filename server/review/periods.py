"""Coaching periods: the filtered list (with CSV) and one period's page."""

from datetime import date

from flask import abort, g, render_template

from server import audit
from server.auth import policy
from server.auth.session import roles_required
from server.extensions import db
from server.i18n import translate
from server.models import CoachingPeriod, Participant
from server.pages import args_without, csv_response, paginate, render_page
from server.review import period_page, queries, records
from server.review.blueprint import bp
from server.vouchers.rules import ineligibility

EXPORT_LIMIT = 20_000


@bp.get("/periods")
@roles_required("supervisor")
def list_periods():
    org = g.user.organization_id
    filters = queries.read_filters(org)
    page = paginate(queries.filtered_periods(org, filters, date.today()), scalars=False)
    # Audited after rendering: the audit commit would otherwise expire every row shown.
    response = render_page(
        "review/periods.html",
        "review/_periods_results.html",
        page=page,
        filters=filters,
        coaches=queries.org_coaches(org),
        employers=queries.org_employers(org),
        query_args=args_without("page"),
    )
    audit.record_read_list("participants", [row[1].id for row in page.items])
    return response


@bp.get("/periods.csv")
@roles_required("supervisor")
def export_periods():
    org = g.user.organization_id
    filters = queries.read_filters(org)
    rows = db.session.execute(
        queries.filtered_periods(org, filters, date.today()).limit(EXPORT_LIMIT)
    ).all()
    header = [
        translate(k)
        for k in (
            "review.col.participant",
            "review.col.coach",
            "review.col.employer",
            "review.col.measure",
            "review.col.phase",
            "review.col.start",
            "review.col.end",
            "review.col.outcome_end",
            "review.col.outcome_3",
            "review.col.outcome_6",
        )
    ]

    def outcome(value):
        return translate(f"outcome.{value}") if value else ""

    body = [
        [
            participant.full_name,
            coach_name,
            employer_name or "",
            translate(f"measure.{period.measure_type}"),
            translate(f"phase.{period.phase}"),
            period.start_date,
            period.end_date,
            outcome(period.outcome_at_end),
            outcome(period.outcome_3_months),
            outcome(period.outcome_6_months),
        ]
        for period, participant, employer_name, coach_name in rows
    ]
    audit.record_export("participants", [row[1].id for row in rows], len(body))
    return csv_response("jaksot.csv", header, body)


@bp.get("/periods/<period_id>")
@roles_required("supervisor")
def show_period(period_id: str):
    session = db.session
    period = session.get(CoachingPeriod, period_id)
    if period is None or period.deleted:
        abort(404)
    participant = session.get(Participant, period.participant_id)
    if not policy.may_read_participant(g.user, participant):
        abort(403)
    today = date.today()
    rounds = period_page.rounds_of(session, period)
    show_wellbeing = policy.allowed(g.user, "wellbeing", "read")
    areas = period_page.goal_areas(session, period, rounds, show_wellbeing)
    demonstrations = period_page.demonstrations(session, period)
    returnable = [("coaching_period", period.id, records.label("coaching_period", period))]
    returnable += [("goal", gv.goal.id, gv.goal.title) for a in areas for gv in a.goals]
    returnable += [("assessment_round", r.id, r.held_on.strftime("%d.%m.%Y")) for r in rounds]
    returnable += [
        ("work_demonstration", d.demonstration.id, d.demonstration.title) for d in demonstrations
    ]
    html = render_template(
        "review/period.html",
        period=period,
        participant=participant,
        rounds=rounds,
        areas=areas,
        demonstrations=demonstrations,
        timeline=period_page.timeline(period, rounds, today),
        phases=period_page.phase_steps(period),
        representatives=period_page.representatives(session, period.employer_id),
        conflicts=period_page.open_conflicts(session, participant.id),
        returns=period_page.returns_of(session, participant.id),
        satisfaction=period_page.satisfaction_of(session, period),
        voucher=period_page.voucher_of(session, period),
        voucher_blockers=ineligibility(session, period),
        returnable=returnable,
        return_errors={},
    )
    audit.record_read(participant, {"period": period.id})
    return html
