from marshmallow import fields, validate

from server.models import (
    Assessment,
    AssessmentRound,
    CoachingPeriod,
    Goal,
    Note,
    SatisfactionAnswer,
)
from server.schemas.base import model_schema, rating_field

CoachingPeriodSchema = model_schema(CoachingPeriod)
GoalSchema = model_schema(Goal)
AssessmentRoundSchema = model_schema(AssessmentRound)
AssessmentSchema = model_schema(Assessment, extra={"rating": rating_field()})
NoteSchema = model_schema(Note)
SatisfactionAnswerSchema = model_schema(
    SatisfactionAnswer,
    extra={
        "rating": rating_field(),
        "comment": fields.String(
            allow_none=True,
            validate=validate.Length(max=2000, error="must be at most {max} characters"),
        ),
    },
)
