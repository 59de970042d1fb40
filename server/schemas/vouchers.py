from server.models import CoachingVoucher, VoucherRequest
from server.schemas.base import model_schema

# A coach requests a voucher; decisions and payment are supervisor actions on the server.
CoachingVoucherSchema = model_schema(
    CoachingVoucher,
    exclude=("decided_at", "decided_by_id", "rejection_reason", "paid_on", "requested_by_id"),
)

# A device writes only which period; the server decides the rest on arrival.
VOUCHER_REQUEST_SERVER_FIELDS = ("decision", "refusal_reasons", "decided_at", "voucher_id")
VoucherRequestSchema = model_schema(VoucherRequest, exclude=VOUCHER_REQUEST_SERVER_FIELDS)
