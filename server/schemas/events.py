from marshmallow import fields, validate

from server.models import EventAttendance, MeetingEvent, MeetingEventEmployer
from server.schemas.base import model_schema

MeetingEventSchema = model_schema(MeetingEvent)
MeetingEventEmployerSchema = model_schema(MeetingEventEmployer)
EventAttendanceSchema = model_schema(
    EventAttendance,
    extra={
        "meetings_held": fields.Integer(
            strict=True, validate=validate.Range(min=0, max=100, error="must be 0 to 100")
        )
    },
)
