"""Notes on a participant and their periods, as the desk shows them.

Notes are append-only (sync/merge.py M2): a mistake is fixed by a correction
note naming the one it corrects, and the desk shows both, the old one marked.
"""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.models import EmployerNote, Note


@dataclass
class NoteView:
    note: Note | EmployerNote
    corrects: Note | EmployerNote | None
    corrected: bool


def notes_of(session: Session, participant_id: str, period_id: str | None = None) -> list[NoteView]:
    """Living notes of the participant, newest first; with `period_id`, those of
    that period and those of no period (the participant's own)."""
    query = select(Note).where(Note.participant_id == participant_id, Note.deleted.is_(False))
    if period_id is not None:
        query = query.where(or_(Note.period_id == period_id, Note.period_id.is_(None)))
    return _views(session.scalars(query.order_by(Note.created_at.desc(), Note.id)).all())


def employer_notes_of(session: Session, employer_id: str) -> list[NoteView]:
    """Living notes on an employer, newest first."""
    query = select(EmployerNote).where(
        EmployerNote.employer_id == employer_id, EmployerNote.deleted.is_(False)
    )
    return _views(session.scalars(query.order_by(EmployerNote.created_at.desc())).all())


def _views(notes) -> list[NoteView]:
    by_id = {n.id: n for n in notes}
    corrected = {n.corrects_id for n in notes if n.corrects_id}
    return [NoteView(n, by_id.get(n.corrects_id), n.id in corrected) for n in notes]
