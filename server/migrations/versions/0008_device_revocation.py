"""device revocation: who revoked a device, its browser's user agent, and the
login end reason "device_revoked"

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_REASONS = ("logout", "expired", "user_deactivated", "new_login")
_CHECK = "ck_login_sessions_login_end_reason"


def _reasons_check(batch_op, reasons: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{reason}'" for reason in reasons)
    batch_op.create_check_constraint(op.f(_CHECK), f"end_reason IN ({listed})")


def upgrade():
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_agent", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("revoked_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_devices_revoked_by_id_users"), "users", ["revoked_by_id"], ["id"]
        )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_CHECK), type_="check")
        _reasons_check(batch_op, (*_REASONS, "device_revoked"))


def downgrade():
    op.execute(
        "UPDATE login_sessions SET end_reason = 'logout' WHERE end_reason = 'device_revoked'"
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_CHECK), type_="check")
        _reasons_check(batch_op, _REASONS)
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_devices_revoked_by_id_users"), type_="foreignkey")
        batch_op.drop_column("revoked_by_id")
        batch_op.drop_column("user_agent")
