"""Everything Polku holds about one participant (GDPR Art. 15 and 20)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from server.models import (
    AuditEvent,
    Conflict,
    ConsentEvent,
    Erasure,
    Participant,
    ProcessingRestriction,
    User,
)
from server.sync_api import participant_records

# Sync bookkeeping: who wrote which field when, not content about the person.
_INTERNAL = frozenset({"field_meta"})


@dataclass
class Export:
    participant: Participant
    records: dict[str, list[dict]]
    conflicts: list[dict]
    consent: list[dict]
    restrictions: list[dict]
    erasure: dict | None
    audit: list[dict]

    def to_json(self, generated_at: datetime) -> dict:
        return {
            "format": "polku-subject-export/1",
            "generated_at": generated_at.isoformat(),
            "participant_id": self.participant.id,
            "records": self.records,
            "conflicts": self.conflicts,
            "consent_history": self.consent,
            "restrictions": self.restrictions,
            "erasure": self.erasure,
            "audit_entries": self.audit,
        }


def plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(obj) -> dict:
    return {
        c.key: plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in _INTERNAL
    }


def audit_entries_of(session: Session, names: list[str], ids: list[str]) -> list[AuditEvent]:
    """Entries about one of the records, or naming the participant (by id, or
    by pseudonym after an erasure) as their entity or in their detail (list
    reads keep the ids they showed)."""
    detail_text = cast(AuditEvent.detail, String)
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    AuditEvent.entity_id.in_([*ids, *names]),
                    *(detail_text.contains(name) for name in names),
                )
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def erasure_of(session: Session, participant_id: str) -> Erasure | None:
    return session.scalar(select(Erasure).where(Erasure.participant_id == participant_id))


def conflicts_of(session: Session, participant_id: str, ids: list[str]) -> list[Conflict]:
    return list(
        session.scalars(
            select(Conflict)
            .where(or_(Conflict.participant_id == participant_id, Conflict.record_id.in_(ids)))
            .order_by(Conflict.created_at, Conflict.id)
        )
    )


def consent_history(session: Session, participant_id: str) -> list[ConsentEvent]:
    return list(
        session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.participant_id == participant_id)
            .order_by(ConsentEvent.recorded_at, ConsentEvent.id)
        )
    )


def restrictions_of(session: Session, participant_id: str) -> list[ProcessingRestriction]:
    return list(
        session.scalars(
            select(ProcessingRestriction)
            .where(ProcessingRestriction.participant_id == participant_id)
            .order_by(ProcessingRestriction.restricted_at)
        )
    )


def gather(session: Session, participant: Participant) -> Export:
    records = participant_records.records_of(session, participant.id)
    ids = participant_records.record_ids(records)
    erasure = erasure_of(session, participant.id)
    names = [participant.id, *([erasure.pseudonym] if erasure else [])]
    audit = audit_entries_of(session, names, ids)
    user_ids = {e.user_id for e in audit if e.user_id is not None}
    users = (
        {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
        if user_ids
        else {}
    )

    def audit_row(e: AuditEvent) -> dict:
        user = users.get(e.user_id)
        return {
            **row_dict(e),
            "user_name": user.name if user else None,
            "user_role": user.role if user else None,
        }

    def user_name(user_id):
        user = session.get(User, user_id) if user_id is not None else None
        return user.name if user else None

    return Export(
        participant=participant,
        records={name: [row_dict(r) for r in rows] for name, rows in records.items() if rows},
        conflicts=[row_dict(c) for c in conflicts_of(session, participant.id, ids)],
        consent=[
            {**row_dict(c), "recorded_by": user_name(c.recorded_by_id)}
            for c in consent_history(session, participant.id)
        ],
        restrictions=[row_dict(r) for r in restrictions_of(session, participant.id)],
        erasure=row_dict(erasure) if erasure else None,
        audit=[audit_row(e) for e in audit],
    )
