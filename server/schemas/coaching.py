from server.models import Assessment, AssessmentRound, CoachingPeriod, Goal, Note
from server.schemas.base import model_schema, rating_field

CoachingPeriodSchema = model_schema(
    CoachingPeriod,
    extra={
        "participant_satisfaction": rating_field(required=False, allow_none=True),
        "employer_satisfaction": rating_field(required=False, allow_none=True),
    },
)
GoalSchema = model_schema(Goal)
AssessmentRoundSchema = model_schema(AssessmentRound)
AssessmentSchema = model_schema(Assessment, extra={"rating": rating_field()})
NoteSchema = model_schema(Note)
