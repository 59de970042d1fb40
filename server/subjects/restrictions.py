"""GDPR Art. 18: a participant's records frozen (readable, not editable, not
counted in the outcome figures) from a restriction until it is lifted."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.models import ProcessingRestriction
from server.models.base import utcnow


def active(session: Session, participant_id: str) -> ProcessingRestriction | None:
    return session.scalar(
        select(ProcessingRestriction).where(
            ProcessingRestriction.participant_id == participant_id,
            ProcessingRestriction.lifted_at.is_(None),
        )
    )


def restricted_ids() -> Select:
    """SELECT of the ids of participants under an active restriction."""
    return select(ProcessingRestriction.participant_id).where(
        ProcessingRestriction.lifted_at.is_(None)
    )


def restrict(session: Session, participant_id: str, reason: str, user_id: int):
    current = active(session, participant_id)
    if current is not None:
        return current
    restriction = ProcessingRestriction(
        participant_id=participant_id, reason=reason, restricted_by_id=user_id
    )
    session.add(restriction)
    return restriction


def lift(session: Session, participant_id: str, user_id: int) -> bool:
    current = active(session, participant_id)
    if current is None:
        return False
    current.lifted_at = utcnow()
    current.lifted_by_id = user_id
    return True
