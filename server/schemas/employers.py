from marshmallow import ValidationError, fields, validate

from server.models import Employer, EmployerContact, EmployerContactPerson, EmployerNote, Workplace
from server.schemas.base import model_schema
from server.ytunnus import ytunnus_error

_YTUNNUS_MESSAGES = {
    "format": "must be a Y-tunnus: seven digits, a hyphen and a check digit (1234567-8)",
    "no_check_digit": "is not a valid Y-tunnus: no check digit exists for these digits",
    "check_digit": "is not a valid Y-tunnus: the check digit does not match",
}


def validate_ytunnus(value: str) -> None:
    if (error := ytunnus_error(value)) is not None:
        raise ValidationError(_YTUNNUS_MESSAGES[error])


EmployerSchema = model_schema(
    Employer, extra={"business_id": fields.String(required=True, validate=validate_ytunnus)}
)
WorkplaceSchema = model_schema(Workplace)
EmployerContactPersonSchema = model_schema(
    EmployerContactPerson,
    exclude=("user_id",),  # linking a login is an admin action, not a synced edit
    extra={"email": fields.Email(allow_none=True)},
)
EmployerContactSchema = model_schema(
    EmployerContact,
    extra={"note": fields.String(allow_none=True, validate=validate.Length(max=5000))},
)
EmployerNoteSchema = model_schema(EmployerNote)
