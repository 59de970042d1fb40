"""Meeting events (Työkohtaamo): employers, attendees, meetings held, who got work."""

from flask import abort, g, render_template
from sqlalchemy import and_, func, select

from server import audit
from server.auth.session import roles_required
from server.employer_work.blueprint import bp
from server.employer_work.employers import flag
from server.extensions import db
from server.models import (
    Employer,
    EventAttendance,
    EventGuest,
    MeetingEvent,
    MeetingEventEmployer,
    Participant,
)
from server.pages import args_without, date_arg, paginate, render_page


def _attendance_counts():
    return (
        select(
            EventAttendance.event_id.label("event_id"),
            func.sum(flag(EventAttendance.attended)).label("attended"),
            func.sum(flag(and_(EventAttendance.got_work, EventAttendance.attended))).label(
                "got_work"
            ),
            func.sum(EventAttendance.meetings_held).label("meetings"),
        )
        .where(EventAttendance.deleted.is_(False))
        .group_by(EventAttendance.event_id)
        .subquery()
    )


@bp.get("/events/")
@roles_required("supervisor")
def list_events():
    start, end = date_arg("from"), date_arg("to")
    counts = _attendance_counts()
    query = (
        select(
            MeetingEvent,
            func.coalesce(counts.c.attended, 0),
            func.coalesce(counts.c.got_work, 0),
            func.coalesce(counts.c.meetings, 0),
        )
        .outerjoin(counts, counts.c.event_id == MeetingEvent.id)
        .where(
            MeetingEvent.organization_id == g.user.organization_id,
            MeetingEvent.deleted.is_(False),
        )
    )
    if start:
        query = query.where(MeetingEvent.event_date >= start)
    if end:
        query = query.where(MeetingEvent.event_date <= end)
    page = paginate(query.order_by(MeetingEvent.event_date.desc(), MeetingEvent.id), scalars=False)
    event_ids = [row[0].id for row in page.items]
    employers: dict[str, list[str]] = {}
    if event_ids:
        for event_id, name in db.session.execute(
            select(MeetingEventEmployer.event_id, Employer.name)
            .join(Employer, Employer.id == MeetingEventEmployer.employer_id)
            .where(
                MeetingEventEmployer.event_id.in_(event_ids),
                MeetingEventEmployer.deleted.is_(False),
            )
            .order_by(Employer.name)
        ):
            employers.setdefault(event_id, []).append(name)
    # Job seekers who are not clients: (how many, how many got work), per event.
    guests: dict[str, tuple[int, int]] = {}
    if event_ids:
        for event_id, count, hired in db.session.execute(
            select(EventGuest.event_id, func.count(), func.sum(flag(EventGuest.got_work)))
            .where(EventGuest.event_id.in_(event_ids), EventGuest.deleted.is_(False))
            .group_by(EventGuest.event_id)
        ):
            guests[event_id] = (int(count), int(hired or 0))
    return render_page(
        "employer_work/events.html",
        "employer_work/_events_results.html",
        page=page,
        employers=employers,
        guests=guests,
        start=start,
        end=end,
        query_args=args_without("page"),
    )


@bp.get("/events/<event_id>")
@roles_required("supervisor")
def show_event(event_id: str):
    event = db.session.get(MeetingEvent, event_id)
    if event is None or event.deleted or event.organization_id != g.user.organization_id:
        abort(404)
    employers = db.session.scalars(
        select(Employer)
        .join(MeetingEventEmployer, MeetingEventEmployer.employer_id == Employer.id)
        .where(MeetingEventEmployer.event_id == event.id, MeetingEventEmployer.deleted.is_(False))
        .order_by(Employer.name)
    ).all()
    taking_part = db.session.execute(
        select(MeetingEventEmployer, Employer)
        .join(Employer, Employer.id == MeetingEventEmployer.employer_id)
        .where(MeetingEventEmployer.event_id == event.id, MeetingEventEmployer.deleted.is_(False))
        .order_by(Employer.name)
    ).all()
    guests = db.session.scalars(
        select(EventGuest)
        .where(EventGuest.event_id == event.id, EventGuest.deleted.is_(False))
        .order_by(EventGuest.created_at, EventGuest.id)
    ).all()
    hired_by = {e.id: e.name for e in employers}
    attendances = db.session.execute(
        select(EventAttendance, Participant)
        .join(Participant, Participant.id == EventAttendance.participant_id)
        .where(EventAttendance.event_id == event.id, EventAttendance.deleted.is_(False))
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    missing = {
        x.employer_id for x in [*(a for a, _ in attendances), *guests] if x.employer_id
    } - set(hired_by)
    if missing:
        hired_by.update(
            dict(
                db.session.execute(
                    select(Employer.id, Employer.name).where(Employer.id.in_(missing))
                ).all()
            )
        )
    attended = [a for a, _ in attendances if a.attended]
    html = render_template(
        "employer_work/event.html",
        event=event,
        employers=employers,
        attendances=attendances,
        taking_part=taking_part,
        guests=guests,
        hired_by=hired_by,
        totals={
            "attended": len(attended),
            "meetings": sum(a.meetings_held for a in attended),
            "got_work": sum(1 for a in attended if a.got_work),
            "guests": len(guests),
            "guests_got_work": sum(1 for x in guests if x.got_work),
            "employer_meetings": sum(x.meetings_held for x, _ in taking_part),
        },
    )
    audit.record_read_list("participants", [p.id for _, p in attendances])
    return html
