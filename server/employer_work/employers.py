"""Employers of the organization and each one's contact history."""

from flask import abort, g, render_template, request
from sqlalchemy import case, func, or_, select

from server.auth.session import roles_required
from server.employer_work.blueprint import bp
from server.extensions import db
from server.models import (
    CoachingPeriod,
    CoachingVoucher,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    MeetingEvent,
    MeetingEventEmployer,
    Participant,
    User,
    WorkDemonstration,
)
from server.pages import args_without, paginate, render_page
from server.review.notes import employer_notes_of
from server.signoff.status import statuses


def flag(condition):
    """1 where `condition` holds, else 0: sums and maxima of booleans on both databases."""
    return case((condition, 1), else_=0)


def contact_summary():
    """Per employer: contacts, last contact, ever informed, ever adopted."""
    return (
        select(
            EmployerContact.employer_id.label("employer_id"),
            func.count(EmployerContact.id).label("contacts"),
            func.max(EmployerContact.contact_date).label("last_contact"),
            func.max(flag(EmployerContact.informed_of_alternative_recruitment)).label("informed"),
            func.max(flag(EmployerContact.adopted_alternative_recruitment)).label("adopted"),
        )
        .where(EmployerContact.deleted.is_(False))
        .group_by(EmployerContact.employer_id)
        .subquery()
    )


@bp.get("/employers/")
@roles_required("supervisor")
def list_employers():
    q = (request.args.get("q") or "").strip()[:100]
    summary = contact_summary()
    query = (
        select(
            Employer,
            func.coalesce(summary.c.contacts, 0),
            summary.c.last_contact,
            summary.c.informed,
            summary.c.adopted,
        )
        .outerjoin(summary, summary.c.employer_id == Employer.id)
        .where(Employer.organization_id == g.user.organization_id, Employer.deleted.is_(False))
    )
    if q:
        query = query.where(
            or_(
                func.lower(Employer.name).contains(q.lower(), autoescape=True),
                Employer.business_id.contains(q, autoescape=True),
            )
        )
    page = paginate(query.order_by(Employer.name, Employer.id), scalars=False)
    return render_page(
        "employer_work/employers.html",
        "employer_work/_employers_results.html",
        page=page,
        q=q,
        query_args=args_without("page"),
    )


@bp.get("/employers/<employer_id>")
@roles_required("supervisor")
def show_employer(employer_id: str):
    employer = db.session.get(Employer, employer_id)
    if employer is None or employer.deleted or employer.organization_id != g.user.organization_id:
        abort(404)
    contacts = db.session.execute(
        select(EmployerContact, User.name)
        .join(User, User.id == EmployerContact.coach_id)
        .where(EmployerContact.employer_id == employer.id, EmployerContact.deleted.is_(False))
        .order_by(EmployerContact.contact_date.desc(), EmployerContact.id)
    ).all()
    people = db.session.scalars(
        select(EmployerContactPerson)
        .where(
            EmployerContactPerson.employer_id == employer.id,
            EmployerContactPerson.deleted.is_(False),
        )
        .order_by(EmployerContactPerson.name)
    ).all()
    # A record under a deleted participant is gone with it, whatever its own flag says.
    demonstrations = db.session.scalars(
        select(WorkDemonstration)
        .join(Participant, Participant.id == WorkDemonstration.participant_id)
        .where(
            WorkDemonstration.employer_id == employer.id,
            WorkDemonstration.deleted.is_(False),
            Participant.deleted.is_(False),
        )
        .order_by(WorkDemonstration.demonstration_date.desc())
    ).all()
    periods = db.session.scalar(
        select(func.count(CoachingPeriod.id))
        .join(Participant, Participant.id == CoachingPeriod.participant_id)
        .where(
            CoachingPeriod.employer_id == employer.id,
            CoachingPeriod.deleted.is_(False),
            Participant.deleted.is_(False),
        )
    )
    vouchers = db.session.execute(
        select(CoachingVoucher.status, func.count(CoachingVoucher.id))
        .where(CoachingVoucher.employer_id == employer.id, CoachingVoucher.deleted.is_(False))
        .group_by(CoachingVoucher.status)
    ).all()
    events = db.session.scalars(
        select(MeetingEvent)
        .join(MeetingEventEmployer, MeetingEventEmployer.event_id == MeetingEvent.id)
        .where(
            MeetingEventEmployer.employer_id == employer.id,
            MeetingEventEmployer.deleted.is_(False),
            MeetingEvent.deleted.is_(False),
        )
        .order_by(MeetingEvent.event_date.desc())
    ).all()
    return render_template(
        "employer_work/employer.html",
        employer=employer,
        notes=employer_notes_of(db.session, employer.id),
        contacts=contacts,
        people=people,
        demonstrations=demonstrations,
        signoff_statuses=statuses(db.session, demonstrations),
        periods=periods,
        vouchers=dict(vouchers),
        events=events,
        informed=any(c.informed_of_alternative_recruitment for c, _ in contacts),
        adopted=any(c.adopted_alternative_recruitment for c, _ in contacts),
    )
