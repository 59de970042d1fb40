"""Settling a conflict from the supervisor's desk.

The chosen value is written to the record through the ORM (so the sync
listener versions it and feeds it to devices) and the conflict is marked
resolved with who, when and what, in the same transaction.
"""

from marshmallow import ValidationError
from sqlalchemy.orm import Session

from server.i18n import translate
from server.models import Conflict, User
from server.models.base import utcnow
from server.query_args import whole_number
from server.records.desk_check import rule_errors
from server.records.hooks import SignedContent
from server.records.registry import TYPES
from server.review import records
from server.subjects import restrictions

DELETED_FIELD = "_deleted"


class ResolveError(Exception):
    def __init__(self, field: str, message: str, status: int = 422):
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


def _validated(record_type: str, fields: dict) -> dict:
    if record_type not in TYPES:
        raise ResolveError("record_type", translate("review.conflict.unknown_type"))
    try:
        return TYPES[record_type].schema().load(fields, partial=True)
    except ValidationError as error:
        names = ", ".join(sorted(error.messages)) if isinstance(error.messages, dict) else ""
        raise ResolveError(
            "choice", translate("review.conflict.invalid_value", fields=names)
        ) from None


def _keeps_rules(session: Session, record_type: str, record, changes: dict) -> dict:
    """The chosen value must keep the record's rules, as at a device's push."""
    errors = rule_errors(session, record_type, record, changes)
    if errors:
        names = ", ".join(sorted(errors))
        # The rule ids ("end_not_before_start"), the same names the push answers with.
        rules = ", ".join(m.split(":", 1)[0] for messages in errors.values() for m in messages)
        raise ResolveError(
            "choice", translate("review.conflict.breaks_rule", fields=names, rules=rules)
        )
    return changes


def _choice_index(conflict: Conflict, raw: str | None) -> int:
    index = whole_number(raw, minimum=0, maximum=len(conflict.values) - 1)
    if index is None:
        raise ResolveError("choice", translate("review.conflict.choose"))
    return index


def resolve(session: Session, conflict: Conflict, raw_choice: str | None, user: User) -> None:
    if conflict.status != "open":
        raise ResolveError("conflict", translate("review.conflict.already_resolved"), 409)
    if conflict.participant_id and restrictions.active(session, conflict.participant_id):
        raise ResolveError("conflict", translate("subjects.error.restricted"), 409)
    index = _choice_index(conflict, raw_choice)
    chosen = conflict.values[index]
    record = records.load(session, conflict.record_type, conflict.record_id)
    if record is None:
        raise ResolveError("conflict", translate("review.conflict.record_missing"), 409)
    value = chosen.get("value")
    if conflict.field == DELETED_FIELD:
        if value is None:
            record.deleted = True
        else:
            changes = _validated(conflict.record_type, dict(value))
            for name, new in _keeps_rules(session, conflict.record_type, record, changes).items():
                setattr(record, name, new)
            record.deleted = False
    else:
        changes = _validated(conflict.record_type, {conflict.field: value})
        for name, new in _keeps_rules(session, conflict.record_type, record, changes).items():
            setattr(record, name, new)
        # Choosing a proposal over signed content: the employer must sign again.
        signed = TYPES[conflict.record_type].hook(SignedContent)
        if conflict.kind == "signed" and index != 0 and signed is not None:
            demo_id = getattr(record, signed.demonstration)
            demonstration = session.get(TYPES[signed.status_of].model, demo_id)
            if demonstration is not None:
                setattr(demonstration, signed.status_field, signed.status)
    record.updated_by_id = user.id
    conflict.status = "resolved"
    conflict.resolved_by_id = user.id
    conflict.resolved_at = utcnow()
    conflict.resolution = {
        "choice": index,
        "value": value,
        "mutation_id": chosen.get("mutation_id"),
        "by": "supervisor",
    }
