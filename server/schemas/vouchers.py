from server.models import CoachingVoucher
from server.schemas.base import model_schema

# A coach requests a voucher; decisions and payment are supervisor actions on the server.
CoachingVoucherSchema = model_schema(
    CoachingVoucher,
    exclude=("decided_at", "decided_by_id", "rejection_reason", "paid_on", "requested_by_id"),
)
