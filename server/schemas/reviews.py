from marshmallow import fields, validate

from server.models import ReviewReturn
from server.models.reviews import REVIEW_RETURN_STATUSES
from server.schemas.base import model_schema

# A supervisor returns a record at the desk; what the coach's device may write
# back is the answer. Everything else of a return is the supervisor's, and the
# time of the answer is the server's (a device's clock is no evidence): the
# device receives these fields (sync registry) but never writes them.
REVIEW_RETURN_SERVER_FIELDS = (
    "record_type",
    "record_id",
    "participant_id",
    "coach_id",
    "comment",
    "returned_by_id",
    "answered_at",
)
ReviewReturnSchema = model_schema(
    ReviewReturn,
    exclude=REVIEW_RETURN_SERVER_FIELDS,
    extra={
        "status": fields.String(
            validate=validate.OneOf(
                REVIEW_RETURN_STATUSES,
                error="must be one of: " + ", ".join(REVIEW_RETURN_STATUSES),
            )
        ),
        "answer": fields.String(
            allow_none=True,
            validate=validate.Length(max=5000, error="must be at most {max} characters"),
        ),
    },
)
