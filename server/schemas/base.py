"""marshmallow schemas built from the models' columns, so types, lengths, enums
and nullability are stated once (in the model) and checked at every edge.

Errors name the field and the rule, e.g. {"rating": ["must be between 1 and 5"]}.
"""

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, String, Text

# Set by the server, never accepted from a client.
SERVER_FIELDS = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "created_by_id",
        "updated_by_id",
        "version",
        "deleted",
        "field_meta",
        "organization_id",
    }
)


class StrictSchema(Schema):
    """Unknown fields are an error naming the field, not silently dropped."""

    class Meta:
        unknown = "raise"


def _field_for(column) -> fields.Field:
    kind = column.type
    required = not column.nullable and column.default is None and not column.foreign_keys
    opts = {"required": required, "allow_none": column.nullable}
    if not column.nullable and column.foreign_keys:
        opts["required"] = True
    if isinstance(kind, Enum):
        choices = list(kind.enums)
        return fields.String(
            validate=validate.OneOf(choices, error="must be one of: " + ", ".join(choices)),
            **opts,
        )
    if isinstance(kind, Boolean):
        return fields.Boolean(**opts)
    if isinstance(kind, Integer):
        return fields.Integer(strict=True, **opts)
    if isinstance(kind, DateTime):
        return fields.AwareDateTime(**opts)
    if isinstance(kind, Date):
        return fields.Date(**opts)
    if isinstance(kind, String) and not isinstance(kind, Text) and kind.length:
        return fields.String(
            validate=validate.Length(max=kind.length, error="must be at most {max} characters"),
            **opts,
        )
    return fields.String(**opts)


def model_schema(model, *, exclude=(), extra: dict | None = None) -> type[StrictSchema]:
    """A schema class for `model`: every column but the server-set ones and `exclude`."""
    attrs: dict = {}
    for column in model.__table__.columns:
        if column.key in SERVER_FIELDS or column.key in exclude:
            continue
        attrs[column.key] = _field_for(column)
    attrs.update(extra or {})
    return type(f"{model.__name__}Schema", (StrictSchema,), attrs)


def rating_field(required: bool = True, allow_none: bool = False) -> fields.Integer:
    return fields.Integer(
        strict=True,
        required=required,
        allow_none=allow_none,
        validate=validate.Range(min=1, max=5, error="must be between 1 and 5"),
    )


def validate_not_blank(value: str) -> None:
    if value is not None and not value.strip():
        raise ValidationError("must not be blank")


def required_text(max_length: int) -> fields.String:
    return fields.String(
        required=True,
        validate=[
            validate.Length(max=max_length, error="must be at most {max} characters"),
            validate_not_blank,
        ],
    )
