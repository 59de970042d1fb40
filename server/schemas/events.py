from marshmallow import fields, validate

from server.models import EventAttendance, EventGuest, MeetingEvent, MeetingEventEmployer
from server.schemas.base import model_schema


def _meetings():
    return fields.Integer(
        strict=True, validate=validate.Range(min=0, max=100, error="must be 0 to 100")
    )


MeetingEventSchema = model_schema(MeetingEvent)
MeetingEventEmployerSchema = model_schema(
    MeetingEventEmployer, extra={"meetings_held": _meetings()}
)
EventAttendanceSchema = model_schema(EventAttendance, extra={"meetings_held": _meetings()})
EventGuestSchema = model_schema(EventGuest, extra={"meetings_held": _meetings()})
