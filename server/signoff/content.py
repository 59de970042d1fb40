"""The server's side of the canonical content: a demonstration's records read
from the database (SQLAlchemy Core, on the caller's connection, so a push sees
the rows it has just written) and serialized by server.signoff.canonical."""

from sqlalchemy import select

from server.models import DemonstrationTask, Employer, Participant, WorkDemonstration
from server.signoff.canonical import CanonicalError, canonical_bytes


class ContentMissing(LookupError):
    """The demonstration (or a record its content names) does not exist or is deleted."""


def _row(conn, model, record_id) -> dict:
    row = conn.execute(select(model.__table__).where(model.id == record_id)).first()
    if row is None or row.deleted:
        raise ContentMissing(f"{model.__tablename__} {record_id} does not exist or is deleted")
    return dict(row._mapping)


def current_content(conn, demonstration_id: str) -> bytes:
    """The canonical bytes of the demonstration as the database holds it now."""
    demonstration = _row(conn, WorkDemonstration, demonstration_id)
    tasks = conn.execute(
        select(DemonstrationTask.__table__).where(
            DemonstrationTask.demonstration_id == demonstration_id,
            DemonstrationTask.deleted.is_(False),
        )
    )
    return canonical_bytes(
        demonstration,
        [dict(t._mapping) for t in tasks],
        _row(conn, Participant, demonstration["participant_id"]),
        _row(conn, Employer, demonstration["employer_id"]),
    )


def content_of_states(conn, demonstration_id: str, states) -> bytes | None:
    """The canonical bytes of a candidate set of records (sync.resign): the
    demonstration and its tasks as `RecordState`s (wire fields), the
    participant and employer they name read from the database. None when the
    candidate cannot be signed (a record missing, a text refused)."""
    demo = states.get(("work_demonstration", demonstration_id))
    if demo is None or demo.deleted:
        return None
    tasks = [
        {**s.fields, "id": s.record_id, "deleted": s.deleted}
        for (record_type, _id), s in states.items()
        if record_type == "demonstration_task" and not s.deleted
    ]
    try:
        return canonical_bytes(
            {**demo.fields, "id": demonstration_id},
            tasks,
            _row(conn, Participant, demo.fields.get("participant_id")),
            _row(conn, Employer, demo.fields.get("employer_id")),
        )
    except (ContentMissing, CanonicalError):
        return None
