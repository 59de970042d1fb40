from server.models import DemonstrationTask, SignOff, WorkDemonstration
from server.schemas.base import model_schema

# The status (signed, needs new sign-off) follows from the sign-offs: server-set.
WorkDemonstrationSchema = model_schema(WorkDemonstration, exclude=("status",))
DemonstrationTaskSchema = model_schema(DemonstrationTask)
# What the device captured; the verification result is the server's to write.
SignOffSchema = model_schema(
    SignOff, exclude=("verification_status", "verification_reason", "verified_at")
)
