"""Conflicts the coaches left open, across the team; settled from the desk."""

from collections import defaultdict
from datetime import UTC, datetime

from flask import abort, flash, g, redirect, request, url_for
from sqlalchemy import select

from server import audit
from server.auth.session import roles_required
from server.extensions import db, htmx
from server.i18n import translate
from server.models import Conflict, Device, Participant, User
from server.pages import PAGE_SIZE, Page, page_number, render_page
from server.query_args import whole_number
from server.records.registry import TYPES
from server.review import records
from server.review.blueprint import bp
from server.review.resolving import ResolveError, resolve


class ConflictView:
    """A conflict with what the page needs: the record, its participant, who wrote what."""

    def __init__(self, conflict, record, participant, period_id, users, devices):
        self.conflict = conflict
        self.record = record
        self.participant = participant
        self.period_id = period_id
        self.label = records.label(conflict.record_type, record) if record else "–"
        self.values = [
            {
                **v,
                "user": users.get(v.get("user_id")),
                "device": devices.get(v.get("device_id")),
                "at": _stamp_time(v.get("stamp")),
            }
            for v in conflict.values
        ]


def _stamp_time(stamp: str | None) -> datetime | None:
    millis = whole_number(stamp[:13] if stamp else None, minimum=0, maximum=10**13)
    return None if millis is None else datetime.fromtimestamp(millis / 1000, tz=UTC)


def _views(conflicts: list[Conflict]) -> list[ConflictView]:
    session = db.session
    user_ids = {v.get("user_id") for c in conflicts for v in c.values} - {None}
    device_ids = {v.get("device_id") for c in conflicts for v in c.values} - {None}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    devices = {d.id: d for d in session.scalars(select(Device).where(Device.id.in_(device_ids)))}
    views = []
    for c in conflicts:
        record = records.load(session, c.record_type, c.record_id)
        participant = session.get(Participant, c.participant_id) if c.participant_id else None
        period_id = records.period_id_of(session, c.record_type, record) if record else None
        views.append(ConflictView(c, record, participant, period_id, users, devices))
    return views


def _visible(conflict: Conflict) -> bool:
    if conflict.organization_id != g.user.organization_id:
        return False
    record = records.load(db.session, conflict.record_type, conflict.record_id)
    return record is None or records.may_read(db.session, g.user, conflict.record_type, record)


def _visible_open_conflicts() -> list[Conflict]:
    """The organization's open conflicts the user may read, oldest first.

    Filtered before paging, so every page is full and the total counts what
    the user sees. Each record type's records are read in one query first,
    so the check per conflict finds them in the session."""
    conflicts = db.session.scalars(
        select(Conflict)
        .where(Conflict.organization_id == g.user.organization_id, Conflict.status == "open")
        .order_by(Conflict.created_at, Conflict.id)
    ).all()
    by_type: dict[str, list[str]] = defaultdict(list)
    for conflict in conflicts:
        by_type[conflict.record_type].append(conflict.record_id)
    for record_type, ids in by_type.items():
        if (entry := TYPES.get(record_type)) is not None:
            model = entry.model
            db.session.scalars(select(model).where(model.id.in_(ids))).all()
    return [c for c in conflicts if _visible(c)]


def _list_page(errors: dict | None = None, status: int = 200):
    visible = _visible_open_conflicts()
    number = page_number()
    shown = visible[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    page = Page(_views(shown), number, PAGE_SIZE, len(visible))
    response = render_page(
        "review/conflicts.html",
        "review/_conflicts_list.html",
        code=status,
        page=page,
        query_args={},
        errors=errors or {},
    )
    audit.record_read_list("participants", [v.participant.id for v in page.items if v.participant])
    return response


@bp.get("/conflicts")
@roles_required("supervisor")
def list_conflicts():
    return _list_page()


@bp.post("/conflicts/<conflict_id>/resolve")
@roles_required("supervisor")
def resolve_conflict(conflict_id: str):
    conflict = db.session.get(Conflict, conflict_id, with_for_update=True)
    if conflict is None or not _visible(conflict):
        abort(404)
    error = None
    try:
        resolve(db.session, conflict, request.form.get("choice"), g.user)
        db.session.commit()
    except ResolveError as refused:
        db.session.rollback()
        error = refused
        conflict = db.session.get(Conflict, conflict_id)
    if not htmx:
        if error is not None:
            return _list_page({conflict.id: error}, error.status)
        flash(translate("review.conflict.resolved"), "info")
        return redirect(url_for("review.list_conflicts"))
    (view,) = _views([conflict])
    return render_page(
        "review/_conflict.html",
        "review/_conflict.html",
        code=error.status if error else 200,
        view=view,
        error=error,
    )
