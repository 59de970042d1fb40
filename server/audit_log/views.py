"""Reading the audit log: a supervisor their organization's events (those of
its users), an admin every event. Filters by participant, user, action and
date range; pages of 50, newest first; CSV. Reading it is itself logged."""

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

import orjson
from flask import g, request
from sqlalchemy import Select, Text, and_, cast, or_, select

from server import audit
from server.audit_log.blueprint import bp
from server.auth import policy
from server.auth.session import roles_required
from server.extensions import db
from server.i18n import translate
from server.models import AuditEvent, User
from server.models.audit import AUDIT_ACTIONS
from server.pages import args_without, csv_response, date_arg, paginate, render_page
from server.query_args import BadArgument, int_arg
from server.template_filters import LOCAL_TIME

EXPORT_LIMIT = 20_000
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)


@dataclass
class AuditFilters:
    participant: str | None = None
    user: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _filters() -> AuditFilters:
    """The filters from the query string; a bad value is a 400 naming the field."""
    participant = (request.args.get("participant") or "").strip().lower() or None
    if participant and not _UUID.fullmatch(participant):
        raise BadArgument("participant", translate("audit.error.participant"))
    action = request.args.get("action") or None
    if action and action not in AUDIT_ACTIONS:
        raise BadArgument("action", translate("review.error.filter", field="action"))
    f = AuditFilters(participant, int_arg("user"), action, date_arg("from"), date_arg("to"))
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise BadArgument("to", translate("review.error.filter", field="to"))
    return f


def _start_of(day: date) -> datetime:
    """Midnight in Finland, in UTC: the log's days are the reader's days."""
    return datetime.combine(day, time.min, LOCAL_TIME).astimezone(UTC)


def _events(f: AuditFilters) -> Select:
    query = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.user_id)
    if g.user.role != "admin":
        query = query.where(User.organization_id == g.user.organization_id)
    if f.participant:
        # Read as the entity itself, or named in the detail (a page's or a
        # pull's participants). Ids are UUIDs, checked above: no wildcards.
        query = query.where(
            or_(
                and_(
                    AuditEvent.entity_type == "participants",
                    AuditEvent.entity_id == f.participant,
                ),
                cast(AuditEvent.detail, Text).like(f'%"{f.participant}"%'),
            )
        )
    if f.user is not None:
        query = query.where(AuditEvent.user_id == f.user)
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.date_from:
        query = query.where(AuditEvent.at >= _start_of(f.date_from))
    if f.date_to:
        query = query.where(AuditEvent.at < _start_of(f.date_to + timedelta(days=1)))
    return query.order_by(AuditEvent.id.desc())


def _users() -> list[User]:
    query = select(User).order_by(User.name, User.id)
    if g.user.role != "admin":
        query = query.where(User.organization_id == g.user.organization_id)
    return list(db.session.scalars(query))


def _log_reading(f: AuditFilters, shown: int) -> None:
    given = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(f).items() if v}
    audit.record("audit_read", "audit_events", None, {"filters": given, "shown": shown})
    db.session.commit()


# Who reads the log: the roles DESIGN §4 names, as the policy lists them.
READERS = tuple(policy.PERMISSIONS["audit"])


@bp.get("/")
@roles_required(*READERS)
def list_events():
    f = _filters()
    page = paginate(_events(f), scalars=False)
    response = render_page(
        "audit_log/list.html",
        "audit_log/_results.html",
        page=page,
        filters=f,
        users=_users(),
        actions=AUDIT_ACTIONS,
        query_args=args_without("page"),
    )
    _log_reading(f, len(page.items))
    return response


@bp.get("/events.csv")
@roles_required(*READERS)
def export_events():
    f = _filters()
    rows = db.session.execute(_events(f).limit(EXPORT_LIMIT)).all()
    header = [
        translate(k)
        for k in (
            "audit.col.time",
            "audit.col.user_id",
            "audit.col.user",
            "audit.col.action",
            "audit.col.target",
            "audit.col.target_id",
            "audit.col.ip",
            "audit.col.detail",
        )
    ]
    body = [
        [
            _utc(event.at).isoformat(),
            event.user_id,
            user.name if user else translate("audit.system"),
            event.action,
            event.entity_type,
            event.entity_id,
            event.ip,
            orjson.dumps(event.detail).decode() if event.detail is not None else "",
        ]
        for event, user in rows
    ]
    audit.record_export("audit_events", [f.participant] if f.participant else [], len(body))
    return csv_response("lokitiedot.csv", header, body)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@bp.app_template_filter("audit_detail")
def audit_detail(detail: dict | None) -> str:
    """A short line of an event's detail: lists and maps by their size."""
    if not detail:
        return ""
    parts = []
    for key, value in detail.items():
        if isinstance(value, list | dict):
            value = len(value)
        parts.append(f"{key}: {value}")
    text = " · ".join(parts)
    return text if len(text) <= 200 else text[:199] + "…"
