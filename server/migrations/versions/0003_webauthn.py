"""webauthn: representatives' credentials, sign-off nonces, and the signed content of a sign-off

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 20:50:20.654074

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "webauthn_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.String(length=1024), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.JSON(), nullable=False),
        sa.Column("aaguid", sa.String(length=36), nullable=True),
        sa.Column("user_handle", sa.String(length=128), nullable=False),
        sa.Column("backup_eligible", sa.Boolean(), nullable=False),
        sa.Column("backed_up", sa.Boolean(), nullable=False),
        sa.Column("attachment", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["users.id"],
            name=op.f("fk_webauthn_credentials_revoked_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_webauthn_credentials_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webauthn_credentials")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_webauthn_credentials_credential_id")),
    )
    with op.batch_alter_table("webauthn_credentials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webauthn_credentials_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "signoff_nonces",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_signoff_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_signoff_nonces_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["used_by_signoff_id"],
            ["signoffs.id"],
            name=op.f("fk_signoff_nonces_used_by_signoff_id_signoffs"),
        ),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_signoff_nonces")),
    )
    with op.batch_alter_table("signoff_nonces", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signoff_nonces_device_id"), ["device_id"], unique=False
        )

    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_content", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("signoff_nonces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_nonces_device_id"))
    op.drop_table("signoff_nonces")
    with op.batch_alter_table("webauthn_credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webauthn_credentials_user_id"))
    op.drop_table("webauthn_credentials")
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.drop_column("signed_content")
