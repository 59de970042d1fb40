from marshmallow import fields, validate

from server.models import Participant
from server.schemas.base import StrictSchema, model_schema, required_text
from server.vocabulary import LANGUAGES, ROLES

ParticipantSchema = model_schema(
    Participant,
    extra={
        "first_name": required_text(100),
        "last_name": required_text(100),
        "email": fields.Email(
            allow_none=True, error_messages={"invalid": "must be an e-mail address"}
        ),
        "birth_year": fields.Integer(
            strict=True,
            allow_none=True,
            validate=validate.Range(
                min=1900, max=2100, error="must be a year between 1900 and 2100"
            ),
        ),
    },
)


class UserCreateSchema(StrictSchema):
    """An account made by an admin or the create-user command."""

    email = fields.Email(required=True, error_messages={"invalid": "must be an e-mail address"})
    name = required_text(200)
    role = fields.String(
        required=True, validate=validate.OneOf(ROLES, error="must be one of: " + ", ".join(ROLES))
    )
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=12, error="must be at least {min} characters"),
    )
    language = fields.String(load_default="fi", validate=validate.OneOf(LANGUAGES))
    # For employer representatives: the contact person record to link the login to.
    employer_id = fields.String(load_default=None, allow_none=True)
